/**
 * Faults to inject into one operation (or `*` for all): shares are probabilities in [0, 1].
 * A request first waits `latencyMs`, then is throttled when it is over `maxPerSecond` or with `throttleRate`, else
 * fails with a 5xx with
 * `serverErrorRate`, else is carried out and its answer lost with `lostReplyRate`, else carried out and its
 * connection reset with `resetRate`. The last two are what makes a client retry something that already happened.
 */
export interface FaultRule {
  /** Share of requests answered 400 ThrottlingException. */
  readonly throttleRate?: number;
  /** Share of requests answered 503 ServiceUnavailable or 500 InternalFailure (alternating). */
  readonly serverErrorRate?: number;
  /** Share of requests carried out (e.g. the job really created) and then answered 500 InternalFailure. */
  readonly lostReplyRate?: number;
  /** Share of requests carried out and then answered by closing the TCP connection without any response. */
  readonly resetRate?: number;
  /** Added latency in milliseconds before the request is handled. */
  readonly latencyMs?: number;
  /**
   * A request rate like AWS's: a request that arrives when this many were let through in the last second is
   * answered 400 ThrottlingException ("Rate exceeded"), as an account over its API rate is.
   */
  readonly maxPerSecond?: number;
}

/** Rules per operation name (`CreateAutoMLJobV2`, `InvokeEndpoint`, `S3:PutObject`-style `S3`, or `*`). */
export type FaultRules = Readonly<Record<string, FaultRule>>;

/** What the sandbox does with one request. */
export type FaultDecision =
  | { readonly kind: 'none'; readonly latencyMs: number }
  | { readonly kind: 'throttle'; readonly latencyMs: number }
  | { readonly kind: 'server'; readonly latencyMs: number; readonly status: 500 | 503; readonly code: string }
  /** Carry the request out, then answer 500 as if the real answer was lost on the way. */
  | { readonly kind: 'lostReply'; readonly latencyMs: number }
  /** Carry the request out, then drop the connection without an answer. */
  | { readonly kind: 'reset'; readonly latencyMs: number };

const RATES = ['throttleRate', 'serverErrorRate', 'lostReplyRate', 'resetRate'] as const;

/** Run-time control of fault injection (also reachable over HTTP at `POST /_sandbox/faults`). */
export interface FaultControl {
  /** Replaces all rules. */
  set(rules: FaultRules): void;
  /** Sets or replaces the rule of one operation (`*` for all). */
  setOperation(operation: string, rule: FaultRule): void;
  /** Removes every rule. */
  clear(): void;
  /** The current rules. */
  get(): FaultRules;
  /** How many faults were injected so far, per operation. */
  injected(): Readonly<Record<string, number>>;
  /**
   * The requests received per operation since the start (or `resetObserved`), their peak in one second, and for
   * the operations whose requests are timed while in flight (InvokeEndpoint, the control plane) the most at once.
   */
  observed(): Readonly<Record<string, RequestRate>>;
  /** Forgets what `observed` and `injected` counted (the rules stay). */
  resetObserved(): void;
}

/** What the sandbox saw of one operation's requests. */
export interface RequestRate {
  readonly requests: number;
  /** The most requests that arrived within any one second. */
  readonly peakPerSecond: number;
  /** The most requests in flight at once (arrival to answer, injected latency included), where timed. */
  readonly peakInFlight?: number;
  /**
   * The milliseconds the answered requests were in flight, summed: over a stretch of wall time, this divided by
   * the stretch is how many were in flight on average.
   */
  readonly inFlightMs?: number;
}

/** Requests of one operation in flight now, the most at once, and the summed time of those answered. */
interface Flights {
  now: number;
  peak: number;
  ms: number;
}

/** Arrival times within the last second, oldest first. */
class Window {
  private readonly times: number[] = [];

  count(now: number): number {
    while (this.times.length > 0 && (this.times[0] ?? 0) <= now - 1000) this.times.shift();
    return this.times.length;
  }

  add(now: number): void {
    this.times.push(now);
  }
}

function checkRule(op: string, rule: FaultRule): FaultRule {
  // Rules also arrive as JSON over HTTP, so the declared type is not a guarantee.
  const raw: unknown = rule;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new TypeError(`fault rule ${op} must be an object, received ${JSON.stringify(rule)}`);
  }
  for (const key of Object.keys(rule)) {
    if (key !== 'latencyMs' && key !== 'maxPerSecond' && !(RATES as readonly string[]).includes(key)) {
      throw new RangeError(
        `fault rule ${op}.${key} is unknown; use ${RATES.join(', ')} or latencyMs (a rate: maxPerSecond)`,
      );
    }
  }
  for (const key of RATES) {
    const v = rule[key];
    if (v !== undefined && (typeof v !== 'number' || !(v >= 0 && v <= 1))) {
      throw new RangeError(`fault rule ${op}.${key} must be a number in [0, 1], received ${String(v)}`);
    }
  }
  const l = rule.latencyMs;
  if (l !== undefined && (typeof l !== 'number' || !(l >= 0 && l <= 600_000))) {
    throw new RangeError(`fault rule ${op}.latencyMs must be a number in [0, 600000], received ${String(l)}`);
  }
  const m = rule.maxPerSecond;
  if (m !== undefined && (typeof m !== 'number' || !(m >= 1 && m <= 1_000_000))) {
    throw new RangeError(`fault rule ${op}.maxPerSecond must be a number in [1, 1000000], received ${String(m)}`);
  }
  return Object.freeze({ ...rule });
}

/** Deterministic PRNG (mulberry32) so fault sequences are reproducible for a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The fault injector: holds the rules and decides per request. */
export class FaultInjector implements FaultControl {
  private rules: Record<string, FaultRule> = {};
  private readonly counts: Record<string, number> = {};
  /** Per operation: every arrival (for the peak) and the arrivals let through (for `maxPerSecond`). */
  private readonly arrivals = new Map<string, { all: Window; passed: Window; requests: number; peak: number }>();
  private readonly flights = new Map<string, Flights>();
  private serverToggle = false;

  constructor(
    initial: FaultRules = {},
    private readonly random: () => number = Math.random,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.set(initial);
  }

  set(rules: FaultRules): void {
    const next: Record<string, FaultRule> = {};
    for (const [op, rule] of Object.entries(rules)) next[op] = checkRule(op, rule);
    this.rules = next;
  }

  setOperation(operation: string, rule: FaultRule): void {
    this.rules = { ...this.rules, [operation]: checkRule(operation, rule) };
  }

  clear(): void {
    this.rules = {};
  }

  get(): FaultRules {
    return { ...this.rules };
  }

  injected(): Readonly<Record<string, number>> {
    return { ...this.counts };
  }

  resetObserved(): void {
    this.arrivals.clear();
    for (const f of this.flights.values()) {
      f.peak = f.now;
      f.ms = 0;
    }
    for (const op of Object.keys(this.counts)) this.counts[op] = 0;
  }

  observed(): Readonly<Record<string, RequestRate>> {
    const out: Record<string, RequestRate> = {};
    for (const [op, a] of this.arrivals) {
      const f = this.flights.get(op);
      out[op] = {
        requests: a.requests,
        peakPerSecond: a.peak,
        ...(f === undefined ? {} : { peakInFlight: f.peak, inFlightMs: f.ms }),
      };
    }
    return out;
  }

  /** Times one request of `operation` while in flight: from now until the returned function is called (once). */
  inFlight(operation: string): () => void {
    let f = this.flights.get(operation);
    if (f === undefined) {
      f = { now: 0, peak: 0, ms: 0 };
      this.flights.set(operation, f);
    }
    const flights = f;
    const start = this.now();
    flights.now++;
    flights.peak = Math.max(flights.peak, flights.now);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      flights.now--;
      flights.ms += this.now() - start;
    };
  }

  /** Decides the fate of one request to `operation`. */
  decide(operation: string): FaultDecision {
    const now = this.now();
    let a = this.arrivals.get(operation);
    if (a === undefined) {
      a = { all: new Window(), passed: new Window(), requests: 0, peak: 0 };
      this.arrivals.set(operation, a);
    }
    a.requests++;
    a.all.add(now);
    a.peak = Math.max(a.peak, a.all.count(now));
    const rule = this.rules[operation] ?? this.rules['*'];
    if (rule === undefined) return { kind: 'none', latencyMs: 0 };
    const latencyMs = rule.latencyMs ?? 0;
    if (rule.maxPerSecond !== undefined && a.passed.count(now) >= rule.maxPerSecond) {
      this.count(operation);
      return { kind: 'throttle', latencyMs };
    }
    a.passed.add(now);
    if ((rule.throttleRate ?? 0) > 0 && this.random() < (rule.throttleRate ?? 0)) {
      this.count(operation);
      return { kind: 'throttle', latencyMs };
    }
    if ((rule.serverErrorRate ?? 0) > 0 && this.random() < (rule.serverErrorRate ?? 0)) {
      this.count(operation);
      this.serverToggle = !this.serverToggle;
      return this.serverToggle
        ? { kind: 'server', latencyMs, status: 503, code: 'ServiceUnavailable' }
        : { kind: 'server', latencyMs, status: 500, code: 'InternalFailure' };
    }
    if (this.roll(rule.lostReplyRate)) {
      this.count(operation);
      return { kind: 'lostReply', latencyMs };
    }
    if (this.roll(rule.resetRate)) {
      this.count(operation);
      return { kind: 'reset', latencyMs };
    }
    return { kind: 'none', latencyMs };
  }

  /** Draws only for a rate above 0, so rules without the new rates keep their earlier fault sequences. */
  private roll(rate: number | undefined): boolean {
    return (rate ?? 0) > 0 && this.random() < (rate ?? 0);
  }

  private count(operation: string): void {
    this.counts[operation] = (this.counts[operation] ?? 0) + 1;
  }
}
