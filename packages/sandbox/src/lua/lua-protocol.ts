import { LuaError, LuaHostError } from './lua-errors.js';
import type {
  LuaProfile,
  LuaQueryError,
  LuaQueryResult,
  LuaSqlValue,
  ScriptOutcome,
  ScriptRun,
  UdfOutcome,
  UdfRun,
} from './lua-runtime.js';

/**
 * Node's half of the JSON-line protocol both runtimes speak with the Lua host (lua-src/host-lua.ts):
 * requests `{t:"script"|"udf"}`; from Lua `{t:"query"|"import"|"connection"}` (answered with one reply),
 * `{t:"emit", rows}` (no reply), and finally `{t:"done"}` or `{t:"error", message, sqlCode?}`.
 */

type Row = readonly LuaSqlValue[];

interface LuaMessage {
  readonly t: string;
  readonly id?: number;
  readonly sql?: string;
  readonly params?: Record<string, LuaSqlValue>;
  readonly hasParams?: boolean;
  readonly name?: string;
  readonly rows?: Row[];
  readonly message?: string;
  readonly sqlCode?: string;
  readonly outcome?: ScriptOutcome;
}

/** The state of one run on the Node side: what Lua may call back into, and what it emitted. */
export class RunExchange {
  readonly request: string;
  private readonly emitted: Row[] = [];

  constructor(
    readonly id: number,
    private readonly target: { readonly script: ScriptRun } | { readonly udf: UdfRun },
    options: {
      readonly profile: LuaProfile;
      readonly opensslPrefix: 'openssl' | '_openssl';
      readonly clockOffsetSeconds?: number;
    } = {
      profile: 'exasol',
      opensslPrefix: 'openssl',
    },
  ) {
    const common = {
      profile: options.profile,
      opensslPrefix: options.opensslPrefix,
      ...(options.clockOffsetSeconds ? { clockOffset: options.clockOffsetSeconds } : {}),
    };
    if ('script' in target) {
      const r = target.script;
      this.request = JSON.stringify({
        t: 'script',
        id,
        ...common,
        source: r.source,
        parameterNames: r.parameterNames,
        args: r.args,
        meta: r.meta,
      });
    } else {
      const r = target.udf;
      this.request = JSON.stringify({
        t: 'udf',
        id,
        ...common,
        source: r.source,
        inputType: r.inputType,
        outputMode: r.outputMode,
        inputNames: r.inputNames,
        inputTypes: r.inputTypes,
        outputTypes: r.outputTypes,
        groups: r.groups,
        meta: r.meta,
      });
    }
  }

  /** Parses one line from Lua. Returns the reply to send for a call, `undefined` for an emit, or the end. */
  async handle(line: string): Promise<{ reply: string } | { end: LuaMessage } | undefined> {
    const msg = parseMessage(line);
    switch (msg.t) {
      case 'emit':
        for (const row of msg.rows ?? []) this.emitted.push(row);
        return undefined;
      case 'query':
        return { reply: await this.query(msg.sql ?? '', msg.params ?? (msg.hasParams === true ? {} : undefined)) };
      case 'import':
        return { reply: await this.importScript(msg.name ?? '') };
      case 'connection':
        return { reply: await this.connection(msg.name ?? '') };
      case 'done':
      case 'error':
        return { end: msg };
      default:
        throw new LuaHostError('SME-E-SANDBOX-LUA-PROTOCOL', `The Lua host sent an unknown message "${msg.t}".`);
    }
  }

  scriptOutcome(end: LuaMessage): ScriptOutcome {
    throwIfError(end);
    if (end.outcome === undefined) {
      throw new LuaHostError('SME-E-SANDBOX-LUA-PROTOCOL', 'The Lua host ended a script without an outcome.');
    }
    return end.outcome;
  }

  udfOutcome(end: LuaMessage): UdfOutcome {
    throwIfError(end);
    return { rows: this.emitted };
  }

  private async query(sql: string, params: Record<string, LuaSqlValue> | undefined): Promise<string> {
    if (!('script' in this.target))
      return JSON.stringify({ ok: false, error: { sqlCode: '0A000', message: 'no SQL in UDFs' } });
    let result: LuaQueryResult;
    try {
      result = await this.target.script.host.query(sql, params);
    } catch (e) {
      const err = toQueryError(e);
      return JSON.stringify({ ok: false, error: err });
    }
    return JSON.stringify({ ok: true, result });
  }

  private async importScript(name: string): Promise<string> {
    if (!('script' in this.target)) return JSON.stringify({});
    const source = await this.target.script.host.importScript(name);
    return JSON.stringify(source === undefined ? {} : { source });
  }

  private async connection(name: string): Promise<string> {
    if (!('udf' in this.target)) return JSON.stringify({ ok: false, message: 'exa.get_connection is only for UDFs' });
    try {
      const c = await this.target.udf.getConnection(name);
      return JSON.stringify({
        ok: true,
        connection: { type: c.type, address: c.address, user: c.user, password: c.password },
      });
    } catch (e) {
      return JSON.stringify({ ok: false, message: e instanceof Error ? e.message : String(e) });
    }
  }
}

function parseMessage(line: string): LuaMessage {
  try {
    return JSON.parse(line) as LuaMessage;
  } catch (e) {
    throw new LuaHostError(
      'SME-E-SANDBOX-LUA-PROTOCOL',
      `The Lua host wrote a line that is not JSON: ${line.slice(0, 120)}`,
      { remedy: 'This is a bug in the sandbox: report it with the script that ran.' },
      e,
    );
  }
}

function throwIfError(end: LuaMessage): void {
  if (end.t === 'error') throw new LuaError(end.message ?? 'unknown Lua error', end.sqlCode);
}

function toQueryError(e: unknown): LuaQueryError {
  if (typeof e === 'object' && e !== null) {
    const v = e as { sqlCode?: unknown; message?: unknown };
    if (typeof v.message === 'string') {
      return { sqlCode: typeof v.sqlCode === 'string' ? v.sqlCode : '00000', message: v.message };
    }
  }
  return { sqlCode: '00000', message: String(e) };
}
