/**
 * Exasol DDL in the sandbox: CREATE SCHEMA/TABLE/VIEW/CONNECTION (and CREATE SCRIPT via scripts.ts), DROP, ALTER
 * TABLE ADD/DROP COLUMN. DuckDB holds the objects; the SYS tables keep what Exasol reports and DuckDB does not
 * (declared column types, view texts, schema owners, connections), in the same transaction.
 */
import type { ExaType } from './exa-types.js';
import { duckType, nowLiteral, parseType, typeText, TypeSyntaxError } from './exa-types.js';
import type { ExaResult, QualifiedName, StatementContext } from './result.js';
import { rowCount } from './result.js';
import { createScript } from './scripts.js';
import { tokensBetween } from './sql-rewrite.js';
import { ExaSqlError } from './sql-error.js';
import type { Token } from './tokenizer.js';
import { closingParen, identifierName, kw, quoteIdent, quoteString, splitTopLevel, stringValue } from './tokenizer.js';
import { forgetGrantsSql } from './users.js';

/** What DDL needs of the session besides the statement context. */
export interface DdlSession extends StatementContext {
  /** Runs DuckDB SQL in the session's transaction. */
  run(sql: string): Promise<void>;
  /** Ordinary SQL, rewritten and run on DuckDB. */
  passThrough(all: Token[], t: Token[]): Promise<ExaResult>;
  /** Forgets cached catalog facts after DDL. */
  invalidate(): void;
  declaredTypes(schema: string, table: string): Promise<ReadonlyMap<string, ExaType>>;
  setSchema(name: string | null): Promise<void>;
}

export async function schemaExists(s: DdlSession, name: string): Promise<boolean> {
  const r = await s.duck(
    `SELECT 1 FROM duckdb_schemas() WHERE database_name = current_database() AND schema_name = ${quoteString(name)}`,
  );
  return r.kind === 'resultSet' && r.rows.length > 0 && name !== 'SYS' && name !== 'main';
}

async function objectExists(s: DdlSession, q: QualifiedName, kind: 'TABLE' | 'VIEW'): Promise<boolean> {
  const fn = kind === 'TABLE' ? 'duckdb_tables()' : 'duckdb_views()';
  const col = kind === 'TABLE' ? 'table_name' : 'view_name';
  const r = await s.duck(
    `SELECT 1 FROM ${fn} WHERE database_name = current_database() AND schema_name = ${quoteString(q.schema)} AND ${col} = ${quoteString(q.name)}`,
  );
  return r.kind === 'resultSet' && r.rows.length > 0;
}

export async function create(s: DdlSession, sql: string, all: Token[], t: Token[]): Promise<ExaResult> {
  let i = 1;
  let orReplace = false;
  if (kw(t[i]) === 'OR' && kw(t[i + 1]) === 'REPLACE') {
    orReplace = true;
    i += 2;
  }
  if (kw(t[i]) === 'FORCE') i++;
  const what = kw(t[i]);
  if (what === 'SCHEMA') return createSchema(s, t, i + 1);
  if (what === 'TABLE') return createTable(s, sql, all, t, i + 1, orReplace);
  if (what === 'VIEW') return createView(s, sql, all, t, i + 1, orReplace);
  if (what === 'CONNECTION') return createConnection(s, t, i + 1, orReplace);
  if (['SCRIPT', 'LUA', 'PYTHON', 'PYTHON3', 'JAVA', 'R', 'SCALAR', 'SET', 'ADAPTER'].includes(what))
    return createScript(s, sql, t, i, orReplace).then((r) => {
      s.invalidate();
      return r;
    });
  return s.passThrough(all, t);
}

async function createSchema(s: DdlSession, t: Token[], at: number): Promise<ExaResult> {
  let i = at;
  let ifNotExists = false;
  if (kw(t[i]) === 'IF' && kw(t[i + 1]) === 'NOT' && kw(t[i + 2]) === 'EXISTS') {
    ifNotExists = true;
    i += 3;
  }
  const nameTok = t[i];
  if (!nameTok) throw new ExaSqlError('syntax error, unexpected $end, expecting identifier');
  const name = identifierName(nameTok);
  if (await schemaExists(s, name)) {
    if (ifNotExists) return rowCount(0);
    throw new ExaSqlError(`schema ${name} already exists`, '42500');
  }
  if (name === 'SYS' || name.toLowerCase() === 'main')
    throw new ExaSqlError(`schema ${name} is reserved in this sandbox; choose another name`, '42500');
  await s.atomic(async () => {
    await s.run(`CREATE SCHEMA ${quoteIdent(name)}`);
    // The creator owns the schema and everything in it (https://docs.exasol.com/db/latest/sql/create_schema.htm).
    await s.run(`INSERT INTO "SYS"."_SCHEMA_OWNERS" VALUES (${quoteString(name)}, ${quoteString(s.user)})`);
  });
  // Exasol opens a schema right after creating it [unverified beyond EXAplus behaviour].
  await s.setSchema(name);
  return rowCount(0);
}

async function createTable(
  s: DdlSession,
  sql: string,
  all: Token[],
  t: Token[],
  at: number,
  orReplace: boolean,
): Promise<ExaResult> {
  let i = at;
  let ifNotExists = false;
  if (kw(t[i]) === 'IF' && kw(t[i + 1]) === 'NOT' && kw(t[i + 2]) === 'EXISTS') {
    ifNotExists = true;
    i += 3;
  }
  const { name, next } = s.parseName(t, i);
  const target = `${quoteIdent(name.schema)}.${quoteIdent(name.name)}`;
  const head = `CREATE ${orReplace ? 'OR REPLACE ' : ''}TABLE ${ifNotExists ? 'IF NOT EXISTS ' : ''}${target}`;
  if (ifNotExists && (await objectExists(s, name, 'TABLE'))) return rowCount(0);
  const rest = t.slice(next);
  const result = await s.atomic(async () => {
    if (kw(rest[0]) === 'AS' || (rest[0]?.text === '(' && kw(rest[1]) === 'SELECT')) {
      const selectStart = kw(rest[0]) === 'AS' ? 1 : 0;
      let body = rest.slice(selectStart);
      let withData = true;
      const n = body.length;
      if (kw(body[n - 3]) === 'WITH' && kw(body[n - 2]) === 'NO' && kw(body[n - 1]) === 'DATA') {
        withData = false;
        body = body.slice(0, -3);
      } else if (kw(body[n - 2]) === 'WITH' && kw(body[n - 1]) === 'DATA') body = body.slice(0, -2);
      const bodySql = s.toDuckSql(tokensBetween(all, body));
      await s.run(`${head} AS ${bodySql}${withData ? '' : ' LIMIT 0'}`);
      await forgetColumns(s, name);
      return rowCount(0);
    }
    if (kw(rest[0]) === 'LIKE') {
      const src = s.parseName(rest, 1).name;
      await s.run(`${head} AS SELECT * FROM ${quoteIdent(src.schema)}.${quoteIdent(src.name)} LIMIT 0`);
      await forgetColumns(s, name);
      const declared = await s.declaredTypes(src.schema, src.name);
      for (const [col, type] of declared) await recordColumn(s, name, col, type);
      return rowCount(0);
    }
    if (rest[0]?.text !== '(') throw new ExaSqlError(`syntax error, unexpected '${rest[0]?.text ?? '$end'}'`);
    const close = closingParen(rest, 0);
    const defs = splitTopLevel(rest.slice(1, close));
    const duckDefs: string[] = [];
    const declared: [string, ExaType][] = [];
    for (const def of defs) {
      const first = kw(def[0]);
      if (['CONSTRAINT', 'PRIMARY', 'FOREIGN', 'UNIQUE', 'CHECK'].includes(first)) {
        if (first === 'CONSTRAINT' || first === 'PRIMARY' || first === 'UNIQUE')
          duckDefs.push(s.toDuckSql(tokensBetween(all, dropConstraintName(def))));
        continue;
      }
      if (first === 'DISTRIBUTE' || first === 'PARTITION' || first === 'LIKE') continue;
      const col = columnDefinition(s, all, def);
      duckDefs.push(col.duck);
      declared.push([col.name, col.type]);
    }
    await s.run(`${head} (${duckDefs.join(', ')})`);
    await forgetColumns(s, name);
    for (const [col, type] of declared) await recordColumn(s, name, col, type);
    return rowCount(0);
  });
  s.invalidate();
  return result;
}

/** Translates one Exasol column definition: declared type kept for the catalog, DuckDB type emitted. */
function columnDefinition(s: DdlSession, all: Token[], def: Token[]): { name: string; type: ExaType; duck: string } {
  const nameTok = def[0];
  if (!nameTok) throw new ExaSqlError('syntax error, unexpected end of column definition');
  let parsed: { type: ExaType; next: number };
  try {
    parsed = parseType(def, 1);
  } catch (e) {
    if (e instanceof TypeSyntaxError) throw new ExaSqlError(`syntax error, ${e.message}`, '42000');
    throw e;
  }
  const name = identifierName(nameTok);
  const tail = def.slice(parsed.next).filter((x) => kw(x) !== 'ENABLE' && kw(x) !== 'DISABLE');
  const identity = tail.findIndex((x) => kw(x) === 'IDENTITY');
  const cleaned = identity >= 0 ? tail.slice(0, identity) : tail;
  const tailSql = cleaned.length > 0 ? ' ' + s.toDuckSql(tokensBetween(all, cleaned)) : '';
  return { name, type: parsed.type, duck: `${quoteIdent(name)} ${duckType(parsed.type)}${tailSql}` };
}

async function forgetColumns(s: DdlSession, q: QualifiedName): Promise<void> {
  await s.run(
    `DELETE FROM "SYS"."_COLUMNS" WHERE "SCHEMA_NAME" = ${quoteString(q.schema)} AND "TABLE_NAME" = ${quoteString(q.name)}`,
  );
}

async function recordColumn(s: DdlSession, q: QualifiedName, column: string, type: ExaType): Promise<void> {
  const size =
    type.type === 'VARCHAR' || type.type === 'CHAR' ? type.size : type.type === 'DECIMAL' ? type.precision : null;
  const prec = type.type === 'DECIMAL' ? type.precision : null;
  const scale = type.type === 'DECIMAL' ? type.scale : null;
  await s.run(
    `INSERT INTO "SYS"."_COLUMNS" VALUES (${[q.schema, q.name, column, typeText(type), JSON.stringify(type)]
      .map(quoteString)
      .join(', ')}, ${size ?? 'NULL'}, ${prec ?? 'NULL'}, ${scale ?? 'NULL'})`,
  );
}

async function createView(
  s: DdlSession,
  sql: string,
  all: Token[],
  t: Token[],
  at: number,
  orReplace: boolean,
): Promise<ExaResult> {
  const { name, next } = s.parseName(t, at);
  let i = next;
  let cols = '';
  if (t[i]?.text === '(') {
    const close = closingParen(t, i);
    cols = ` (${splitTopLevel(t.slice(i + 1, close))
      .map((c) => quoteIdent(identifierName(c[0] as Token)))
      .join(', ')})`;
    i = close + 1;
  }
  if (kw(t[i]) !== 'AS') throw new ExaSqlError(`syntax error, unexpected '${t[i]?.text ?? '$end'}', expecting AS`);
  let body = t.slice(i + 1);
  const commentAt = body.findIndex((x, k) => kw(x) === 'COMMENT' && kw(body[k + 1]) === 'IS');
  if (commentAt >= 0) body = body.slice(0, commentAt);
  const target = `${quoteIdent(name.schema)}.${quoteIdent(name.name)}`;
  await s.atomic(async () => {
    await s.run(
      `CREATE ${orReplace ? 'OR REPLACE ' : ''}VIEW ${target}${cols} AS ${s.toDuckSql(tokensBetween(all, body))}`,
    );
    await s.run(
      `DELETE FROM "SYS"."_VIEWS" WHERE "SCHEMA_NAME" = ${quoteString(name.schema)} AND "VIEW_NAME" = ${quoteString(name.name)}`,
    );
    await s.run(
      `INSERT INTO "SYS"."_VIEWS" VALUES (${quoteString(name.schema)}, ${quoteString(name.name)}, ${quoteString(sql.trim())})`,
    );
  });
  s.invalidate();
  return rowCount(0);
}

async function createConnection(s: DdlSession, t: Token[], at: number, orReplace: boolean): Promise<ExaResult> {
  const nameTok = t[at];
  if (!nameTok) throw new ExaSqlError('syntax error, unexpected $end, expecting identifier');
  const name = identifierName(nameTok);
  let i = at + 1;
  if (kw(t[i]) !== 'TO' || t[i + 1]?.kind !== 'string')
    throw new ExaSqlError(`syntax error, unexpected '${t[i]?.text ?? '$end'}', expecting TO '<address>'`);
  const address = stringValue(t[i + 1] as Token);
  i += 2;
  let user = '';
  let password = '';
  if (kw(t[i]) === 'USER' && t[i + 1]?.kind === 'string') {
    user = stringValue(t[i + 1] as Token);
    i += 2;
  }
  if (kw(t[i]) === 'IDENTIFIED' && kw(t[i + 1]) === 'BY' && t[i + 2]?.kind === 'string') {
    password = stringValue(t[i + 2] as Token);
    i += 3;
  }
  if (i < t.length) throw new ExaSqlError(`syntax error, unexpected '${t[i]?.text ?? ''}'`);
  await s.atomic(async () => {
    const exists = await s.duck(`SELECT 1 FROM "SYS"."_CONNECTIONS" WHERE "CONNECTION_NAME" = ${quoteString(name)}`);
    if (exists.kind === 'resultSet' && exists.rows.length > 0) {
      if (!orReplace) throw new ExaSqlError(`connection ${name} already exists`, '42500');
      await s.run(`DELETE FROM "SYS"."_CONNECTIONS" WHERE "CONNECTION_NAME" = ${quoteString(name)}`);
    }
    await s.run(
      `INSERT INTO "SYS"."_CONNECTIONS" VALUES (${[name, address, user, password].map(quoteString).join(', ')}, ${nowLiteral()})`,
    );
  });
  return rowCount(0);
}

export async function drop(s: DdlSession, t: Token[]): Promise<ExaResult> {
  let i = 1;
  let kind = kw(t[i]);
  if (kind === 'FORCE') kind = kw(t[++i]);
  if (['LUA', 'PYTHON', 'PYTHON3', 'JAVA', 'R', 'SCALAR', 'SET', 'ADAPTER'].includes(kind)) {
    while (i < t.length && kw(t[i]) !== 'SCRIPT') i++;
    kind = 'SCRIPT';
  }
  i++;
  let ifExists = false;
  if (kw(t[i]) === 'IF' && kw(t[i + 1]) === 'EXISTS') {
    ifExists = true;
    i += 2;
  }
  const cascade = t.slice(i).some((x) => kw(x) === 'CASCADE');
  const result = await dropObject(s, kind, t, i, ifExists, cascade);
  s.invalidate();
  return result;
}

/** DROP USER … CASCADE: the user's schemas go with it. */
export async function dropOwnedSchema(s: DdlSession, name: string): Promise<void> {
  await dropObject(s, 'SCHEMA', [{ kind: 'quoted', text: quoteIdent(name), start: 0 }], 0, false, true);
  s.invalidate();
}

async function dropObject(
  s: DdlSession,
  kind: string,
  t: Token[],
  i: number,
  ifExists: boolean,
  cascade: boolean,
): Promise<ExaResult> {
  switch (kind) {
    case 'SCHEMA': {
      const nameTok = t[i];
      if (!nameTok) throw new ExaSqlError('syntax error, unexpected $end, expecting identifier');
      const name = identifierName(nameTok);
      if (!(await schemaExists(s, name))) {
        if (ifExists) return rowCount(0);
        throw new ExaSqlError(`schema ${name} not found`, '42000');
      }
      await s.atomic(async () => {
        try {
          await s.run(`DROP SCHEMA ${quoteIdent(name)}${cascade ? ' CASCADE' : ''}`);
        } catch (e) {
          if (!cascade && /depend/i.test(String(e)))
            throw new ExaSqlError(
              `schema ${name} is not empty - use DROP SCHEMA ${name} CASCADE to delete it`,
              '42500',
            );
          throw e;
        }
        const quoted = quoteString(name);
        await s.run(`DELETE FROM "SYS"."_COLUMNS" WHERE "SCHEMA_NAME" = ${quoted}`);
        await s.run(`DELETE FROM "SYS"."_VIEWS" WHERE "SCHEMA_NAME" = ${quoted}`);
        await s.run(`DELETE FROM "SYS"."_SCRIPTS" WHERE "SCRIPT_SCHEMA" = ${quoted}`);
        for (const q of forgetGrantsSql('SCHEMA', { schema: name, name })) await s.run(q);
      });
      if (s.currentSchema === name) await s.setSchema(null);
      return rowCount(0);
    }
    case 'TABLE':
    case 'VIEW': {
      const { name } = s.parseName(t, i);
      if (!(await objectExists(s, name, kind))) {
        if (ifExists) return rowCount(0);
        throw new ExaSqlError(`${kind.toLowerCase()} ${name.schema}.${name.name} not found`, '42000');
      }
      await s.atomic(async () => {
        await s.run(`DROP ${kind} ${quoteIdent(name.schema)}.${quoteIdent(name.name)}${cascade ? ' CASCADE' : ''}`);
        for (const q of forgetGrantsSql('OBJECT', name)) await s.run(q);
        if (kind === 'TABLE') await forgetColumns(s, name);
        else
          await s.run(
            `DELETE FROM "SYS"."_VIEWS" WHERE "SCHEMA_NAME" = ${quoteString(name.schema)} AND "VIEW_NAME" = ${quoteString(name.name)}`,
          );
      });
      return rowCount(0);
    }
    case 'CONNECTION': {
      const nameTok = t[i];
      if (!nameTok) throw new ExaSqlError('syntax error, unexpected $end, expecting identifier');
      const name = identifierName(nameTok);
      const r = await s.duck(`DELETE FROM "SYS"."_CONNECTIONS" WHERE "CONNECTION_NAME" = ${quoteString(name)}`);
      if (r.kind === 'rowCount' && r.rowCount === 0 && !ifExists)
        throw new ExaSqlError(`connection ${name} not found`, '42000');
      for (const q of forgetGrantsSql('CONNECTION', { schema: '', name })) await s.run(q);
      return rowCount(0);
    }
    case 'SCRIPT': {
      const { name } = s.parseName(t, i);
      const r = await s.duck(
        `DELETE FROM "SYS"."_SCRIPTS" WHERE "SCRIPT_SCHEMA" = ${quoteString(name.schema)} AND "SCRIPT_NAME" = ${quoteString(name.name)}`,
      );
      if (r.kind === 'rowCount' && r.rowCount === 0 && !ifExists)
        throw new ExaSqlError(`script ${name.schema}.${name.name} not found`, '42000');
      for (const q of forgetGrantsSql('OBJECT', name)) await s.run(q);
      return rowCount(0);
    }
    default:
      throw new ExaSqlError(`DROP ${kind} is not supported by the sandbox`, '0A000');
  }
}

export async function alterTable(s: DdlSession, all: Token[], t: Token[]): Promise<ExaResult> {
  const { name, next } = s.parseName(t, 2);
  const target = `${quoteIdent(name.schema)}.${quoteIdent(name.name)}`;
  let i = next;
  if (kw(t[i]) === 'ADD' && !['CONSTRAINT', 'PRIMARY', 'FOREIGN'].includes(kw(t[i + 1]))) {
    i++;
    if (kw(t[i]) === 'COLUMN') i++;
    let ifNotExists = '';
    if (kw(t[i]) === 'IF' && kw(t[i + 1]) === 'NOT' && kw(t[i + 2]) === 'EXISTS') {
      ifNotExists = 'IF NOT EXISTS ';
      i += 3;
    }
    let def = t.slice(i);
    if (def[0]?.text === '(' && def[def.length - 1]?.text === ')') def = def.slice(1, -1);
    const col = columnDefinition(s, all, def);
    await s.atomic(async () => {
      await s.run(`ALTER TABLE ${target} ADD COLUMN ${ifNotExists}${col.duck}`);
      await s.run(
        `DELETE FROM "SYS"."_COLUMNS" WHERE "SCHEMA_NAME" = ${quoteString(name.schema)} AND "TABLE_NAME" = ${quoteString(name.name)} AND "COLUMN_NAME" = ${quoteString(col.name)}`,
      );
      await recordColumn(s, name, col.name, col.type);
    });
    s.invalidate();
    return rowCount(0);
  }
  if (kw(t[i]) === 'DROP' && kw(t[i + 1]) === 'COLUMN') {
    let j = i + 2;
    let ifExists = '';
    if (kw(t[j]) === 'IF' && kw(t[j + 1]) === 'EXISTS') {
      ifExists = 'IF EXISTS ';
      j += 2;
    }
    const colTok = t[j];
    if (!colTok) throw new ExaSqlError('syntax error, unexpected $end, expecting identifier');
    const col = identifierName(colTok);
    await s.atomic(async () => {
      await s.run(`ALTER TABLE ${target} DROP COLUMN ${ifExists}${quoteIdent(col)}`);
      await s.run(
        `DELETE FROM "SYS"."_COLUMNS" WHERE "SCHEMA_NAME" = ${quoteString(name.schema)} AND "TABLE_NAME" = ${quoteString(name.name)} AND "COLUMN_NAME" = ${quoteString(col)}`,
      );
    });
    s.invalidate();
    return rowCount(0);
  }
  const r = await s.passThrough(all, t);
  s.invalidate();
  return r;
}

function dropConstraintName(def: Token[]): Token[] {
  if (kw(def[0]) !== 'CONSTRAINT') return def;
  return kw(def[1]) === 'PRIMARY' || kw(def[1]) === 'UNIQUE' ? def.slice(1) : def.slice(2);
}
