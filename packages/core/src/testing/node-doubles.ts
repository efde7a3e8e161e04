/** Node implementations of the small ports, for tests and Node callers. */
import type { Clock } from '../ports/clock.js';
import type { Json } from '../ports/json.js';
import type { Log } from '../ports/log.js';

/** The Json port over the global JSON. JSON null is dropped, as the Lua (cjson) port does. */
export const nodeJson: Json = {
  decode: (text: string): unknown => JSON.parse(text, (_k, v: unknown) => (v === null ? undefined : v)) as unknown,
  encode: (value: unknown): string => JSON.stringify(value),
};

/** A clock that stands still until moved. */
export class FixedClock implements Clock {
  constructor(private millis: number) {}
  nowMillis(): number {
    return this.millis;
  }
  advance(millis: number): void {
    this.millis += millis;
  }
}

/** A log that keeps its lines, for assertions (and for checking that no secret is logged). */
export class MemoryLog implements Log {
  readonly lines: string[] = [];
  info(message: string): void {
    this.lines.push('info: ' + message);
  }
  warn(message: string): void {
    this.lines.push('warn: ' + message);
  }
  debug(message: string): void {
    this.lines.push('debug: ' + message);
  }
}
