/**
 * A SqlPort for endpoint tests: statements on SME_METADATA_AUTOPILOT_ENDPOINTS and CREATE/DROP SCRIPT are
 * handled here, everything else goes to an {@link InMemorySql}. Like it, it rejects statements it was not taught.
 */
import { SmeError } from '../errors.js';
import { queryText, type SqlPort, type SqlQuery, type SqlRows, type SqlValue } from '../ports/sql-port.js';
import { ENDPOINT_COLUMNS, ENDPOINTS_TABLE } from '../sql/endpoints-sql.js';
import { InMemorySql, tokenize } from './in-memory-sql.js';

type Row = Record<string, SqlValue>;
type Token = ReturnType<typeof tokenize>[number];

function value(tokens: readonly Token[], at: number): { value: SqlValue; next: number } {
  const tok = tokens[at];
  if (tok === undefined) throw new Error('missing value');
  if (tok.t === 'string') return { value: tok.v, next: at + 1 };
  if (tok.t === 'number') return { value: Number(tok.v), next: at + 1 };
  if (tok.t === 'word' && tok.v === 'NULL') return { value: null, next: at + 1 };
  if (tok.t === 'word' && tok.v === 'TIMESTAMP') return { value: tokens[at + 1]?.v ?? '', next: at + 2 };
  throw new Error('unsupported value token ' + tok.v);
}

function fail(message: string): SmeError {
  return new SmeError('SME-E-SQL-TEST', 'SqlError', message, { sqlCode: '42000' });
}

export class InMemoryEndpointsSql implements SqlPort {
  readonly rows: Row[] = [];
  /** Scripts by `schema.name`, with their full CREATE text. */
  readonly scripts = new Map<string, string>();
  readonly statements: string[] = [];
  private readonly failures: { fragment: string; error: Error }[] = [];

  constructor(readonly jobs: InMemorySql = new InMemorySql()) {}

  failWhen(fragment: string, error: Error): this {
    this.failures.push({ fragment, error });
    return this;
  }

  query(query: string | SqlQuery): Promise<SqlRows> {
    return Promise.resolve().then(() => this.run(queryText(query), 'query') as SqlRows | Promise<SqlRows>);
  }

  execute(sql: string): Promise<number> {
    return Promise.resolve().then(() => this.run(sql, 'execute') as number | Promise<number>);
  }

  private run(sql: string, mode: 'query' | 'execute'): SqlRows | number | Promise<SqlRows | number> {
    this.statements.push(sql);
    for (const f of this.failures) if (sql.includes(f.fragment)) throw f.error;
    if (sql.startsWith('CREATE OR REPLACE LUA SET SCRIPT ')) {
      const t = tokenize(sql.slice(0, sql.indexOf('(')));
      this.scripts.set(`${t[6]?.v ?? ''}.${t[8]?.v ?? ''}`, sql);
      return 0;
    }
    if (sql.startsWith('DROP SCRIPT IF EXISTS ')) {
      const t = tokenize(sql);
      return this.scripts.delete(`${t[4]?.v ?? ''}.${t[6]?.v ?? ''}`) ? 1 : 0;
    }
    if (!sql.includes(ENDPOINTS_TABLE)) return mode === 'query' ? this.jobs.query(sql) : this.jobs.execute(sql);
    const tokens = tokenize(sql);
    const words = tokens.map((t) => t.v);
    const strings = (from: number): string[] =>
      tokens
        .slice(from)
        .filter((t) => t.t === 'string')
        .map((t) => t.v.toUpperCase());
    if (words[0] === 'CREATE') return 0;
    if (words[0] === 'INSERT') {
      const open = words.indexOf('(');
      const valuesAt = words.indexOf('VALUES');
      const names = tokens
        .slice(open + 1, valuesAt - 1)
        .filter((t) => t.t === 'ident')
        .map((t) => t.v);
      const row: Row = {};
      let at = valuesAt + 2;
      for (const name of names) {
        const v = value(tokens, at);
        row[name] = v.value;
        at = v.next + 1;
      }
      if (this.rows.some((r) => String(r.ENDPOINT_NAME).toUpperCase() === String(row.ENDPOINT_NAME).toUpperCase()))
        throw fail('constraint violation - primary key (ENDPOINT_NAME)');
      this.rows.push(row);
      return 1;
    }
    const whereAt = words.indexOf('WHERE');
    const match = (r: Row): boolean => {
      if (whereAt < 0) return true;
      const where = sql.slice(sql.indexOf(' WHERE '));
      const values = strings(whereAt);
      let i = 0;
      if (where.includes('UPPER("ENDPOINT_NAME")') && String(r.ENDPOINT_NAME).toUpperCase() !== values[i++])
        return false;
      if (where.includes('UPPER("JOB_NAME")') && String(r.JOB_NAME).toUpperCase() !== values[i]) return false;
      if (where.includes('"DELETED_AT" IS NULL') && r.DELETED_AT !== null && r.DELETED_AT !== undefined) return false;
      if (where.includes('"IDLE_DEADLINE" < TIMESTAMP ')) {
        // Timestamp texts of one format compare as strings.
        const deadline = r.IDLE_DEADLINE;
        if (typeof deadline !== 'string' || !(deadline < (values[values.length - 1] ?? ''))) return false;
      }
      return true;
    };
    if (words[0] === 'UPDATE') {
      const sets: [string, SqlValue][] = [];
      let at = words.indexOf('SET') + 1;
      while (at < whereAt) {
        const v = value(tokens, at + 2);
        sets.push([tokens[at]?.v ?? '', v.value]);
        at = v.next + 1;
      }
      let n = 0;
      for (const r of this.rows.filter(match)) {
        for (const [k, v] of sets) r[k] = v;
        n++;
      }
      return n;
    }
    if (words[0] === 'SELECT') {
      const selected = this.rows.filter(match);
      selected.sort((a, b) => String(b.CREATED).localeCompare(String(a.CREATED)));
      return {
        columns: ENDPOINT_COLUMNS.map((c) => ({ name: c.name, type: c.type })),
        rows: selected.map((r) => ENDPOINT_COLUMNS.map((c) => r[c.name] ?? null)),
      };
    }
    throw fail('InMemoryEndpointsSql does not understand: ' + sql);
  }
}
