/** Progress and diagnostics. Never receives secrets: callers pass names and identifiers only. */
export interface Log {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}
