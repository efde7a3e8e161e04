import fc from 'fast-check';

/** A generated request, in plain JavaScript strings (tests convert it for each signer). */
export interface GeneratedRequest {
  readonly method: string;
  readonly host: string;
  readonly path: string;
  readonly query: readonly (readonly [string, string])[];
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string | undefined;
  readonly region: string;
  readonly service: string;
  readonly epochMillis: number;
}

const special = fc.constantFrom(
  ' ',
  '%',
  '+',
  '=',
  '&',
  '?',
  '#',
  '~',
  '*',
  "'",
  '(',
  ')',
  '!',
  ':',
  '@',
  'é',
  'ሴ',
  '😀',
);
const oneGrapheme = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 });
const text = (maxLength: number) =>
  fc.string({ unit: fc.oneof(fc.constantFrom('a', 'Z', '0', '-', '_', '.'), special, oneGrapheme), maxLength });
const lowerToken = (min: number, max: number) =>
  fc.stringMatching(new RegExp(`^[a-z0-9-]{${String(min)},${String(max)}}$`));

const segment = fc.oneof(fc.constantFrom('', '.', '..'), text(10));
const path = fc
  .tuple(fc.array(segment, { maxLength: 5 }), fc.boolean())
  .map(([segments, trailing]) => '/' + segments.join('/') + (trailing && segments.length > 0 ? '/' : ''));

/** Header names as HTTP tokens, unique case-insensitively, never one the signer itself writes. */
const headerNames = fc.uniqueArray(fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/), {
  maxLength: 6,
  selector: (n) => n.toLowerCase(),
});
const reserved = ['host', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256', 'authorization', 'date'];
const headerValue = fc.string({
  unit: fc.oneof(
    fc.constantFrom(' ', '\t', '  ', 'A', 'b', '"', ',', ';', '=', 'é', '\r\n'),
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 20,
});

export const generatedRequest: fc.Arbitrary<GeneratedRequest> = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH'),
  host: fc.oneof(fc.constant('api.sagemaker.eu-west-1.amazonaws.com'), fc.constant('127.0.0.1:8443')),
  path,
  query: fc.array(
    fc.tuple(
      text(8).filter((n) => n !== '__proto__' && n.toLowerCase() !== 'x-amz-signature'),
      text(8),
    ),
    {
      maxLength: 5,
    },
  ),
  headers: fc
    .tuple(
      headerNames.map((names) => names.filter((n) => !reserved.includes(n.toLowerCase()))),
      fc.array(headerValue, { minLength: 6, maxLength: 6 }),
      fc.constantFrom<(readonly [string, string])[]>([], [['User-Agent', 'sme/1']], [['Proxy-Thing', 'x']]),
    )
    .map(([names, values, extra]) => [...names.map((n, i) => [n, values[i] ?? ''] as const), ...extra]),
  body: fc.oneof(fc.constant(''), fc.string({ unit: 'grapheme', maxLength: 60 }), fc.json()),
  accessKeyId: fc.stringMatching(/^AKIA[A-Z0-9]{16}$/),
  secretAccessKey: fc.oneof(fc.stringMatching(/^[A-Za-z0-9/+]{40}$/), fc.string({ unit: 'grapheme', minLength: 1 })),
  sessionToken: fc.option(fc.stringMatching(/^[A-Za-z0-9/+=]{20,120}$/), { nil: undefined }),
  region: fc.oneof(fc.constantFrom('us-east-1', 'eu-central-1'), lowerToken(1, 15)),
  service: fc.constantFrom('sagemaker', 'service', 's3x'),
  epochMillis: fc.integer({ min: 0, max: 4102444800000 }),
});

/** Groups repeated query names the way smithy's request shape wants (string or array of strings). */
export function smithyQuery(query: readonly (readonly [string, string])[]): Record<string, string | string[]> {
  // No prototype: names such as `toString` are ordinary query parameters.
  const out = Object.create(null) as Record<string, string | string[]>;
  for (const [name, value] of query) {
    const existing = Object.hasOwn(out, name) ? out[name] : undefined;
    if (existing === undefined) out[name] = value;
    else if (typeof existing === 'string') out[name] = [existing, value];
    else existing.push(value);
  }
  return out;
}
