import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

/** A request in the shape AWS's own signer takes (JavaScript strings; it UTF-8-encodes them itself). */
export interface SmithyRequest {
  readonly method: string;
  readonly hostname: string;
  readonly path: string;
  readonly query: Record<string, string | string[]>;
  readonly headers: Record<string, string>;
  readonly body: string | Uint8Array;
}

/** Signs with AWS's `@smithy/signature-v4` and returns the resulting headers. */
export async function smithySign(
  request: SmithyRequest,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  options: { region: string; service: string; signingDate: Date; applyChecksum?: boolean },
): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    credentials,
    region: options.region,
    service: options.service,
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: options.applyChecksum ?? true,
  });
  const signed = await signer.sign(
    { protocol: 'https:', ...request, query: { ...request.query }, headers: { ...request.headers } },
    { signingDate: options.signingDate },
  );
  return signed.headers;
}
