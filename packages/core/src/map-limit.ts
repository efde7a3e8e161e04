import { coreError } from './error-codes.js';
import { describeValue, isIntegral } from './text.js';

/**
 * Maps `items` through `fn` with at most `limit` calls in flight, keeping the order of results. Portable:
 * no timers; in Lua, where the ports resolve immediately, it simply runs one item after another.
 * Rejects with the first rejection (wrap `fn` to collect per-item errors instead). Results must not be
 * `undefined` (Lua arrays cannot hold nil).
 *
 * @example
 * const statuses = await mapLimit(jobNames, 4, (name) => automl.describeJob(name));
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (typeof limit !== 'number' || !isIntegral(limit) || limit < 1) {
    throw coreError(
      'SME-E-ARGUMENT',
      'the concurrency limit must be a whole number of at least 1; received ' + describeValue(limit),
      {
        key: 'concurrency',
        value: describeValue(limit),
      },
    );
  }
  const results: R[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next = next + 1;
      results[index] = await fn(items[index] as T, index);
    }
  };
  const workers: Promise<void>[] = [];
  const count = limit < items.length ? limit : items.length;
  for (let i = 0; i < count; i++) workers.push(worker());
  await Promise.all(workers);
  return results;
}
