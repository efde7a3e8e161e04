/**
 * A SqlPort for the use cases that create and drop prediction UDFs (deploy, delete, promote): it keeps the scripts
 * by `schema.name` with their CREATE text and refuses every other statement, so a test notices SQL nobody expected.
 * Metadata rows go to the stores (`InMemoryMetadataStores`), not here.
 */
import { SmeError } from '../errors.js';
import { queryText, type SqlPort, type SqlQuery, type SqlRows } from '../ports/sql-port.js';

const CREATE = 'CREATE OR REPLACE LUA SET SCRIPT ';
const DROP = 'DROP SCRIPT IF EXISTS ';

function fail(message: string): SmeError {
  return new SmeError('SME-E-SQL-TEST', 'SqlError', message, { sqlCode: '42000' });
}

/** `S.N` of the `"S"."N"` at the start of `text` (doubled quotes undone). */
function scriptKey(text: string): string {
  const parts: string[] = [];
  let i = 0;
  while (parts.length < 2 && text.charAt(i) === '"') {
    let part = '';
    i++;
    while (i < text.length) {
      if (text.charAt(i) === '"' && text.charAt(i + 1) === '"') {
        part += '"';
        i += 2;
      } else if (text.charAt(i) === '"') {
        i++;
        break;
      } else part += text.charAt(i++);
    }
    parts.push(part);
    if (text.charAt(i) === '.') i++;
  }
  if (parts.length !== 2) throw fail('no "schema"."name" in: ' + text.slice(0, 80));
  return parts.join('.');
}

export class InMemoryScriptsSql implements SqlPort {
  /** Scripts by `schema.name`, with their full CREATE text. */
  readonly scripts = new Map<string, string>();
  readonly statements: string[] = [];
  private readonly failures: { fragment: string; error: Error }[] = [];

  /** Makes every statement containing `fragment` fail with `error`. */
  failWhen(fragment: string, error: Error): this {
    this.failures.push({ fragment, error });
    return this;
  }

  query(query: string | SqlQuery): Promise<SqlRows> {
    const sql = queryText(query);
    return Promise.resolve().then(() => {
      this.statements.push(sql);
      throw fail('InMemoryScriptsSql answers no queries: ' + sql);
    });
  }

  execute(sql: string): Promise<number> {
    return Promise.resolve().then(() => {
      this.statements.push(sql);
      for (const f of this.failures) if (sql.includes(f.fragment)) throw f.error;
      if (sql.startsWith(CREATE)) {
        this.scripts.set(scriptKey(sql.slice(CREATE.length)), sql);
        return 0;
      }
      if (sql.startsWith(DROP)) return this.scripts.delete(scriptKey(sql.slice(DROP.length))) ? 1 : 0;
      throw fail('InMemoryScriptsSql does not understand: ' + sql);
    });
  }
}
