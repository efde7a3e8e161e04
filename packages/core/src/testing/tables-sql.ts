/**
 * An in-memory SqlPort over source tables given as fixtures: it answers the statements training reads a table with
 * (column lookup, row counts, the pre-flight profile, the node count, EXPORT). Not an SQL engine: anything else is
 * rejected, so a test notices when core starts emitting a statement nobody taught it. Metadata rows are not kept
 * here: use cases read and write them through the stores (`InMemoryMetadataStores` in `in-memory-stores.ts`).
 */
import { SmeError } from '../errors.js';
import {
  queryText,
  type SqlColumn,
  type SqlPort,
  type SqlQuery,
  type SqlRows,
  type SqlValue,
} from '../ports/sql-port.js';

type Token =
  | { readonly t: 'ident'; readonly v: string }
  | { readonly t: 'string'; readonly v: string }
  | { readonly t: 'number'; readonly v: string }
  | { readonly t: 'word'; readonly v: string }
  | { readonly t: 'punct'; readonly v: string };

/** Splits SQL into tokens, undoing `""` and `''` escapes. */
export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql.charAt(i);
    if (c === ' ' || c === '\n' || c === '\t') {
      i++;
    } else if (c === '"' || c === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= sql.length) throw new Error('unterminated quote in: ' + sql);
        const d = sql.charAt(i);
        if (d === c) {
          if (sql.charAt(i + 1) === c) {
            v += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += d;
        i++;
      }
      out.push(c === '"' ? { t: 'ident', v } : { t: 'string', v });
    } else if (/[0-9-]/.test(c) && /[0-9]/.test(sql.charAt(c === '-' ? i + 1 : i))) {
      const m = /^-?[0-9]+(\.[0-9]+)?(e[-+]?[0-9]+)?/i.exec(sql.slice(i));
      const v = m?.[0] ?? c;
      out.push({ t: 'number', v });
      i += v.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const v = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i))?.[0] ?? c;
      out.push({ t: 'word', v: v.toUpperCase() });
      i += v.length;
    } else {
      out.push({ t: 'punct', v: c });
      i++;
    }
  }
  return out;
}

export interface TableFixture {
  readonly columns: readonly SqlColumn[];
  readonly rowCount: number;
  /** Rows whose target is not NULL (default: all of them). */
  readonly targetRowCount?: number;
  /** Answers to the pre-flight profile query (default: 2 target values, 2 values per column, none equal to the target). */
  readonly profile?: {
    readonly targetDistinct?: number;
    /** COUNT(DISTINCT column) by column name. */
    readonly distinct?: Readonly<Record<string, number>>;
    /** Rows where the column equals the target, by column name. */
    readonly equalToTarget?: Readonly<Record<string, number>>;
    /** Characters of all values as text (`TEXT_CHARS`; default 10 per row). */
    readonly textChars?: number;
  };
}

export interface RecordedExport {
  readonly sql: string;
  readonly connection: string;
  readonly columns: readonly string[];
  readonly fileKeys: readonly string[];
}

function sqlError(message: string): SmeError {
  return new SmeError('SME-E-SQL-TEST', 'SqlError', message, { sqlCode: '42000' });
}

/** The in-memory SqlPort. Seed tables with `addTable`, read `statements` and `exports` in assertions. */
export class InMemoryTablesSql implements SqlPort {
  readonly statements: string[] = [];
  readonly exports: RecordedExport[] = [];
  private readonly tables = new Map<string, TableFixture>();
  private readonly failures: { match: (sql: string) => boolean; error: Error }[] = [];
  /** Called with every EXPORT carried out, e.g. to put its files into a fake object store. */
  onExport: ((recorded: RecordedExport) => void) | undefined;
  /** What `NPROC()` answers: the simulated node count (the export writes 4 part files per node). */
  nodes = 1;

  addTable(schema: string, table: string, fixture: TableFixture): this {
    this.tables.set(schema + '.' + table, fixture);
    return this;
  }

  /** Makes every statement containing `fragment` fail with `error`. */
  failWhen(fragment: string, error: Error): this {
    this.failures.push({ match: (sql) => sql.includes(fragment), error });
    return this;
  }

  query(query: string | SqlQuery): Promise<SqlRows> {
    return Promise.resolve().then(() => this.run(queryText(query), 'query') as SqlRows);
  }

  execute(sql: string): Promise<number> {
    return Promise.resolve().then(() => this.run(sql, 'execute') as number);
  }

  private run(sql: string, mode: 'query' | 'execute'): SqlRows | number {
    this.statements.push(sql);
    for (const f of this.failures) if (f.match(sql)) throw f.error;
    const tokens = tokenize(sql);
    const words = tokens.map((t) => t.v);
    if (words[0] === 'SELECT' && words[1] === 'NPROC') {
      return { columns: [{ name: 'NPROC', type: 'DECIMAL(18,0)' }], rows: [[this.nodes]] };
    }
    if (sql.includes('"SYS"."EXA_ALL_COLUMNS"')) {
      const strings = tokens.filter((t) => t.t === 'string').map((t) => t.v);
      const fixture = this.tables.get(`${strings[0] ?? ''}.${strings[1] ?? ''}`);
      return {
        columns: [
          { name: 'COLUMN_NAME', type: 'VARCHAR(128) UTF8' },
          { name: 'COLUMN_TYPE', type: 'VARCHAR(40) UTF8' },
        ],
        rows: (fixture?.columns ?? []).map((c) => [c.name, c.type]),
      };
    }
    if (words.includes('TARGET_DISTINCT')) {
      const fromAt = tokens.findIndex((t) => t.t === 'word' && t.v === 'FROM');
      const schema = tokens[fromAt + 1]?.v ?? '';
      const table = tokens[fromAt + 3]?.v ?? '';
      const fixture = this.tables.get(`${schema}.${table}`);
      if (fixture === undefined) throw sqlError(`object ${schema}.${table} not found`);
      const columns: SqlColumn[] = [{ name: 'TARGET_DISTINCT', type: 'DECIMAL(18,0)' }];
      const row: SqlValue[] = [fixture.profile?.targetDistinct ?? 2];
      // Every `COUNT(DISTINCT "<column>") AS "D<n>"` after the target's names a feature column.
      for (let i = 0; i < tokens.length; i++) {
        const alias = tokens[i];
        if (alias?.t !== 'ident' || !/^D[0-9]+$/.test(alias.v)) continue;
        const column = tokens[i - 3]?.v ?? '';
        const n = alias.v.slice(1);
        const eAt = tokens.findIndex((t) => t.t === 'ident' && t.v === 'E' + n);
        const constantZero = tokens[eAt - 2]?.t === 'number';
        columns.push({ name: alias.v, type: 'DECIMAL(18,0)' }, { name: 'E' + n, type: 'DECIMAL(18,0)' });
        row.push(
          fixture.profile?.distinct?.[column] ?? 2,
          constantZero ? 0 : (fixture.profile?.equalToTarget?.[column] ?? 0),
        );
      }
      columns.push({ name: 'TEXT_CHARS', type: 'DECIMAL(18,0)' });
      row.push(fixture.profile?.textChars ?? fixture.rowCount * 10);
      return { columns, rows: [row] };
    }
    if (words[0] === 'SELECT' && words[1] === 'COUNT') {
      const fromAt = words.indexOf('FROM');
      const schema = tokens[fromAt + 1]?.v ?? '';
      const table = tokens[fromAt + 3]?.v ?? '';
      const fixture = this.tables.get(`${schema}.${table}`);
      if (fixture === undefined) throw sqlError(`object ${schema}.${table} not found`);
      if (words.includes('TARGET_ROW_COUNT')) {
        return {
          columns: [
            { name: 'ROW_COUNT', type: 'DECIMAL(18,0)' },
            { name: 'TARGET_ROW_COUNT', type: 'DECIMAL(18,0)' },
          ],
          rows: [[fixture.rowCount, fixture.targetRowCount ?? fixture.rowCount]],
        };
      }
      return { columns: [{ name: 'ROW_COUNT', type: 'DECIMAL(18,0)' }], rows: [[fixture.rowCount]] };
    }
    if (words[0] === 'EXPORT') {
      const closing = words.indexOf('INTO');
      const inner = tokens.slice(2, closing - 1);
      const fromAt = inner.findIndex((t) => t.t === 'word' && t.v === 'FROM');
      const columns = inner
        .slice(1, fromAt)
        .filter((t) => t.t === 'ident')
        .map((t) => t.v);
      const atAt = words.indexOf('AT');
      const connection = tokens[atAt + 1]?.v ?? '';
      const fileKeys = tokens.filter((t, i) => t.t === 'string' && tokens[i - 1]?.v === 'FILE').map((t) => t.v);
      // The table is the first `FROM "S"."T"` (a sample's SELECT nests it in subqueries).
      const tableAt = inner.findIndex(
        (t, i) => t.t === 'word' && t.v === 'FROM' && inner[i + 1]?.t === 'ident' && inner[i + 2]?.v === '.',
      );
      const schema = inner[tableAt + 1]?.v ?? '';
      const table = inner[tableAt + 3]?.v ?? '';
      const fixture = this.tables.get(`${schema}.${table}`);
      if (fixture === undefined) throw sqlError(`object ${schema}.${table} not found`);
      const recorded = { sql, connection, columns, fileKeys };
      this.exports.push(recorded);
      this.onExport?.(recorded);
      const limitAt = inner.findIndex((t) => t.t === 'word' && t.v === 'LIMIT');
      const limit = limitAt < 0 ? fixture.rowCount : Number(inner[limitAt + 1]?.v);
      return mode === 'execute' ? Math.min(limit, fixture.rowCount) : { columns: [], rows: [] };
    }
    throw sqlError('the in-memory SqlPort does not understand: ' + sql);
  }
}
