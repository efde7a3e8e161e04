import type { ExaType, WireValue } from './exa-types.js';
import type { Token } from './tokenizer.js';
import type { LuaMeta, LuaRuntime } from '../lua/lua-runtime.js';
import type { Access } from './privileges.js';
import type { ClusterShape, UdfCallRecord } from './cluster.js';
import type { CsvWriterPool } from './csv-writers.js';

export interface ExaColumn {
  readonly name: string;
  readonly type: ExaType;
}

/** The outcome of one statement, rows row-major (the protocol layer turns them column-major). */
export type ExaResult =
  | { readonly kind: 'rowCount'; readonly rowCount: number }
  | {
      readonly kind: 'resultSet';
      readonly columns: readonly ExaColumn[];
      readonly rows: readonly (readonly WireValue[])[];
    };

export const rowCount = (n: number): ExaResult => ({ kind: 'rowCount', rowCount: n });

import type { QualifiedName } from './qualified-name.js';

export type { QualifiedName };

/** Where EXPORT sends files: an S3-compatible endpoint standing in for AWS. */
export interface S3Target {
  readonly endpoint: string;
  readonly region: string;
  /** CA that an `https://` endpoint's certificate chains to (the AWS sandbox's `--aws-tls` CA). */
  readonly caPem?: string;
}

/**
 * What statement handlers outside the session (scripts, UDFs, EXPORT) need from it; keeps them free of a
 * dependency on the session class.
 */
export interface StatementContext {
  readonly sessionId: string;
  readonly user: string;
  readonly currentSchema: string | null;
  /** Privilege checks for this session's user. */
  readonly access: Access;
  /** Runs an Exasol statement in this session (same transaction). */
  execute(sql: string): Promise<ExaResult>;
  /** Runs DuckDB SQL as is (internal use: catalog tables, rewritten queries). */
  duck(sql: string): Promise<ExaResult>;
  /** Runs a DuckDB query as a stream: its columns, then its rows chunk by chunk, column-major (EXPORT). */
  duckChunks(sql: string): Promise<{ columns: ExaColumn[]; chunks: AsyncIterable<WireValue[][]> }>;
  /** The database's EXPORT writer threads (csv-writers.ts). */
  csvWriters(): CsvWriterPool;
  /** Rewrites Exasol tokens (all, whitespace included) into DuckDB SQL. */
  toDuckSql(tokens: readonly Token[]): string;
  /** Resolves `a.b` / `a` at significant-token index `at`. */
  parseName(tokens: readonly Token[], at: number): { name: QualifiedName; next: number };
  /** Runs `fn` atomically (its own transaction under autocommit). */
  atomic<T>(fn: () => Promise<T>): Promise<T>;
  lua(): Promise<LuaRuntime>;
  s3(): S3Target | undefined;
  /** `exa.meta` of a script, or of one UDF instance (its node and VM). */
  meta(scriptSchema: string, scriptName: string, instance?: { readonly node: number; readonly vm: number }): LuaMeta;
  /** The simulated cluster (NPROC, UDF instances per node). */
  readonly cluster: ClusterShape;
  /** Runs one UDF instance within the database's bound on instances running at once. */
  udfInstance<T>(fn: () => Promise<T>): Promise<T>;
  /** Notes the instances a UDF call ran (kept for tests and benchmarks). */
  recordUdfCall(record: UdfCallRecord): void;
}
