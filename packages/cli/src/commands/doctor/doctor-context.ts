import { isSmeError, quoteIdentifier, quoteLiteral, type SqlPort } from '@sme/core';
import { AWS_CALL_UDF_NAME, CONNECTION_ADDRESS_UDF_NAME } from '@sme/udf';
import type { ProbeNames } from './probes.js';

/** One line of `sme doctor`: pass / warn / fail / unknown, what was seen, and the exact fix. */
export interface DoctorCheck {
  readonly name: string;
  readonly status: 'pass' | 'warn' | 'fail' | 'unknown';
  readonly detail: string;
  /** What to do; null when there is nothing to do. */
  readonly fix: string | null;
}

/** What the checks observe the world through; the command wires the real ones, tests inject failures. */
export interface DoctorDeps {
  readonly sql: SqlPort;
  /** sme's schema, as stored. */
  readonly schema: string;
  /** The version of this CLI. */
  readonly cliVersion: string;
  /** The `--connection` name as stored (unquoted names folded to upper case). */
  readonly connection?: string;
  /** The bucket of `--bucket`. */
  readonly bucket?: string;
  readonly region?: string;
  readonly role?: string;
  /** The time AWS's answer carried in its HTTP `Date` header (epoch ms), with where it came from. */
  awsDate(): Promise<{ readonly millis: number; readonly origin: string }>;
  /** Monotonic milliseconds (to carry a reading taken a moment ago forward). */
  elapsedMillis(): number;
  /** The CLI's own AWS credentials: a cheap signed read of SageMaker (a job that does not exist) and of S3. */
  cliAws?: {
    describeMissingJob(): Promise<void>;
    listPrefix(prefixUri: string): Promise<readonly string[]>;
    deletePrefix(prefixUri: string): Promise<number>;
    roleArn(nameOrArn: string): Promise<string>;
  };
  /** Why `cliAws` is missing (no region, a broken profile…), for the aws-credentials line. */
  readonly cliAwsProblem?: string;
  /** Aborted by Ctrl-C: the remaining checks are skipped, the probes still removed. */
  readonly signal?: AbortSignal;
}

/** Seconds of clock difference that pass; beyond them a warning, beyond `CLOCK_FAIL_SECONDS` a failure. */
export const CLOCK_PASS_SECONDS = 60;
/** SigV4 refuses requests whose date is this far from AWS's clock (the issue's and most services' limit). */
export const CLOCK_FAIL_SECONDS = 300;

/** Where the export probe writes (a key under the CONNECTION's bucket); deleted again at once. */
export const EXPORT_PROBE_PREFIX = 'sme-doctor-probe/';

/**
 * What one run of the checks has learned so far and what it created: later checks read what earlier ones found
 * (the bucket of the CONNECTION, whether sme is deployed), and the run removes what it created at the end.
 */
export class DoctorContext {
  probes: ProbeNames | undefined;
  createdProbes: string[] = [];
  createdSchema = false;
  /** The UDF's os.time() and when (elapsedMillis) it was read. */
  dbClock: { seconds: number; at: number; source: string } | undefined;
  deployedOk = false;
  user = '';
  bucket: string | undefined;
  region: string | undefined;
  accessDenied = false;
  exportedKey: string | undefined;

  constructor(readonly deps: DoctorDeps) {
    this.bucket = deps.bucket;
    this.region = deps.region;
  }

  get schemaSql(): string {
    return quoteIdentifier(this.deps.schema);
  }
}

export function check(
  name: string,
  status: DoctorCheck['status'],
  detail: string,
  fix: string | null = null,
): DoctorCheck {
  return { name, status, detail, fix };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function remedyOf(error: unknown): string | undefined {
  return isSmeError(error) ? error.details.remedy : undefined;
}

/** The envelope the AWS-call UDF answers (udf: `awsCallEnvelope`), as far as the doctor reads it. */
export interface Envelope {
  readonly ok: boolean;
  readonly httpStatus?: number;
  readonly code?: string;
  readonly message?: string;
  readonly remedy?: string;
}

/** What one in-database AWS call came to: an envelope, or the SQL error of the UDF call itself. */
export type UdfCall = { readonly envelope: Envelope } | { readonly sqlError: string };

/** One call of the deployed AWS-call UDF (the path training from SQL takes). */
export async function awsCall(ctx: DoctorContext, operation: string, payload: object): Promise<UdfCall> {
  const connection = ctx.deps.connection ?? '';
  const sql =
    `SELECT ${ctx.schemaSql}.${quoteIdentifier(AWS_CALL_UDF_NAME)}(` +
    [connection, ctx.region ?? '', operation, JSON.stringify(payload)].map(quoteLiteral).join(', ') +
    ') FROM DUAL';
  try {
    const found = await ctx.deps.sql.query(sql);
    const text = String(found.rows[0]?.[0] ?? '');
    const parsed = JSON.parse(text) as Envelope;
    return { envelope: parsed };
  } catch (error) {
    return { sqlError: messageOf(error) };
  }
}

export async function connectionAddressUdf(
  ctx: DoctorContext,
  connection: string,
): Promise<{ readonly address: string | undefined } | { readonly error: string }> {
  try {
    const found = await ctx.deps.sql.query(
      `SELECT ${ctx.schemaSql}.${quoteIdentifier(CONNECTION_ADDRESS_UDF_NAME)}(${quoteLiteral(connection)}) FROM DUAL`,
    );
    const value = found.rows[0]?.[0];
    return { address: typeof value === 'string' ? value : undefined };
  } catch (error) {
    return { error: messageOf(error) };
  }
}

export function accessFix(ctx: DoctorContext, connection: string): string {
  const user = ctx.user === '' ? '<user>' : quoteIdentifier(ctx.user);
  const target = (udf: string) => `${ctx.schemaSql}.${quoteIdentifier(udf)}`;
  return (
    `GRANT ACCESS ON CONNECTION ${quoteIdentifier(connection)} FOR SCRIPT ${target(AWS_CALL_UDF_NAME)} TO ${user}; ` +
    `GRANT ACCESS ON CONNECTION ${quoteIdentifier(connection)} FOR SCRIPT ${target(CONNECTION_ADDRESS_UDF_NAME)} TO ${user}` +
    " (as the CONNECTION's owner or a user with ACCESS ANY CONNECTION)"
  );
}

/** The schema as a shell word for the fix line (`SME`, or `'"Ml"'` for a quoted name). */
export function shellSchema(schema: string): string {
  return /^[A-Z][A-Z0-9_]*$/.test(schema) ? schema : `'${quoteIdentifier(schema)}'`;
}
