import { isSmeError, SmeError } from './core-api.js';
import { exasolError } from './exasol-error-codes.js';
import { statementStart } from './exasol-errors.js';

/** One deployment statement as `@sme/udf` produces it: the SQL text and what it creates, for reports. */
export interface DeploymentStatement {
  readonly sql: string;
  readonly description: string;
}

/** The slice of `ExasolSqlPort` the deployer needs. */
export interface DeployTarget {
  execute(sql: string): Promise<number>;
  executeBatch(sqls: readonly string[]): Promise<readonly unknown[]>;
}

export interface DeployOptions {
  /** Return the statements formatted for SQL clients instead of running them. */
  readonly print?: boolean;
}

/** What `deploy` did: the statements it ran (in order) and how many round trips that took, or the printed text. */
export type DeployResult =
  | { readonly mode: 'executed'; readonly created: readonly string[]; readonly roundTrips: number }
  | { readonly mode: 'printed'; readonly text: string; readonly statements: readonly DeploymentStatement[] };

/** `CREATE [OR REPLACE] [LUA|PYTHON3|…] [SCALAR|SET] SCRIPT` — statements with a body that SQL clients end with `/`. */
const CREATE_SCRIPT = /^\s*CREATE\s+(OR\s+REPLACE\s+)?(\w+\s+)?((SCALAR|SET)\s+)?SCRIPT\b/i;

/** True for a CREATE SCRIPT statement (scripting program or UDF). */
export function isCreateScript(sql: string): boolean {
  return CREATE_SCRIPT.test(sql);
}

function normalise(statements: readonly (string | DeploymentStatement)[]): DeploymentStatement[] {
  return statements.map((s) => (typeof s === 'string' ? { sql: s, description: statementStart(s) } : s));
}

/**
 * Formats statements for SQL clients (EXAplus, DbVisualizer, DBeaver): a `-- description` line, then the
 * statement; CREATE SCRIPT bodies end with a line holding only `/` (the clients' script delimiter, which is
 * not part of the statement sent over the WebSocket API,
 * https://docs.exasol.com/db/latest/sql/create_script.htm), others with `;`.
 */
export function formatForSqlClient(statements: readonly (string | DeploymentStatement)[]): string {
  return normalise(statements)
    .map(({ sql, description }) => {
      const body = sql.trim();
      const header = `-- ${description.replace(/\s+/g, ' ')}`;
      if (isCreateScript(body)) return `${header}\n${body}\n/\n`;
      return `${header}\n${body.endsWith(';') ? body : `${body};`}\n`;
    })
    .join('\n');
}

/**
 * Runs deployment statements in order. Consecutive ordinary statements (CREATE SCHEMA, CREATE TABLE, GRANT …)
 * go in one `executeBatch`; each CREATE SCRIPT runs on its own, so that a failing script is named in the
 * error and a large script body is never combined with other statements in one frame.
 *
 * @example
 * const result = await new ExasolDeployer(sql).deploy(statements);          // runs them
 * const { text } = await new ExasolDeployer().deploy(statements, { print: true }); // for a DBA
 */
export class ExasolDeployer {
  private readonly target: DeployTarget | undefined;

  constructor(target?: DeployTarget) {
    this.target = target;
  }

  /**
   * @throws SmeError the statement's error (`SME-E-SQL` …) with the message naming what was being created;
   *   `SME-E-EXA-DEPLOY-NO-SESSION` when asked to run without a session.
   */
  async deploy(
    statements: readonly (string | DeploymentStatement)[],
    options: DeployOptions = {},
  ): Promise<DeployResult> {
    const list = normalise(statements);
    if (options.print === true) {
      return { mode: 'printed', text: formatForSqlClient(list), statements: list };
    }
    const target = this.target;
    if (target === undefined) {
      throw exasolError('SME-E-EXA-DEPLOY-NO-SESSION', 'the deployer needs an Exasol session to run statements');
    }
    const created: string[] = [];
    let roundTrips = 0;
    let pending: DeploymentStatement[] = [];
    const flush = async (): Promise<void> => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      roundTrips++;
      await withDescription(batch, () =>
        batch.length === 1 ? target.execute(batch[0]?.sql ?? '') : target.executeBatch(batch.map((s) => s.sql)),
      );
      created.push(...batch.map((s) => s.description));
    };
    for (const statement of list) {
      if (isCreateScript(statement.sql)) {
        await flush();
        roundTrips++;
        await withDescription([statement], () => target.execute(statement.sql));
        created.push(statement.description);
      } else {
        pending.push(statement);
      }
    }
    await flush();
    return { mode: 'executed', created, roundTrips };
  }
}

async function withDescription(batch: readonly DeploymentStatement[], run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!isSmeError(error)) throw error;
    const what =
      batch.length === 1 ? (batch[0]?.description ?? '') : `one of: ${batch.map((s) => s.description).join('; ')}`;
    throw new SmeError(error.code, error.kind, `deployment stopped at ${what}: ${error.message}`, error.details, error);
  }
}
