/**
 * Retry policy of the AWS-call UDF, portable (run by Node tests and, compiled, by the Lua UDF). It follows the
 * AWS SDKs' "standard" retry mode: at most 3 attempts, exponential backoff with full jitter
 * (`random(0, min(cap, base·2^(attempt-1)))`), base 0.1 s (0.5 s after throttling), cap 20 s.
 * A `Retry-After` answer (seconds; AWS's `x-amz-retry-after`, milliseconds) raises the delay to what the
 * service asked, still under the cap. Randomness comes from a seeded PRNG: Exasol's Lua has no `math.random`.
 */

/**
 * Which failures an operation may be retried on.
 * - `all`: throttling, 5xx and transport failures (no answer, timeout). Read-only calls, and S3 DeleteObject,
 *   which is idempotent (deleting a missing key answers 204).
 * - `throttling`: only throttling answers, which mean AWS did not run the request. Calls that change state but
 *   converge (Stop*, Delete* of SageMaker resources: a repeat after a lost success answers "not found") and
 *   InvokeEndpoint.
 * - `none`: creates (a repeat after a lost reply would fail with "already exists"; handled by the caller).
 */
export type RetryClass = 'all' | 'throttling' | 'none';

export const RETRY_CLASSES: ReadonlyMap<string, RetryClass> = new Map<string, RetryClass>([
  ['DescribeAutoMLJobV2', 'all'],
  ['ListCandidatesForAutoMLJob', 'all'],
  ['ListAutoMLJobs', 'all'],
  ['DescribeModel', 'all'],
  ['DescribeEndpoint', 'all'],
  ['ListEndpoints', 'all'],
  ['ListObjectsV2', 'all'],
  ['DeleteObject', 'all'],
  ['GetObject', 'all'],
  ['DescribeTransformJob', 'all'],
  ['StopTransformJob', 'throttling'],
  ['CreateTransformJob', 'none'],
  ['StopAutoMLJob', 'throttling'],
  ['DeleteModel', 'throttling'],
  ['DeleteEndpointConfig', 'throttling'],
  ['DeleteEndpoint', 'throttling'],
  ['InvokeEndpoint', 'throttling'],
  ['CreateAutoMLJobV2', 'none'],
  ['CreateModel', 'none'],
  ['CreateEndpointConfig', 'none'],
  ['CreateEndpoint', 'none'],
]);

export function retryClass(operation: string): RetryClass {
  return RETRY_CLASSES.get(operation) ?? 'none';
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelaySeconds: number;
  readonly throttlingBaseDelaySeconds: number;
  readonly maxBackoffSeconds: number;
}

/** The SDKs' standard mode. */
export const STANDARD_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  baseDelaySeconds: 0.1,
  throttlingBaseDelaySeconds: 0.5,
  maxBackoffSeconds: 20,
};

/** How one attempt ended. */
export type AttemptOutcome =
  | { readonly kind: 'throttled'; readonly retryAfterSeconds?: number }
  | { readonly kind: 'server-error'; readonly retryAfterSeconds?: number }
  | { readonly kind: 'transport' }
  | { readonly kind: 'final' };

/**
 * Seconds to wait before the next attempt, or undefined when the call must not be retried.
 * `attempt` is the number of attempts made so far (1 after the first); `random` answers in [0, 1).
 */
export function retryDelaySeconds(
  policy: RetryPolicy,
  cls: RetryClass,
  outcome: AttemptOutcome,
  attempt: number,
  random: () => number,
): number | undefined {
  if (attempt >= policy.maxAttempts || outcome.kind === 'final' || cls === 'none') return undefined;
  if (cls === 'throttling' && outcome.kind !== 'throttled') return undefined;
  const base = outcome.kind === 'throttled' ? policy.throttlingBaseDelaySeconds : policy.baseDelaySeconds;
  let ceiling = base;
  for (let i = 1; i < attempt; i++) ceiling = ceiling * 2;
  if (ceiling > policy.maxBackoffSeconds) ceiling = policy.maxBackoffSeconds;
  let r = random();
  if (!(r >= 0)) r = 0;
  if (r >= 1) r = 0.999999;
  let delay = r * ceiling;
  const after = outcome.kind === 'transport' ? undefined : outcome.retryAfterSeconds;
  if (after !== undefined && after > delay) delay = after;
  return delay > policy.maxBackoffSeconds ? policy.maxBackoffSeconds : delay;
}

function digits(text: string): number | undefined {
  if (text.length === 0 || text.length > 12) return undefined;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const b = text.charCodeAt(i);
    if (b < 48 || b > 57) return undefined;
    n = n * 10 + (b - 48);
  }
  return n;
}

/**
 * The wait an answer asks for: `x-amz-retry-after` (milliseconds) or `Retry-After` (delta-seconds; the HTTP-date
 * form is ignored, Exasol's Lua has no date parsing). Header names lower case.
 */
export function retryAfterSeconds(headers: Readonly<Record<string, string>>): number | undefined {
  const amz = headers['x-amz-retry-after'];
  const ms = amz === undefined ? undefined : digits(amz);
  if (ms !== undefined) return ms / 1000;
  const plain = headers['retry-after'];
  return plain === undefined ? undefined : digits(plain);
}

const MODULUS = 2147483647;
const MULTIPLIER = 48271;

/** Folds numbers (times, clock readings, their fractions) into a seed in [1, 2^31-2]. Exact in doubles. */
export function mixSeed(values: readonly number[]): number {
  let x = 1;
  for (const v of values) {
    const a = v < 0 ? -v : v;
    const whole = Math.floor(a);
    const fraction = Math.floor((a - whole) * 1000000000);
    x = (x * MULTIPLIER + (whole % MODULUS)) % MODULUS;
    x = (x * MULTIPLIER + (fraction % MODULUS)) % MODULUS;
  }
  return x === 0 ? 1 : x;
}

/**
 * A Park–Miller (MINSTD, multiplier 48271) generator: numbers in [0, 1). Only products below 2^47, so it gives the
 * same sequence in JavaScript doubles and in Lua 5.4 integers or floats.
 */
export function seededRandom(seed: number): () => number {
  let x = Math.floor(seed < 0 ? -seed : seed) % MODULUS;
  if (x === 0) x = 1;
  return () => {
    x = (x * MULTIPLIER) % MODULUS;
    return (x - 1) / (MODULUS - 1);
  };
}
