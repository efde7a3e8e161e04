import { awsCallError, shortText } from './aws-errors.js';

/** Which API an operation belongs to: SageMaker control plane (JSON 1.1), SageMaker runtime (REST), or S3 (REST/XML). */
export type AwsApi = 'control' | 'runtime' | 's3';

/** The only operations the UDF calls: what sme needs, nothing that could touch other resources. */
export const AWS_CALL_OPERATIONS: ReadonlyMap<string, AwsApi> = new Map<string, AwsApi>([
  ['CreateAutoMLJobV2', 'control'],
  ['DescribeAutoMLJobV2', 'control'],
  ['StopAutoMLJob', 'control'],
  ['ListCandidatesForAutoMLJob', 'control'],
  ['ListAutoMLJobs', 'control'],
  ['CreateModel', 'control'],
  ['DeleteModel', 'control'],
  ['DescribeModel', 'control'],
  ['CreateEndpointConfig', 'control'],
  ['DeleteEndpointConfig', 'control'],
  ['CreateEndpoint', 'control'],
  ['DescribeEndpoint', 'control'],
  ['DeleteEndpoint', 'control'],
  ['ListEndpoints', 'control'],
  // Batch prediction: a transform job on a model of the job's best candidate.
  ['CreateTransformJob', 'control'],
  ['DescribeTransformJob', 'control'],
  ['StopTransformJob', 'control'],
  ['InvokeEndpoint', 'runtime'],
  // S3: what dropping a job needs (list its prefix, delete its objects one by one) and reading Autopilot's reports.
  ['ListObjectsV2', 's3'],
  ['DeleteObject', 's3'],
  ['GetObject', 's3'],
]);

/** A parsed `scheme://host[:port][/base]`. */
export interface AwsEndpoint {
  readonly scheme: 'http' | 'https';
  /** `host` or `host:port`, exactly as it goes into the Host header and the URL. */
  readonly authority: string;
  /** Path prefix without trailing slash ('' for none). */
  readonly basePath: string;
}

function isHostChar(b: number): boolean {
  return (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b === 45 || b === 46;
}

function isPathChar(b: number): boolean {
  return isHostChar(b) || b === 47 || b === 95 || b === 126;
}

/** Parses an endpoint override; undefined when it is not `http(s)://host[:port][/path]`. */
export function parseEndpointUrl(url: string): AwsEndpoint | undefined {
  let scheme: 'http' | 'https';
  let rest: string;
  if (url.substring(0, 8) === 'https://') {
    scheme = 'https';
    rest = url.substring(8);
  } else if (url.substring(0, 7) === 'http://') {
    scheme = 'http';
    rest = url.substring(7);
  } else {
    return undefined;
  }
  const slash = rest.indexOf('/');
  const authority = slash >= 0 ? rest.substring(0, slash) : rest;
  let basePath = slash >= 0 ? rest.substring(slash) : '';
  while (basePath.length > 0 && basePath.charAt(basePath.length - 1) === '/') {
    basePath = basePath.substring(0, basePath.length - 1);
  }
  const colon = authority.indexOf(':');
  const host = colon >= 0 ? authority.substring(0, colon) : authority;
  const port = colon >= 0 ? authority.substring(colon + 1) : '';
  if (host.length === 0 || host.length > 253) return undefined;
  for (let i = 0; i < host.length; i++) if (!isHostChar(host.charCodeAt(i))) return undefined;
  if (colon >= 0) {
    if (port.length === 0 || port.length > 5) return undefined;
    for (let i = 0; i < port.length; i++) {
      const b = port.charCodeAt(i);
      if (b < 48 || b > 57) return undefined;
    }
  }
  for (let i = 0; i < basePath.length; i++) if (!isPathChar(basePath.charCodeAt(i))) return undefined;
  return { scheme, authority, basePath };
}

/** The endpoint of an API in a region: the override when one was baked in at deploy time, else AWS's. */
export function resolveEndpoint(api: AwsApi, region: string, override: string | undefined): AwsEndpoint {
  if (override !== undefined && override !== '') {
    const parsed = parseEndpointUrl(override);
    if (parsed === undefined) {
      throw awsCallError('SME-E-AWS-ENDPOINT-INVALID', {
        subject: 'endpoint override',
        detail: "got '" + shortText(override, 200) + "'",
        key: 'awsEndpointUrl',
        value: shortText(override, 200),
      });
    }
    return parsed;
  }
  const host =
    (api === 's3' ? 's3.' : api === 'runtime' ? 'runtime.sagemaker.' : 'api.sagemaker.') + region + '.amazonaws.com';
  return { scheme: 'https', authority: host, basePath: '' };
}
