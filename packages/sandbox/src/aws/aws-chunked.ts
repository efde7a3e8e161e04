/** A decoded `aws-chunked` body: the payload and the trailing headers (e.g. `x-amz-checksum-crc32`). */
export interface DecodedChunks {
  readonly payload: Buffer;
  readonly trailers: Readonly<Record<string, string>>;
}

const CRLF = Buffer.from('\r\n');

/**
 * Decodes the `aws-chunked` content encoding that SDKs use for streamed S3 uploads
 * (`x-amz-content-sha256: STREAMING-…`): `hex-size[;chunk-signature=…]\r\n data \r\n … 0\r\n trailers \r\n\r\n`.
 * See https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html. Chunk signatures are not
 * verified (the seed signature of the request is). Throws on malformed framing.
 *
 * @example
 * decodeAwsChunked(Buffer.from('3\r\nabc\r\n0\r\n\r\n')).payload.toString() // 'abc'
 */
export function decodeAwsChunked(body: Buffer): DecodedChunks {
  const parts: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const lineEnd = body.indexOf(CRLF, pos);
    if (lineEnd === -1) throw new Error('aws-chunked: chunk header without CRLF');
    const headerLine = body.subarray(pos, lineEnd).toString('latin1');
    const sizeText = headerLine.split(';')[0]?.trim() ?? '';
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw new Error(`aws-chunked: bad chunk size '${sizeText}'`);
    const size = parseInt(sizeText, 16);
    pos = lineEnd + 2;
    if (size === 0) break;
    if (pos + size + 2 > body.length) throw new Error('aws-chunked: chunk longer than the body');
    parts.push(body.subarray(pos, pos + size));
    pos += size;
    if (!body.subarray(pos, pos + 2).equals(CRLF)) throw new Error('aws-chunked: chunk data not followed by CRLF');
    pos += 2;
  }
  const trailers: Record<string, string> = {};
  const rest = body.subarray(pos).toString('latin1');
  for (const line of rest.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { payload: Buffer.concat(parts), trailers };
}

/** Encodes a payload as `aws-chunked` (used by tests and by clients that stream). */
export function encodeAwsChunked(payload: Buffer, chunkSize = 8192, trailers: Record<string, string> = {}): Buffer {
  const out: Buffer[] = [];
  for (let i = 0; i < payload.length; i += chunkSize) {
    const chunk = payload.subarray(i, i + chunkSize);
    out.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, CRLF);
  }
  out.push(Buffer.from('0\r\n'));
  for (const [k, v] of Object.entries(trailers)) out.push(Buffer.from(`${k}:${v}\r\n`));
  out.push(CRLF);
  return Buffer.concat(out);
}
