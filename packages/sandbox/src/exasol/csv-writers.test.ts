import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { WireValue } from './exa-types.js';
import { CsvWriterPool } from './csv-writers.js';
import { csvRows, DEFAULT_CSV, type CsvOptions } from './csv-format.js';

const ROWS: WireValue[][] = [
  ['plain', 1, 2.5, true, null],
  ['a,b', -0, 1e21, false, 'x'],
  ['say "hi"', 9007199254740993n.toString(), 1e-7, null, ''],
  ['line\nbreak', 0, -3.25, true, 'cr\rhere'],
  ['tab\there', 42, Number.MAX_VALUE, false, '; and |'],
];

const OPTIONS: CsvOptions[] = [
  DEFAULT_CSV,
  { ...DEFAULT_CSV, delimit: 'ALWAYS', nullText: 'NULL', rowSeparator: '\r\n' },
  { ...DEFAULT_CSV, delimit: 'NEVER', columnSeparator: ';' },
  { ...DEFAULT_CSV, columnSeparator: '\t', columnDelimiter: "'" },
  { ...DEFAULT_CSV, columnDelimiter: '' },
];

const columnsOf = (rows: readonly (readonly WireValue[])[]): WireValue[][] =>
  (rows[0] ?? []).map((_, c) => rows.map((r) => r[c] ?? null));

describe('EXPORT writer threads', () => {
  const pool = new CsvWriterPool(2);
  afterAll(async () => {
    await pool.close();
  });

  it('write the bytes csvRows gives, for every option, split over several batches and threads', async () => {
    // One set per option: the options travel with the file.
    const sets = OPTIONS.map((o) => pool.open([{ gzip: false }, { gzip: true }], o, 'HEAD\n'));
    for (const s of sets) {
      s.rows(0, columnsOf(ROWS.slice(0, 2)));
      s.rows(0, columnsOf(ROWS.slice(2)));
      s.rows(1, columnsOf(ROWS));
    }
    for (const [k, s] of sets.entries()) {
      const [plain, zipped] = await Promise.all(s.close());
      const expected = 'HEAD\n' + csvRows(ROWS, OPTIONS[k] as CsvOptions);
      expect(Buffer.from(plain as Uint8Array).toString('utf8')).toBe(expected);
      expect(gunzipSync(zipped as Uint8Array).toString('utf8')).toBe(expected);
    }
  });

  it('answers a file without rows with its head only', async () => {
    const [bytes] = await Promise.all(pool.open([{ gzip: false }], DEFAULT_CSV, 'A,B\n').close());
    expect(Buffer.from(bytes as Uint8Array).toString('utf8')).toBe('A,B\n');
  });

  it('starts its threads again after the pool was closed', async () => {
    const one = new CsvWriterPool(1);
    await Promise.all(one.open([{ gzip: false }], DEFAULT_CSV, '').close());
    await one.close();
    const set = one.open([{ gzip: false }], DEFAULT_CSV, '');
    set.rows(0, columnsOf([['x', 1]]));
    const [bytes] = await Promise.all(set.close());
    expect(Buffer.from(bytes as Uint8Array).toString('utf8')).toBe('x,1\n');
    await one.close();
  });
});
