/** One HTTP request as the AWS call sends it. Header names are lower case. */
export interface HttpRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The answer; header names lower case. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * HTTP transport of the AWS-call UDF. Synchronous, because Lua UDFs are: the Lua adapter is the HTTP/1.1 client
 * of `http-client.ts` over LuaSocket's `socket.tcp()`, wrapped by LuaSec's `ssl.wrap` for `https://`. Throws
 * `HttpTransportError` when no complete HTTP answer arrived (refused, timed out, TLS failure, cut short).
 */
export interface HttpPort {
  send(request: HttpRequest): HttpResponse;
}

/**
 * No HTTP answer arrived; `reason` is the library's text (never contains request data). `partialData`: some bytes
 * of an answer had arrived before the connection failed.
 */
export class HttpTransportError extends Error {
  readonly reason: string;
  readonly partialData: boolean;
  constructor(reason: string, partialData = false) {
    super(reason);
    this.name = 'HttpTransportError';
    this.reason = reason;
    this.partialData = partialData;
  }
}

/** The three ways a server's certificate can fail the in-memory check (`lua-tls.ts`); each is its own code. */
export type TlsFailureCode = 'SME-E-AWS-TLS-UNTRUSTED' | 'SME-E-AWS-TLS-NAME-MISMATCH' | 'SME-E-AWS-TLS-EXPIRED';

/**
 * The TLS handshake completed but the server's certificate did not pass verification, so no request was sent.
 * Final (a retry meets the same certificate); `reason` names the host and what was wrong.
 */
export class TlsVerificationError extends HttpTransportError {
  readonly code: TlsFailureCode;
  readonly host: string;
  constructor(code: TlsFailureCode, host: string, reason: string) {
    super('host ' + host + ': ' + reason);
    this.name = 'TlsVerificationError';
    this.code = code;
    this.host = host;
  }
}
