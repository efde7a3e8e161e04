/** Helpers for the JSON 1.1 requests and answers of the sandbox's SageMaker: shapes, S3 URIs, paging. */
import { validation } from './api-errors.js';

/** JSON as the SDK sends and receives it. */
export type Json = Record<string, unknown>;

/** Splits `s3://bucket/key…` (or `https://bucket.s3…/key`) into bucket and key. */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri) ?? /^https:\/\/([^./]+)\.s3[^/]*\/?(.*)$/.exec(uri);
  if (m === null) throw validation(`S3 URI '${uri}' is not of the form s3://bucket/prefix.`);
  return { bucket: m[1] ?? '', key: m[2] ?? '' };
}

export function epoch(ms: number): number {
  return ms / 1000;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function obj(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

/** Offset-based pagination tokens. */
export function page<T>(items: readonly T[], maxResults: unknown, nextToken: unknown, defaultMax: number) {
  const max = typeof maxResults === 'number' ? maxResults : defaultMax;
  let start = 0;
  if (typeof nextToken === 'string') {
    start = Number(Buffer.from(nextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) throw validation(`Invalid pagination token '${nextToken}'.`);
  }
  const slice = items.slice(start, start + max);
  const next = start + max < items.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
  return { slice, next };
}
