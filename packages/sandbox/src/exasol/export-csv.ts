/**
 * EXPORT … INTO CSV AT <connection | 'url' [USER … IDENTIFIED BY …]> FILE … [options] to an S3-compatible
 * store standing in for AWS S3. Syntax and options per https://docs.exasol.com/db/latest/sql/export.htm;
 * Exasol accepts only AWS bucket addresses for S3 (same page: S3-compatible endpoints are not supported).
 */
import { Agent as HttpsAgent } from 'node:https';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { csvRows, DEFAULT_CSV, type CsvOptions } from './csv-format.js';
import type { ExaResult, StatementContext } from './result.js';
import { rowCount } from './result.js';
import { ExaSqlError } from './sql-error.js';
import type { Token } from './tokenizer.js';
import {
  closingParen,
  identifierName,
  indexAt,
  kw,
  quoteIdent,
  quoteString,
  stringValue,
  tokenize,
} from './tokenizer.js';

const ROW_SEPARATORS: Readonly<Record<string, string>> = { LF: '\n', CRLF: '\r\n', CR: '\r' };

/** A parsed S3 address Exasol accepts: `https://<bucket>.s3[.<region>].amazonaws.com[/]` or `s3://<bucket>`. */
export function parseS3Address(address: string): { bucket: string; region?: string } | undefined {
  const s3 = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/?$/.exec(address);
  if (s3?.[1]) return { bucket: s3[1] };
  const https = /^https:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\.s3(?:[.-]([a-z0-9-]+))?\.amazonaws\.com\/?$/.exec(
    address,
  );
  if (https?.[1]) return https[2] ? { bucket: https[1], region: https[2] } : { bucket: https[1] };
  return undefined;
}

export interface ExportTarget {
  address: string;
  user: string;
  password: string;
}

/** `AT <connection>` or `AT '<url>' [USER '…' IDENTIFIED BY '…']` from token `at` on (EXPORT and IMPORT). */
export async function connectionTarget(
  ctx: StatementContext,
  t: readonly Token[],
  at: number,
): Promise<{ target: ExportTarget; next: number }> {
  let i = at;
  let target: ExportTarget;
  const tok = t[i];
  if (tok?.kind === 'string') {
    target = { address: stringValue(tok), user: '', password: '' };
    i++;
    if (kw(t[i]) === 'USER' && t[i + 1]?.kind === 'string') {
      target.user = stringValue(t[i + 1] as Token);
      i += 2;
    }
    if (kw(t[i]) === 'IDENTIFIED' && kw(t[i + 1]) === 'BY' && t[i + 2]?.kind === 'string') {
      target.password = stringValue(t[i + 2] as Token);
      i += 3;
    }
  } else if (tok) {
    const name = identifierName(tok);
    const r = await ctx.duck(
      `SELECT "CONNECTION_STRING", "USER_NAME", "PASSWORD" FROM "SYS"."_CONNECTIONS" WHERE "CONNECTION_NAME" = ${quoteString(name)}`,
    );
    const row = r.kind === 'resultSet' ? r.rows[0] : undefined;
    if (!row) throw new ExaSqlError(`connection ${name} does not exist`, '42000');
    target = { address: String(row[0] ?? ''), user: String(row[1] ?? ''), password: String(row[2] ?? '') };
    i++;
  } else throw new ExaSqlError('syntax error, unexpected $end, expecting connection');
  return { target, next: i };
}

/**
 * An S3 client for a connection's bucket address, refusing what Exasol refuses (non-AWS addresses) in its ETL error
 * form; `doing` is `writing data to` (EXPORT) or `reading data from` (IMPORT).
 */
export function s3ClientFor(
  ctx: StatementContext,
  target: ExportTarget,
  doing: string,
): { client: S3Client; bucket: string } {
  const s3Address = parseS3Address(target.address);
  if (!s3Address)
    // Exasol reaches non-S3 addresses as HTTP/FTP servers; the sandbox reaches only its S3 store, so it
    // refuses them up front in Exasol's ETL error form.
    throw new ExaSqlError(
      `ETL-5105: Following error occured while ${doing} external connection [${target.address}]: only AWS S3 bucket addresses (https://<bucket>.s3[.<region>].amazonaws.com or s3://<bucket>) are supported (Session: ${ctx.sessionId})`,
      '42636',
    );
  const store = ctx.s3();
  if (!store)
    throw new ExaSqlError(
      'EXPORT and IMPORT with S3 need an S3 endpoint: start the sandbox with the s3Endpoint option (--s3-endpoint)',
      '42636',
    );
  const client = new S3Client({
    endpoint: store.endpoint,
    region: s3Address.region ?? store.region,
    forcePathStyle: true,
    credentials: { accessKeyId: target.user, secretAccessKey: target.password },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    maxAttempts: 2,
    // Exasol verifies S3's certificate with its own trust store; the sandbox trusts only the AWS sandbox's CA.
    ...(store.caPem !== undefined ? { requestHandler: { httpsAgent: new HttpsAgent({ ca: [store.caPem] }) } } : {}),
  });
  return { client, bucket: s3Address.bucket };
}

export async function exportCsv(ctx: StatementContext, sql: string, t: Token[]): Promise<ExaResult> {
  const all = tokenize(sql);
  const span = (from: Token, to: Token): Token[] => all.slice(indexAt(all, from), indexAt(all, to) + 1);
  let i = 1;
  let sourceSql: string;
  if (t[i]?.text === '(') {
    const close = closingParen(t, i);
    sourceSql = ctx.toDuckSql(span(t[i + 1] as Token, t[close - 1] as Token));
    i = close + 1;
  } else {
    const { name, next } = ctx.parseName(t, i);
    i = next;
    let cols = '*';
    if (t[i]?.text === '(') {
      const close = closingParen(t, i);
      cols = t
        .slice(i + 1, close)
        .filter((x) => x.text !== ',')
        .map((x) => quoteIdent(identifierName(x)))
        .join(', ');
      i = close + 1;
    }
    sourceSql = `SELECT ${cols} FROM ${quoteIdent(name.schema)}.${quoteIdent(name.name)}`;
  }
  if (kw(t[i]) !== 'INTO' || kw(t[i + 1]) !== 'CSV')
    throw new ExaSqlError(
      `EXPORT INTO ${t[i + 1]?.text ?? '$end'} is not supported by the sandbox: use INTO CSV`,
      '0A000',
    );
  i += 2;
  if (kw(t[i]) !== 'AT') throw new ExaSqlError(`syntax error, unexpected '${t[i]?.text ?? '$end'}', expecting AT`);
  i++;
  const resolved = await connectionTarget(ctx, t, i);
  const target = resolved.target;
  i = resolved.next;
  const files: string[] = [];
  while (kw(t[i]) === 'FILE' && t[i + 1]?.kind === 'string') {
    files.push(stringValue(t[i + 1] as Token));
    i += 2;
  }
  if (files.length === 0) throw new ExaSqlError("syntax error, EXPORT needs at least one FILE '<name>'", '42000');
  const { csv, withColumnNames } = parseOptions(t, i);
  const { client, bucket } = s3ClientFor(ctx, target, 'writing data to');
  try {
    const rows = await writeFiles(ctx, sourceSql, files, csv, withColumnNames, async (file, bytes) => {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: file.replace(/^\/+/, ''), Body: bytes }));
    });
    return rowCount(rows);
  } catch (e) {
    if (e instanceof ExaSqlError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    throw new ExaSqlError(
      `ETL-5105: Following error occured while writing data to external connection [${target.address}]: ${message} (Session: ${ctx.sessionId})`,
      '42636',
    );
  } finally {
    client.destroy();
  }
}

/**
 * Reads the source once, chunk by chunk, and has the writer threads turn it into the files: file k gets the k-th
 * contiguous run of rows (ceil(rows / files) each, the last ones fewer or none); `put` uploads each file as soon
 * as its bytes are ready. Returns the number of rows.
 */
async function writeFiles(
  ctx: StatementContext,
  sourceSql: string,
  files: readonly string[],
  csv: CsvOptions,
  withColumnNames: boolean,
  put: (file: string, bytes: Uint8Array) => Promise<void>,
): Promise<number> {
  const counted = await ctx.duck(`SELECT COUNT(*) FROM (${sourceSql})`);
  const total = counted.kind === 'resultSet' ? Number(counted.rows[0]?.[0] ?? 0) : 0;
  const { columns, chunks } = await ctx.duckChunks(sourceSql);
  const head = withColumnNames ? csvRows([columns.map((c) => c.name)], csv) : '';
  const set = ctx.csvWriters().open(
    files.map((f) => ({ gzip: f.endsWith('.gz') })),
    csv,
    head,
  );
  const per = Math.max(1, Math.ceil(total / files.length));
  let row = 0;
  try {
    for await (const chunk of chunks) {
      const n = chunk[0]?.length ?? 0;
      for (let start = 0; start < n;) {
        const k = Math.min(files.length - 1, Math.floor(row / per));
        const end = k === files.length - 1 ? n : Math.min(n, start + (k + 1) * per - row);
        set.rows(
          k,
          chunk.map((col) => (start === 0 && end === n ? col : col.slice(start, end))),
        );
        row += end - start;
        start = end;
      }
    }
  } catch (e) {
    // The threads still answer the files they were given; nobody waits for them any more.
    for (const w of set.close()) w.catch(() => undefined);
    throw e;
  }
  const written = set.close();
  await Promise.all(written.map(async (bytes, k) => put(files[k] as string, await bytes)));
  return row;
}

function parseOptions(t: Token[], at: number): { csv: CsvOptions; withColumnNames: boolean } {
  let i = at;
  const csv = { ...DEFAULT_CSV };
  let withColumnNames = false;
  const valueAfterEq = (k: number): string => {
    if (t[k]?.text !== '=' || t[k + 1]?.kind !== 'string')
      throw new ExaSqlError(`syntax error, expecting = '<value>' after ${t[k - 1]?.text ?? ''}`);
    return stringValue(t[k + 1] as Token);
  };
  while (i < t.length) {
    const w = kw(t[i]);
    const w2 = kw(t[i + 1]);
    if (w === 'WITH' && w2 === 'COLUMN' && kw(t[i + 2]) === 'NAMES') {
      withColumnNames = true;
      i += 3;
    } else if (w === 'REPLACE' || w === 'TRUNCATE') i++;
    else if (w === 'ENCODING' || w === 'BOOLEAN') {
      valueAfterEq(i + 1);
      i += 3;
    } else if (w === 'NULL') {
      csv.nullText = valueAfterEq(i + 1);
      i += 3;
    } else if (w === 'ROW' && w2 === 'SEPARATOR') {
      const v = valueAfterEq(i + 2);
      const sep = ROW_SEPARATORS[v.toUpperCase()];
      if (sep === undefined) throw new ExaSqlError(`invalid ROW SEPARATOR '${v}': use LF, CRLF or CR`, '42000');
      csv.rowSeparator = sep;
      i += 4;
    } else if (w === 'COLUMN' && w2 === 'SEPARATOR') {
      const v = valueAfterEq(i + 2);
      csv.columnSeparator = v === 'TAB' ? '\t' : v;
      i += 4;
    } else if (w === 'COLUMN' && w2 === 'DELIMITER') {
      csv.columnDelimiter = valueAfterEq(i + 2);
      i += 4;
    } else if (w === 'DELIMIT' && t[i + 1]?.text === '=') {
      const v = kw(t[i + 2]);
      if (v !== 'AUTO' && v !== 'ALWAYS' && v !== 'NEVER')
        throw new ExaSqlError(`invalid DELIMIT ${t[i + 2]?.text ?? ''}: use AUTO, ALWAYS or NEVER`, '42000');
      csv.delimit = v;
      i += 3;
    } else throw new ExaSqlError(`syntax error, unexpected '${t[i]?.text ?? ''}' in EXPORT options`, '42000');
  }
  return { csv, withColumnNames };
}
