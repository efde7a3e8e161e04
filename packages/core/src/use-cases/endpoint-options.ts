/**
 * What an endpoint costs while nobody uses it: an idle time-to-live after which sme deletes it (reapIdleEndpoints),
 * and SageMaker's serverless inference instead of instances (billed per request, nothing while idle).
 */
import { coreError } from '../error-codes.js';
import type { SmeError } from '../errors.js';
import { describeValue, isIntegral } from '../text.js';

/** Shortest and longest idle time-to-live, in seconds: 1 minute and 30 days. */
export const MIN_IDLE_TTL_SECONDS = 60;
export const MAX_IDLE_TTL_SECONDS = 30 * 24 * 3600;

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 };

function ttlError(value: unknown, why: string): SmeError {
  return coreError('SME-E-ENDPOINT-IDLE-TTL', 'idle time-to-live ' + describeValue(value) + ' ' + why, {
    key: 'idle_ttl',
    value: describeValue(value),
  });
}

/**
 * An idle time-to-live as seconds: `<whole number><s|m|h|d>` (`90m`, `2h`, `1d`) or a whole number of seconds,
 * from 1 minute to 30 days.
 *
 * @throws SmeError `SME-E-ENDPOINT-IDLE-TTL` for anything else.
 * @example
 * parseIdleTtl('2h'); // 7200
 */
export function parseIdleTtl(value: string | number): number {
  let seconds: number;
  if (typeof value === 'number') {
    if (!isIntegral(value)) throw ttlError(value, 'is not a whole number of seconds');
    seconds = value;
  } else {
    const text = value.trim().toLowerCase();
    const unit = UNIT_SECONDS[text.slice(-1)];
    const digits = text.slice(0, -1);
    let n = 0;
    for (let i = 0; i < digits.length; i++) {
      const c = digits.charCodeAt(i);
      if (c < 48 || c > 57) throw ttlError(value, 'is not a whole number with a unit (s, m, h, d), e.g. 2h');
      n = n * 10 + (c - 48);
    }
    if (unit === undefined || digits.length === 0 || digits.length > 9) {
      throw ttlError(value, 'is not a whole number with a unit (s, m, h, d), e.g. 2h');
    }
    seconds = n * unit;
  }
  if (seconds < MIN_IDLE_TTL_SECONDS || seconds > MAX_IDLE_TTL_SECONDS) {
    throw ttlError(value, 'is outside 1 minute to 30 days');
  }
  return seconds;
}

/** A serverless endpoint's capacity: ProductionVariants[].ServerlessConfig. */
export interface ServerlessCapacity {
  /** MemorySizeInMB: 1024, 2048, …, 6144. */
  readonly memoryMb: number;
  /** MaxConcurrency: 1–200 invocations at once (default {@link DEFAULT_SERVERLESS_MAX_CONCURRENCY}). */
  readonly maxConcurrency?: number;
}

/** Concurrent invocations of a serverless endpoint unless given: the 4 prediction groups per node of one or two nodes. */
export const DEFAULT_SERVERLESS_MAX_CONCURRENCY = 5;

/**
 * "The maximum request and response payload size for serverless invocations is 4 MB"
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints-invoke.html): the prediction UDF of a
 * serverless endpoint fills its requests up to this (4,000,000 bytes, whether AWS means MB or MiB) less a margin.
 */
export const MAX_SERVERLESS_INVOKE_BYTES = 4 * 1000 * 1000 - 1024;

/**
 * Checks serverless settings as the API model and its documentation state them: MemorySizeInMB "in 1 GB increments:
 * 1024 MB, 2048 MB, 3072 MB, 4096 MB, 5120 MB, or 6144 MB", MaxConcurrency 1–200.
 *
 * @throws SmeError `SME-E-ENDPOINT-SERVERLESS` naming the setting.
 * @example
 * checkServerless({ memoryMb: 2048 }); // { memoryMb: 2048, maxConcurrency: 5 }
 */
export function checkServerless(capacity: ServerlessCapacity): Required<ServerlessCapacity> {
  const memory = capacity.memoryMb;
  if (typeof memory !== 'number' || !isIntegral(memory) || memory < 1024 || memory > 6144 || memory % 1024 !== 0) {
    throw coreError(
      'SME-E-ENDPOINT-SERVERLESS',
      'serverless memory ' + describeValue(memory) + ' MB is not one of 1024, 2048, 3072, 4096, 5120, 6144',
      { key: 'serverless_memory_mb', value: describeValue(memory) },
    );
  }
  const concurrency = capacity.maxConcurrency ?? DEFAULT_SERVERLESS_MAX_CONCURRENCY;
  if (typeof concurrency !== 'number' || !isIntegral(concurrency) || concurrency < 1 || concurrency > 200) {
    throw coreError(
      'SME-E-ENDPOINT-SERVERLESS',
      'serverless max concurrency ' + describeValue(concurrency) + ' is not a whole number from 1 to 200',
      { key: 'serverless_max_concurrency', value: describeValue(concurrency) },
    );
  }
  return { memoryMb: memory, maxConcurrency: concurrency };
}
