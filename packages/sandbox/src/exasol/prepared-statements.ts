/**
 * Prepared statements of one WebSocket API connection (createPreparedStatement, executePreparedStatement,
 * closePreparedStatement in https://github.com/exasol/websocket-api/blob/master/docs/WebsocketAPIV3.md): `?`
 * parameters get their types from the target table of an INSERT (VARCHAR otherwise) and are bound as literals.
 */
import type { ExaType } from './exa-types.js';
import { dataTypeJson, fromDataTypeJson, VARCHAR_MAX } from './exa-types.js';
import type { ExaResult, StatementContext } from './result.js';
import { ExaSqlError } from './sql-error.js';
import { closingParen, identifierName, kw, quoteString, significant, tokenize, type Token } from './tokenizer.js';

type Json = Record<string, unknown>;

interface Prepared {
  readonly sqlText: string;
  readonly tokens: Token[];
  readonly paramTypes: ExaType[];
}

/** A connection's prepared statements by handle. */
export class PreparedStatements {
  private readonly statements = new Map<number, Prepared>();

  /** @param nextHandle the connection's next handle (result sets and statements share the numbering) */
  constructor(private readonly nextHandle: () => number) {}

  /** Prepares `sqlText`: a handle and the types of its `?` parameters. */
  async create(s: StatementContext, sqlText: string): Promise<Json> {
    const tokens = tokenize(sqlText);
    const count = tokens.filter((t) => t.kind === 'param').length;
    const paramTypes = await inferParamTypes(s, significant(tokens), count);
    const handle = this.nextHandle();
    this.statements.set(handle, { sqlText, tokens, paramTypes });
    return {
      statementHandle: handle,
      parameterData: {
        numColumns: count,
        columns: paramTypes.map((t, i) => ({ name: `PARAMETER${i + 1}`, dataType: dataTypeJson(t) })),
      },
      numResults: 0,
      results: [],
    };
  }

  /** Runs a prepared statement with the request's rows of values (an INSERT's rows go in as few statements as possible). */
  async execute(s: StatementContext, request: Json, wireResult: (r: ExaResult) => Json): Promise<Json> {
    const p = this.statements.get(Number(request.statementHandle));
    if (!p) throw new ExaSqlError(`statement handle ${String(request.statementHandle)} not found`, '00000');
    const data = Array.isArray(request.data) ? (request.data as unknown[][]) : [];
    const numRows = typeof request.numRows === 'number' ? request.numRows : (data[0]?.length ?? 0);
    const clientTypes = Array.isArray(request.columns)
      ? (request.columns as Json[]).map((c) => fromDataTypeJson(c.dataType))
      : [];
    const types = p.paramTypes.map((t, i) => clientTypes[i] ?? t);
    const rowValues = (r: number): unknown[] => p.paramTypes.map((_, c) => data[c]?.[r] ?? null);
    if (p.paramTypes.length === 0) return { numResults: 1, results: [wireResult(await s.execute(p.sqlText))] };
    const multi = multiRowInsert(p.tokens);
    if (multi && numRows > 1) {
      let total = 0;
      await s.atomic(async () => {
        for (let start = 0; start < numRows; start += 500) {
          const tuples: string[] = [];
          for (let r = start; r < Math.min(numRows, start + 500); r++)
            tuples.push(bind(multi.tuple, rowValues(r), types));
          const res = await s.execute(multi.head + tuples.join(', ') + multi.tail);
          if (res.kind === 'rowCount') total += res.rowCount;
        }
      });
      return { numResults: 1, results: [{ resultType: 'rowCount', rowCount: total }] };
    }
    let last: ExaResult = { kind: 'rowCount', rowCount: 0 };
    let total = 0;
    for (let r = 0; r < Math.max(numRows, 1); r++) {
      last = await s.execute(bind(p.tokens, rowValues(r), types));
      if (last.kind === 'rowCount') total += last.rowCount;
    }
    return {
      numResults: 1,
      results: [last.kind === 'rowCount' ? { resultType: 'rowCount', rowCount: total } : wireResult(last)],
    };
  }

  close(handle: number): void {
    this.statements.delete(handle);
  }

  clear(): void {
    this.statements.clear();
  }
}

/** Types of `?` in `INSERT INTO t [(cols)] VALUES (?, …)` come from the table; others are VARCHAR. */
async function inferParamTypes(s: StatementContext, t: Token[], count: number): Promise<ExaType[]> {
  const fallback = Array.from({ length: count }, () => VARCHAR_MAX);
  if (kw(t[0]) !== 'INSERT' || kw(t[1]) !== 'INTO' || count === 0) return fallback;
  try {
    const { name, next } = s.parseName(t, 2);
    let cols: string[] | undefined;
    let i = next;
    if (t[i]?.text === '(') {
      const close = closingParen(t, i);
      cols = t
        .slice(i + 1, close)
        .filter((x) => x.text !== ',')
        .map(identifierName);
      i = close + 1;
    }
    const r = await s.duck(
      `SELECT "COLUMN_NAME", "COLUMN_TYPE" FROM "SYS"."EXA_ALL_COLUMNS" WHERE "COLUMN_SCHEMA" = ${quoteString(name.schema)} AND "COLUMN_TABLE" = ${quoteString(name.name)} ORDER BY "COLUMN_ORDINAL_POSITION"`,
    );
    if (r.kind !== 'resultSet' || kw(t[i]) !== 'VALUES') return fallback;
    const typeOf = new Map(r.rows.map((row) => [String(row[0]), String(row[1])]));
    const order = cols ?? r.rows.map((row) => String(row[0]));
    const close = closingParen(t, i + 1);
    const items = t.slice(i + 2, close);
    const out: ExaType[] = [];
    let col = 0;
    let depth = 0;
    for (const x of items) {
      if (x.text === '(') depth++;
      else if (x.text === ')') depth--;
      else if (x.text === ',' && depth === 0) col++;
      else if (x.kind === 'param') {
        const text = typeOf.get(order[col] ?? '');
        out.push(text === undefined ? VARCHAR_MAX : typeFromText(text));
      }
    }
    return out.length === count ? out : fallback;
  } catch {
    return fallback;
  }
}

function typeFromText(text: string): ExaType {
  const m = /^DECIMAL\((\d+),(\d+)\)$/.exec(text);
  if (m) return { type: 'DECIMAL', precision: Number(m[1]), scale: Number(m[2]) };
  const v = /^(VARCHAR|CHAR)\((\d+)\) (UTF8|ASCII)$/.exec(text);
  if (v) return { type: v[1] as 'VARCHAR' | 'CHAR', size: Number(v[2]), characterSet: v[3] as 'UTF8' | 'ASCII' };
  if (text === 'DOUBLE' || text === 'BOOLEAN' || text === 'DATE') return { type: text };
  if (text.startsWith('TIMESTAMP')) return { type: 'TIMESTAMP', withLocalTimeZone: text.includes('LOCAL') };
  return VARCHAR_MAX;
}

/** An SQL literal for a bound parameter value. */
function literal(v: unknown, type: ExaType | undefined): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'NULL';
  if (typeof v === 'bigint') return v.toString();
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  if (type?.type === 'DECIMAL' && /^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) return text;
  return quoteString(text);
}

function bind(tokens: readonly Token[], values: readonly unknown[], types: readonly (ExaType | undefined)[]): string {
  let k = 0;
  return tokens
    .map((t) => {
      if (t.kind !== 'param') return t.text;
      const out = literal(values[k], types[k]);
      k++;
      return out;
    })
    .join('');
}

/** `INSERT … VALUES (…?…)` with exactly one tuple: split so many rows go in one statement. */
function multiRowInsert(tokens: Token[]): { head: string; tuple: Token[]; tail: string } | undefined {
  const sig = significant(tokens);
  if (kw(sig[0]) !== 'INSERT') return undefined;
  const v = sig.findIndex((t) => kw(t) === 'VALUES');
  if (v < 0 || sig[v + 1]?.text !== '(') return undefined;
  const close = closingParen(sig, v + 1);
  if (close !== sig.length - 1) return undefined;
  const open = sig[v + 1] as Token;
  const end = sig[close] as Token;
  const from = tokens.indexOf(open);
  const to = tokens.indexOf(end);
  return {
    head: tokens
      .slice(0, from)
      .map((t) => t.text)
      .join(''),
    tuple: tokens.slice(from, to + 1),
    tail: tokens
      .slice(to + 1)
      .map((t) => t.text)
      .join(''),
  };
}
