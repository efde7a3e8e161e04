/**
 * SQL errors as Exasol reports them: `{text, sqlCode}` with a 5-character SQLSTATE-like code
 * (https://github.com/exasol/websocket-api). DuckDB's messages are translated at this edge so clients see Exasol's
 * wording.
 */
export class ExaSqlError extends Error {
  override readonly name = 'ExaSqlError';
  constructor(
    message: string,
    readonly sqlCode: string = '42000',
  ) {
    super(message);
  }
}

export function isExaSqlError(e: unknown): e is ExaSqlError {
  return e instanceof ExaSqlError;
}

/** Exasol's answer to a statement on an unqualified name while no schema is open. */
export const noSchemaOpened = (): ExaSqlError =>
  new ExaSqlError('no schema specified or opened or current schema has been dropped', '42000');

/** Translates an error thrown by DuckDB into Exasol's wording and sqlCode. */
export function fromDuckError(e: unknown, sessionId: string): ExaSqlError {
  if (e instanceof ExaSqlError) return e;
  const raw = e instanceof Error ? e.message : String(e);
  const firstLine = raw.split('\n')[0] ?? raw;
  const suffix = ` (Session: ${sessionId})`;
  let m = /^Catalog Error: (?:Table|View|Table Function|Schema)(?: with name)? "?([^"!\s]+)"? does not exist/.exec(
    firstLine,
  );
  if (m) return new ExaSqlError(`object ${m[1] ?? ''} not found${suffix}`, '42000');
  m = /^Binder Error: Referenced column "?([^"\s]+)"? not found/.exec(firstLine);
  if (m) return new ExaSqlError(`object ${(m[1] ?? '').toUpperCase()} not found${suffix}`, '42000');
  m = /^Catalog Error: Scalar Function with name (\S+) does not exist/.exec(firstLine);
  if (m) return new ExaSqlError(`function or script ${(m[1] ?? '').toUpperCase()} not found${suffix}`, '42000');
  m = /^Parser Error: syntax error at or near "([^"]*)"/.exec(firstLine);
  if (m) return new ExaSqlError(`syntax error, unexpected '${m[1] ?? ''}'${suffix}`, '42000');
  if (/^Parser Error: syntax error at end of input/.test(firstLine))
    return new ExaSqlError(`syntax error, unexpected $end${suffix}`, '42000');
  if (firstLine.startsWith('Constraint Error:'))
    return new ExaSqlError(`constraint violation - ${firstLine.slice(18)}${suffix}`, '27001');
  if (firstLine.startsWith('Conversion Error:') || firstLine.startsWith('Invalid Input Error:'))
    return new ExaSqlError(`data exception - ${firstLine.replace(/^[^:]+: /, '')}${suffix}`, '22018');
  if (firstLine.startsWith('Out of Range Error:'))
    return new ExaSqlError(`data exception - numeric value out of range${suffix}`, '22003');
  if (/Transaction|conflict/i.test(firstLine))
    return new ExaSqlError(`GlobalTransactionRollback msg: ${firstLine}${suffix}`, '40001');
  if (firstLine.startsWith('INTERRUPT Error:')) return new ExaSqlError(`Execution aborted by user${suffix}`, 'R0001');
  return new ExaSqlError(`${firstLine.replace(/^[A-Za-z ]+ Error: /, '')}${suffix}`, '42000');
}
