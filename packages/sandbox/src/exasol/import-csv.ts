/**
 * IMPORT INTO <table> [(<columns>)] FROM CSV AT <connection | 'url' [USER … IDENTIFIED BY …]> FILE … [options]
 * from the S3-compatible store standing in for AWS S3. Syntax and options per
 * https://docs.exasol.com/db/latest/sql/import.htm: an empty field is NULL, `SKIP = n` skips leading rows, a
 * `.gz` file is gunzipped. The rows go in with one INSERT per 500 rows inside the statement's transaction, so
 * a failing import inserts nothing.
 */
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse/sync';
import { connectionTarget, s3ClientFor } from './export-csv.js';
import type { ExaResult, StatementContext } from './result.js';
import { rowCount } from './result.js';
import { ExaSqlError } from './sql-error.js';
import type { Token } from './tokenizer.js';
import { closingParen, identifierName, kw, quoteIdent, quoteString, stringValue } from './tokenizer.js';

const ROW_SEPARATORS: Readonly<Record<string, string>> = { LF: '\n', CRLF: '\r\n', CR: '\r' };
const ROWS_PER_INSERT = 500;

interface ImportOptions {
  columnSeparator: string;
  columnDelimiter: string;
  nullText: string;
  skip: number;
}

function parseImportOptions(t: readonly Token[], at: number): ImportOptions {
  const o: ImportOptions = { columnSeparator: ',', columnDelimiter: '"', nullText: '', skip: 0 };
  let i = at;
  const valueAfterEq = (k: number): string => {
    if (t[k]?.text !== '=' || t[k + 1]?.kind !== 'string')
      throw new ExaSqlError(`syntax error, expecting = '<value>' after ${t[k - 1]?.text ?? ''}`);
    return stringValue(t[k + 1] as Token);
  };
  while (i < t.length) {
    const w = kw(t[i]);
    const w2 = kw(t[i + 1]);
    if (w === 'ENCODING' || w === 'TRIM' || w === 'LTRIM' || w === 'RTRIM') {
      if (t[i + 1]?.text === '=') {
        valueAfterEq(i + 1);
        i += 3;
      } else i++;
    } else if (w === 'NULL') {
      o.nullText = valueAfterEq(i + 1);
      i += 3;
    } else if (w === 'SKIP' && t[i + 1]?.text === '=' && /^\d+$/.test(t[i + 2]?.text ?? '')) {
      o.skip = Number(t[i + 2]?.text);
      i += 3;
    } else if (w === 'ROW' && w2 === 'SEPARATOR') {
      const v = valueAfterEq(i + 2);
      if (ROW_SEPARATORS[v.toUpperCase()] === undefined)
        throw new ExaSqlError(`invalid ROW SEPARATOR '${v}': use LF, CRLF or CR`, '42000');
      i += 4;
    } else if (w === 'COLUMN' && w2 === 'SEPARATOR') {
      const v = valueAfterEq(i + 2);
      o.columnSeparator = v === 'TAB' ? '\t' : v;
      i += 4;
    } else if (w === 'COLUMN' && w2 === 'DELIMITER') {
      o.columnDelimiter = valueAfterEq(i + 2);
      i += 4;
    } else throw new ExaSqlError(`syntax error, unexpected '${t[i]?.text ?? ''}' in IMPORT options`, '42000');
  }
  return o;
}

export async function importCsv(ctx: StatementContext, t: Token[]): Promise<ExaResult> {
  if (kw(t[1]) !== 'INTO') throw new ExaSqlError(`syntax error, unexpected '${t[1]?.text ?? '$end'}', expecting INTO`);
  const { name, next } = ctx.parseName(t, 2);
  let i = next;
  let columns: string[] | undefined;
  if (t[i]?.text === '(') {
    const close = closingParen(t, i);
    columns = t
      .slice(i + 1, close)
      .filter((x) => x.text !== ',')
      .map((x) => identifierName(x));
    i = close + 1;
  }
  if (kw(t[i]) !== 'FROM' || kw(t[i + 1]) !== 'CSV')
    throw new ExaSqlError(
      `IMPORT FROM ${t[i + 1]?.text ?? '$end'} is not supported by the sandbox: use FROM CSV`,
      '0A000',
    );
  i += 2;
  if (kw(t[i]) !== 'AT') throw new ExaSqlError(`syntax error, unexpected '${t[i]?.text ?? '$end'}', expecting AT`);
  const resolved = await connectionTarget(ctx, t, i + 1);
  i = resolved.next;
  const files: string[] = [];
  while (kw(t[i]) === 'FILE' && t[i + 1]?.kind === 'string') {
    files.push(stringValue(t[i + 1] as Token));
    i += 2;
  }
  if (files.length === 0) throw new ExaSqlError("syntax error, IMPORT needs at least one FILE '<name>'", '42000');
  const options = parseImportOptions(t, i);
  const table = `${quoteIdent(name.schema)}.${quoteIdent(name.name)}`;
  const known = await ctx.execute(
    `SELECT "COLUMN_NAME" FROM "SYS"."EXA_ALL_COLUMNS" WHERE "COLUMN_SCHEMA" = ${quoteString(name.schema)} AND "COLUMN_TABLE" = ${quoteString(name.name)} ORDER BY "COLUMN_ORDINAL_POSITION"`,
  );
  const tableColumns = known.kind === 'resultSet' ? known.rows.map((r) => String(r[0])) : [];
  if (tableColumns.length === 0) throw new ExaSqlError(`object ${name.schema}.${name.name} not found`, '42000');
  const target = columns ?? tableColumns;
  for (const c of target) {
    if (!tableColumns.includes(c)) throw new ExaSqlError(`object ${c} not found`, '42000');
  }
  const { client, bucket } = s3ClientFor(ctx, resolved.target, 'reading data from');
  const rows: string[][] = [];
  try {
    for (const file of files) {
      const key = file.replace(/^\/+/, '');
      let body: Buffer;
      try {
        const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        body = Buffer.from((await answer.Body?.transformToByteArray()) ?? new Uint8Array());
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        throw new ExaSqlError(
          `ETL-5105: Following error occured while reading data from external connection [${resolved.target.address}/${key}]: ${message} (Session: ${ctx.sessionId})`,
          '42636',
        );
      }
      if (key.endsWith('.gz')) body = gunzipSync(body);
      const parsed: string[][] = parse(body.toString('utf8'), {
        delimiter: options.columnSeparator,
        quote: options.columnDelimiter === '' ? false : options.columnDelimiter,
        relax_column_count: true,
        skip_empty_lines: true,
        bom: true,
      });
      parsed.slice(options.skip).forEach((row, n) => {
        if (row.length !== target.length) {
          throw new ExaSqlError(
            `ETL-2105: Error while parsing row=${String(n + 1 + options.skip)} (starting from 1) [CSV Parser found ${String(row.length)} columns, expected ${String(target.length)}] in file '${key}' (Session: ${ctx.sessionId})`,
            '42636',
          );
        }
        rows.push(row);
      });
    }
  } finally {
    client.destroy();
  }
  const value = (v: string): string => (v === '' || v === options.nullText ? 'NULL' : quoteString(v));
  const list = target.map((c) => quoteIdent(c)).join(', ');
  await ctx.atomic(async () => {
    for (let k = 0; k < rows.length; k += ROWS_PER_INSERT) {
      const values = rows
        .slice(k, k + ROWS_PER_INSERT)
        .map((r) => '(' + r.map(value).join(', ') + ')')
        .join(', ');
      await ctx.execute(`INSERT INTO ${table} (${list}) VALUES ${values}`);
    }
  });
  return rowCount(rows.length);
}
