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

/** No HTTP answer arrived; `reason` is the library's text (never contains request data). */
export class HttpTransportError extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.name = 'HttpTransportError';
    this.reason = reason;
  }
}
