import net from 'node:net';
import tls from 'node:tls';
import { parseX509, verifyX509Chain } from './wasm-x509.js';

/**
 * Node's half of the wasm runtime's LuaSocket/LuaSec stand-in (lua-src/wasm-modules-lua.ts): TCP sockets,
 * upgraded to TLS by `ssl.wrap(...):dohandshake()`. Lua asks with `{t:"sock", op, sid, …}` and gets JSON back;
 * data crosses as hex (wasmoon would read Lua strings as UTF-8). Semantics follow LuaSocket 3.x
 * (https://lunarmodules.github.io/luasocket/tcp.html) and LuaSec 1.x (https://github.com/lunarmodules/luasec/wiki):
 * `receive` returns the data, or `nil, err, partial` with err `timeout` or `closed`.
 */

interface SockRequest {
  readonly op: 'connect' | 'send' | 'receive' | 'close' | 'handshake' | 'peercert' | 'x509parse' | 'x509verify';
  readonly sid: number;
  readonly host?: string;
  readonly port?: number;
  /** Seconds; negative or absent blocks. */
  readonly timeout?: number;
  readonly data?: string;
  /** `l` (a line), `a` (all until closed) or a byte count. */
  readonly pattern?: string | number;
  readonly sni?: string;
  readonly verify?: boolean;
  readonly chain?: boolean;
  /** x509parse: the certificate text (hex, as all Lua strings cross); x509verify: PEM texts. */
  readonly pem?: string;
  readonly roots?: unknown;
  readonly leaf?: string;
  readonly untrusted?: unknown;
}

function pemList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

interface Entry {
  socket: net.Socket;
  buffer: Buffer;
  ended: boolean;
  error: string | undefined;
  wake: (() => void) | undefined;
}

/** LuaSocket's error texts for Node's error codes. */
function luaSocketError(e: NodeJS.ErrnoException): string {
  const code = e.code ?? '';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ETIMEDOUT') return 'timeout';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host or service not provided, or not known';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'closed';
  if (code.includes('CERT') || code.includes('SELF_SIGNED') || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE') {
    return 'certificate verify failed';
  }
  return e.message;
}

function toPem(raw: Buffer): string {
  const b64 = raw.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE-----\n`;
}

/** The sockets of one wasm runtime, by id; `closeAll` when a run ends. */
export class WasmSockets {
  private readonly entries = new Map<number, Entry>();

  async handle(json: string): Promise<string> {
    const req = JSON.parse(json) as SockRequest;
    try {
      return JSON.stringify(await this.dispatch(req));
    } catch (e) {
      return JSON.stringify({ ok: false, error: luaSocketError(e as NodeJS.ErrnoException) });
    }
  }

  closeAll(): void {
    for (const e of this.entries.values()) e.socket.destroy();
    this.entries.clear();
  }

  private dispatch(req: SockRequest): Promise<object> | object {
    switch (req.op) {
      case 'connect':
        return this.connect(req);
      case 'send':
        return this.send(req);
      case 'receive':
        return this.receive(req);
      case 'handshake':
        return this.handshake(req);
      case 'peercert':
        return this.peerCert(req);
      case 'x509parse':
        try {
          return { ok: true, cert: parseX509(Buffer.from(req.pem ?? '', 'hex').toString('latin1')) };
        } catch (e) {
          return { ok: false, error: (e as Error).message };
        }
      case 'x509verify':
        return verifyX509Chain(pemList(req.roots), req.leaf ?? '', pemList(req.untrusted));
      case 'close': {
        this.entries.get(req.sid)?.socket.destroy();
        this.entries.delete(req.sid);
        return { ok: true };
      }
      default:
        return { ok: false, error: `unknown socket operation ${String(req.op)}` };
    }
  }

  private attach(sid: number, socket: net.Socket, buffer: Buffer = Buffer.alloc(0)): Entry {
    const entry: Entry = { socket, buffer, ended: false, error: undefined, wake: undefined };
    const wake = (): void => {
      const w = entry.wake;
      entry.wake = undefined;
      w?.();
    };
    socket.on('data', (d: Buffer) => {
      entry.buffer = Buffer.concat([entry.buffer, d]);
      wake();
    });
    socket.on('end', () => {
      entry.ended = true;
      wake();
    });
    socket.on('close', () => {
      entry.ended = true;
      wake();
    });
    socket.on('error', (e) => {
      entry.error = luaSocketError(e);
      entry.ended = true;
      wake();
    });
    this.entries.set(sid, entry);
    return entry;
  }

  private connect(req: SockRequest): Promise<object> {
    return new Promise((resolve) => {
      const socket = net.connect({ host: req.host ?? '', port: req.port ?? 0 });
      let timer: NodeJS.Timeout | undefined;
      const done = (v: object): void => {
        if (timer) clearTimeout(timer);
        socket.removeAllListeners('connect');
        socket.removeAllListeners('error');
        resolve(v);
      };
      if (req.timeout !== undefined && req.timeout >= 0) {
        timer = setTimeout(() => {
          socket.destroy();
          done({ ok: false, error: 'timeout' });
        }, req.timeout * 1000);
      }
      socket.once('connect', () => {
        this.attach(req.sid, socket);
        done({ ok: true });
      });
      socket.once('error', (e) => {
        done({ ok: false, error: luaSocketError(e) });
      });
    });
  }

  private handshake(req: SockRequest): Promise<object> {
    const entry = this.entries.get(req.sid);
    if (!entry) return Promise.resolve({ ok: false, error: 'closed' });
    const plain = entry.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('end');
    plain.removeAllListeners('close');
    plain.removeAllListeners('error');
    return new Promise((resolve) => {
      // Node's own CA store is never used: the stand-in has no CA files to load (Exasol's Lua reads no files), so
      // `verify = 'peer'` fails as LuaSec does without cafile/capath; code verifies in memory with openssl.x509.
      const secure = tls.connect({
        socket: plain,
        // An IP address is not a server name (RFC 6066 §3): OpenSSL sends it all the same, Node warns, so leave it out.
        ...(req.sni !== undefined && net.isIP(req.sni) === 0 ? { servername: req.sni } : {}),
        rejectUnauthorized: false,
        // An empty list, not absent: Node then loads no root certificates at all, so the chain getpeerchain()
        // reports is only what the server presented.
        ca: [],
        checkServerIdentity: () => undefined,
      });
      let timer: NodeJS.Timeout | undefined;
      const done = (v: object): void => {
        if (timer) clearTimeout(timer);
        resolve(v);
      };
      if (req.timeout !== undefined && req.timeout >= 0) {
        timer = setTimeout(() => {
          secure.destroy();
          done({ ok: false, error: 'timeout' });
        }, req.timeout * 1000);
      }
      secure.once('secureConnect', () => {
        secure.removeAllListeners('error');
        if (req.verify === true) {
          secure.destroy();
          this.entries.delete(req.sid);
          done({ ok: false, error: 'certificate verify failed' });
          return;
        }
        this.attach(req.sid, secure, entry.buffer);
        done({ ok: true });
      });
      secure.once('error', (e: NodeJS.ErrnoException) => {
        this.entries.delete(req.sid);
        done({ ok: false, error: luaSocketError(e) });
      });
    });
  }

  private peerCert(req: SockRequest): object {
    const socket = this.entries.get(req.sid)?.socket;
    if (!(socket instanceof tls.TLSSocket)) return { ok: false, error: 'closed' };
    const pems: string[] = [];
    let cert = socket.getPeerCertificate(true) as tls.DetailedPeerCertificate | undefined;
    const seen = new Set<string>();
    while (cert?.raw !== undefined && !seen.has(cert.fingerprint256)) {
      seen.add(cert.fingerprint256);
      pems.push(toPem(cert.raw));
      if (req.chain !== true) break;
      cert = cert.issuerCertificate;
    }
    return { ok: true, pems };
  }

  private send(req: SockRequest): Promise<object> {
    const entry = this.entries.get(req.sid);
    if (!entry || entry.socket.destroyed) return Promise.resolve({ ok: false, error: 'closed', sent: 0 });
    const data = Buffer.from(req.data ?? '', 'hex');
    return new Promise((resolve) => {
      entry.socket.write(data, (e) => {
        resolve(e ? { ok: false, error: luaSocketError(e), sent: 0 } : { ok: true, sent: data.length });
      });
    });
  }

  private async receive(req: SockRequest): Promise<object> {
    const entry = this.entries.get(req.sid);
    if (!entry) return { ok: false, error: 'closed', partial: '' };
    const deadline = req.timeout !== undefined && req.timeout >= 0 ? Date.now() + req.timeout * 1000 : undefined;
    const pattern = req.pattern ?? 'l';
    for (;;) {
      const buf = entry.buffer;
      if (pattern === 'l') {
        const nl = buf.indexOf(10);
        if (nl >= 0) {
          entry.buffer = buf.subarray(nl + 1);
          // LuaSocket drops CR characters from a line.
          const line = Buffer.from(buf.subarray(0, nl).filter((b) => b !== 13));
          return { ok: true, data: line.toString('hex') };
        }
      } else if (typeof pattern === 'number') {
        if (buf.length >= pattern) {
          entry.buffer = buf.subarray(pattern);
          return { ok: true, data: buf.subarray(0, pattern).toString('hex') };
        }
      }
      if (entry.ended) {
        entry.buffer = Buffer.alloc(0);
        // LuaSocket: '*a' succeeds with what it read before the close, but fails 'closed' when that is nothing.
        if (pattern === 'a' && buf.length > 0) return { ok: true, data: buf.toString('hex') };
        return { ok: false, error: 'closed', partial: buf.toString('hex') };
      }
      const wait = deadline === undefined ? undefined : deadline - Date.now();
      if (wait !== undefined && wait <= 0) {
        entry.buffer = Buffer.alloc(0);
        return { ok: false, error: 'timeout', partial: buf.toString('hex') };
      }
      await new Promise<void>((resolve) => {
        const timer = wait === undefined ? undefined : setTimeout(resolve, wait);
        entry.wake = () => {
          if (timer) clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
