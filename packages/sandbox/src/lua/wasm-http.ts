import http from 'node:http';
import https from 'node:https';

interface LuaHttpRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  /** Hex, so binary bodies survive wasmoon's UTF-8 string conversion. */
  readonly body: string;
  /** `ssl.https.request` speaks TLS whatever the URL scheme says (like LuaSec). */
  readonly tlsOnly: boolean;
  readonly verify: unknown;
  readonly timeout: number;
  readonly userAgent: string;
}

/** LuaSec's `verify` is a string or a list of strings; only "peer" turns verification on. */
function wantsVerify(verify: unknown): boolean {
  if (typeof verify === 'string') return verify === 'peer';
  if (typeof verify === 'object' && verify !== null) return Object.values(verify).includes('peer');
  return false;
}

/** LuaSocket/LuaSec error texts for Node's error codes (what a Lua caller compares against). */
function luaSocketError(e: NodeJS.ErrnoException): string {
  const code = e.code ?? '';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') return 'timeout';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host or service not provided, or not known';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'closed';
  if (code.includes('CERT') || code.includes('SELF_SIGNED') || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE') {
    return 'certificate verify failed';
  }
  if (/wrong version number/i.test(e.message)) return 'wrong version number';
  return e.message;
}

/** Performs one `socket.http`/`ssl.https` request for the wasm runtime; answers JSON for the Lua side. */
export function luaHttpRequest(json: string): Promise<string> {
  const req = JSON.parse(json) as LuaHttpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const done = (value: object): void => {
      if (settled) return;
      settled = true;
      resolve(JSON.stringify(value));
    };
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      done({ ok: false, error: `invalid url: ${req.url}` });
      return;
    }
    const tls = req.tlsOnly || url.protocol === 'https:';
    const headers: Record<string, string> = {
      'user-agent': req.userAgent,
      te: 'trailers',
      connection: 'close, TE',
      ...req.headers,
    };
    const options: https.RequestOptions = {
      method: req.method.toUpperCase(),
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port),
      path: `${url.pathname}${url.search}`,
      headers,
      timeout: req.timeout * 1000,
      agent: false,
    };
    const onResponse = (res: http.IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e) => {
        done({ ok: false, error: luaSocketError(e) });
      });
      res.on('end', () => {
        const out: Record<string, string> = {};
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
          const name = (res.rawHeaders[i] ?? '').toLowerCase();
          const value = res.rawHeaders[i + 1] ?? '';
          out[name] = name in out ? `${out[name] ?? ''}, ${value}` : value;
        }
        done({
          ok: true,
          code: res.statusCode,
          status: `HTTP/${res.httpVersion} ${res.statusCode ?? 0} ${res.statusMessage ?? ''}`,
          headers: out,
          body: Buffer.concat(chunks).toString('hex'),
        });
      });
    };
    const client = tls
      ? https.request(
          {
            ...options,
            rejectUnauthorized: wantsVerify(req.verify),
            // LuaSec checks the chain only, not the host name.
            checkServerIdentity: () => undefined,
          },
          onResponse,
        )
      : http.request(options, onResponse);
    client.on('timeout', () => {
      client.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }));
    });
    client.on('error', (e) => {
      done({ ok: false, error: luaSocketError(e) });
    });
    if (req.body !== '') client.write(Buffer.from(req.body, 'hex'));
    client.end();
  });
}
