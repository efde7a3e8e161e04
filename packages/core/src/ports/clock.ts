/** Wall-clock time. Node: `Date.now()`; Lua: `os.time()` (seconds, so milliseconds are 0). */
export interface Clock {
  /** Milliseconds since 1970-01-01T00:00:00Z. */
  nowMillis(): number;
}
