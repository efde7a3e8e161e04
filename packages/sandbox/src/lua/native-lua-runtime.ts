import { spawn, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { LuaHostError } from './lua-errors.js';
import { RunExchange } from './lua-protocol.js';
import type {
  LuaProfile,
  LuaRuntime,
  LuaRuntimeOptions,
  ScriptOutcome,
  ScriptRun,
  UdfOutcome,
  UdfRun,
} from './lua-runtime.js';
import { NATIVE_BOOTSTRAP_LUA, NATIVE_MAIN_LUA } from './lua-src/native-main-lua.js';

/** The Lua modules Exasol 8.10+ offers; the native runtime needs all of them. */
const REQUIRED_MODULES = ['cjson', 'socket', 'ssl', 'openssl.digest', 'openssl.hmac', 'openssl.x509'];
const STDERR_TAIL = 4096;
/**
 * Idle processes kept for the next run, unless the options say otherwise; more are started while runs nest (a
 * script's query calling a UDF) or run side by side (UDF instances of a multi-node sandbox).
 */
const MAX_IDLE = 2;

/** Checks that `lua5.4` runs and loads every required module. */
export function probeNativeLua(executable: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  const code = REQUIRED_MODULES.map((m) => `require('${m}')`).join(' ');
  return new Promise((resolve) => {
    let stderr = '';
    let child: ChildProcess;
    try {
      child = spawn(executable, ['-e', code], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      resolve({ ok: false, reason: `${executable} cannot start: ${String(e)}` });
      return;
    }
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', (e) => {
      resolve({ ok: false, reason: `${executable} cannot start: ${e.message}` });
    });
    child.on('close', (status) => {
      if (status === 0) resolve({ ok: true });
      else resolve({ ok: false, reason: `${executable} lacks a module: ${stderr.split('\n')[0] ?? ''}` });
    });
  });
}

/**
 * UDF instances yield the CPU to the sandbox's own process. That process stands for the database's engine and for
 * AWS, which in production run on their own machines; here they share this machine's cores with every simulated
 * node's instances, and a woken instance would otherwise preempt the fake SageMaker as it answers, stalling every
 * other instance's request. A lower priority (nice +5, where the system allows it) keeps the simulated services
 * responsive; the instances still get every cycle the services leave.
 */
function lowerPriority(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    setPriority(child.pid, 5);
  } catch {
    // Not permitted here (or the process has gone): instances run at the sandbox's priority.
  }
}

/** One `lua5.4` process running the host program; one run at a time. */
class NativeLuaProcess {
  private readonly child: ChildProcess;
  private pending: Buffer[] = [];
  private lines: string[] = [];
  private waiter: ((line: string | undefined) => void) | undefined;
  private stderrTail = '';
  exited = false;

  constructor(executable: string) {
    this.child = spawn(executable, ['-e', NATIVE_BOOTSTRAP_LUA], { stdio: ['pipe', 'pipe', 'pipe'] });
    lowerPriority(this.child);
    const program = Buffer.from(NATIVE_MAIN_LUA, 'utf8');
    this.child.stdin?.write(`${program.length}\n`);
    this.child.stdin?.write(program);
    this.child.stdout?.on('data', (chunk: Buffer) => {
      this.onData(chunk);
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    this.child.stdin?.on('error', () => {
      // The exit handler reports the failure; a write to a dead process must not crash Node.
    });
    this.child.on('error', () => {
      this.onExit();
    });
    this.child.on('close', () => {
      this.onExit();
    });
    this.setIdle(true);
  }

  /** Idle processes must not keep Node alive. */
  setIdle(idle: boolean): void {
    const handles = [this.child, this.child.stdin, this.child.stdout, this.child.stderr] as unknown as (
      { ref?: () => void; unref?: () => void } | null | undefined
    )[];
    for (const h of handles) {
      if (idle) h?.unref?.();
      else h?.ref?.();
    }
  }

  async exec(exchange: RunExchange): Promise<Parameters<RunExchange['udfOutcome']>[0]> {
    this.write(exchange.request);
    for (;;) {
      const line = await this.nextLine();
      if (line === undefined) {
        throw new LuaHostError(
          'SME-E-SANDBOX-LUA-EXITED',
          `The lua5.4 process ended during a run${this.stderrTail ? `: ${this.stderrTail.trim()}` : '.'}`,
          { remedy: 'Check that lua5.4 and lua-cjson, lua-socket, lua-sec, lua-luaossl are installed.' },
        );
      }
      const step = await exchange.handle(line);
      if (step === undefined) continue;
      if ('reply' in step) this.write(step.reply);
      else return step.end;
    }
  }

  kill(): Promise<void> {
    if (this.exited) return Promise.resolve();
    // Referenced again, or an otherwise idle Node would exit before the close event arrives.
    this.setIdle(false);
    return new Promise((resolve) => {
      this.child.once('close', () => {
        resolve();
      });
      this.child.kill('SIGKILL');
    });
  }

  private write(line: string): void {
    this.child.stdin?.write(`${line}\n`);
  }

  private onData(chunk: Buffer): void {
    let start = 0;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, start)) {
      this.pending.push(chunk.subarray(start, i));
      this.lines.push(Buffer.concat(this.pending).toString('utf8'));
      this.pending = [];
      start = i + 1;
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
    this.wake();
  }

  private onExit(): void {
    this.exited = true;
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    if (w === undefined) return;
    if (this.lines.length > 0) {
      this.waiter = undefined;
      w(this.lines.shift());
    } else if (this.exited) {
      this.waiter = undefined;
      w(undefined);
    }
  }

  private nextLine(): Promise<string | undefined> {
    if (this.lines.length > 0) return Promise.resolve(this.lines.shift());
    if (this.exited) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }
}

/**
 * Runs Lua in real `lua5.4` processes (Debian's cjson/LuaSocket/LuaSec/luaossl), reused across runs; each
 * run gets a fresh Lua environment.
 */
export class NativeLuaRuntime implements LuaRuntime {
  readonly name = 'native' as const;
  readonly profile: LuaProfile;
  readonly opensslPrefix: 'openssl' | '_openssl';
  readonly clockOffsetSeconds: number;
  private readonly maxIdle: number;
  private readonly idle: NativeLuaProcess[] = [];
  private readonly all = new Set<NativeLuaProcess>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly executable = 'lua5.4',
    options: LuaRuntimeOptions = {},
  ) {
    this.profile = options.profile ?? 'exasol';
    this.opensslPrefix = options.opensslPrefix ?? 'openssl';
    this.clockOffsetSeconds = options.clockOffsetSeconds ?? 0;
    this.maxIdle = options.maxIdleProcesses ?? MAX_IDLE;
  }

  async runScript(run: ScriptRun): Promise<ScriptOutcome> {
    const exchange = new RunExchange(this.nextId++, { script: run }, this);
    return exchange.scriptOutcome(await this.exec(exchange));
  }

  async runUdf(run: UdfRun): Promise<UdfOutcome> {
    const exchange = new RunExchange(this.nextId++, { udf: run }, this);
    return exchange.udfOutcome(await this.exec(exchange));
  }

  async close(): Promise<void> {
    this.closed = true;
    const procs = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(procs.map((p) => p.kill()));
  }

  /** A method, not the field: the field's narrowing would survive the await above it. */
  private isOpen(): boolean {
    return !this.closed;
  }

  private async exec(exchange: RunExchange): Promise<Parameters<RunExchange['udfOutcome']>[0]> {
    if (this.closed) throw new LuaHostError('SME-E-SANDBOX-LUA-CLOSED', 'The native Lua runtime is closed.');
    let proc = this.idle.pop();
    while (proc?.exited) proc = this.idle.pop();
    if (proc === undefined) {
      proc = new NativeLuaProcess(this.executable);
      this.all.add(proc);
    }
    proc.setIdle(false);
    try {
      return await proc.exec(exchange);
    } catch (e) {
      // A process that failed mid-run may be out of step with the protocol: never reuse it.
      this.all.delete(proc);
      await proc.kill();
      throw e;
    } finally {
      if (this.all.has(proc) && !proc.exited && this.isOpen()) {
        proc.setIdle(true);
        if (this.idle.length < this.maxIdle) this.idle.push(proc);
        else {
          this.all.delete(proc);
          void proc.kill();
        }
      }
    }
  }
}
