/**
 * Exact name resolution: Exasol folds unquoted names to upper case and matches names exactly; DuckDB, the
 * engine underneath, matches case-insensitively. These tests hold the sandbox to Exasol's rule.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLuaRuntime } from '../lua/index.js';
import { ExaDatabase } from './database.js';
import { caseMismatch, catalogNameUses } from './name-check.js';
import type { ExaResult } from './result.js';
import type { ExaSession } from './session.js';
import { significant, tokenize } from './tokenizer.js';

let db: ExaDatabase;
let s: ExaSession;

beforeAll(async () => {
  db = await ExaDatabase.open({ user: 'sys', lua: () => createLuaRuntime('wasm') });
  s = await db.openSession();
  await s.execute('CREATE SCHEMA nr');
  await s.execute('OPEN SCHEMA nr');
  await s.execute('CREATE TABLE t ("Mixed" INT, abc INT, "lower" VARCHAR(10))');
  await s.execute(`INSERT INTO t VALUES (1, 2, 'x')`);
  await s.execute('CREATE TABLE "CamelTable" (id INT)');
  await s.execute('CREATE SCHEMA "LowSchema"');
  await s.execute('CREATE TABLE "LowSchema".u (v INT)');
  // CREATE SCHEMA opens the new schema, as in Exasol
  await s.execute('OPEN SCHEMA nr');
});
afterAll(async () => {
  await db.close();
});

const rows = (r: ExaResult): readonly (readonly unknown[])[] => (r.kind === 'resultSet' ? r.rows : []);
const notFound = async (sql: string, shown: string): Promise<void> => {
  await expect(s.execute(sql)).rejects.toMatchObject({
    sqlCode: '42000',
    message: expect.stringContaining(`object ${shown} not found`) as unknown,
  });
};

describe('quoted names keep their case and match exactly', () => {
  it('finds "Mixed" by "Mixed"', async () => {
    const r = await s.execute('SELECT "Mixed" FROM t');
    expect(rows(r)).toEqual([[1]]);
    expect(r.kind === 'resultSet' && r.columns[0]?.name).toBe('Mixed');
  });

  it('does not find "Mixed" by mixed, MIXED or "MIXED"', async () => {
    await notFound('SELECT mixed FROM t', 'MIXED');
    await notFound('SELECT MIXED FROM t', 'MIXED');
    await notFound('SELECT "MIXED" FROM t', 'MIXED');
    await notFound('SELECT t.mixed FROM t', 'MIXED');
    await notFound('SELECT abc FROM t WHERE mixed = 1', 'MIXED');
    await notFound('SELECT "lower" FROM t ORDER BY lower', 'LOWER');
  });

  it('applies to tables, schemas and DML', async () => {
    expect(rows(await s.execute('SELECT COUNT(*) FROM "CamelTable"'))).toEqual([[0]]);
    await notFound('SELECT * FROM cameltable', 'CAMELTABLE');
    await notFound('SELECT * FROM "cameltable"', '"cameltable"');
    expect(rows(await s.execute('SELECT COUNT(*) FROM "LowSchema".u'))).toEqual([[0]]);
    await notFound('SELECT * FROM lowschema.u', 'LOWSCHEMA');
    await notFound('UPDATE t SET mixed = 3', 'MIXED');
    await notFound('INSERT INTO t (mixed) VALUES (3)', 'MIXED');
    await notFound('DELETE FROM t WHERE MIXED = 1', 'MIXED');
    await notFound('CREATE TABLE t2 AS SELECT mixed FROM t', 'MIXED');
    expect(rows(await s.execute('SELECT "Mixed" FROM t'))).toEqual([[1]]);
  });
});

describe('unquoted names fold to upper case', () => {
  it('finds unquoted abc as ABC, abc, Abc and "ABC", but not "abc"', async () => {
    for (const ref of ['abc', 'ABC', 'Abc', '"ABC"', 't.abc', 'nr.t.ABC'])
      expect(rows(await s.execute(`SELECT ${ref} FROM nr.t`)), ref).toEqual([[2]]);
    await notFound('SELECT "abc" FROM t', '"abc"');
    const r = await s.execute('SELECT abc FROM t');
    expect(r.kind === 'resultSet' && r.columns[0]?.name).toBe('ABC');
  });

  it('leaves aliases, CTE names, functions, keywords and typed literals alone', async () => {
    const ok = [
      'SELECT "Mixed" AS mixed FROM t ORDER BY mixed',
      'SELECT m.x FROM (SELECT "Mixed" x FROM t) m',
      'WITH mixed AS (SELECT "Mixed" FROM t) SELECT * FROM mixed',
      'SELECT COUNT(*) cnt, MAX(abc) FROM t GROUP BY "Mixed" HAVING COUNT(*) > 0',
      `SELECT CAST("Mixed" AS DECIMAL(10,0)), DATE '2024-01-02' FROM t`,
      'SELECT "Mixed" FROM t WHERE "lower" IS NOT NULL AND abc IN (1, 2)',
    ];
    for (const sql of ok) await expect(s.execute(sql), sql).resolves.toMatchObject({ kind: 'resultSet' });
  });

  it('keeps the check inside a transaction, against the uncommitted catalog', async () => {
    await s.setAutocommit(false);
    try {
      await s.execute('CREATE TABLE tx ("Col" INT)');
      await notFound('SELECT col FROM tx', 'COL');
      await s.execute('ROLLBACK');
    } finally {
      await s.setAutocommit(true);
    }
  });
});

describe('the name check (unit)', () => {
  const uses = (sql: string): string[] =>
    [...catalogNameUses(significant(tokenize(sql)), new Set(['SELECT', 'FROM', 'AS', 'WHERE']))].map(([n]) => n);

  it('lists the folded names a query resolves, without aliases', () => {
    expect(uses('SELECT a, "Bc" AS x, d e FROM s.t WHERE x = 1')).toEqual(['A', 'Bc', 'D', 'S', 'T']);
  });

  it('flags a name exactly when the catalog holds it only in another case (property)', () => {
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,8}$/);
    fc.assert(
      fc.property(name, fc.array(name, { maxLength: 6 }), (used, catalog) => {
        const result = caseMismatch([used], catalog);
        const sameFolded = catalog.filter((c) => c.toLowerCase() === used.toLowerCase());
        const expected = sameFolded.length > 0 && !sameFolded.includes(used);
        expect(result !== undefined).toBe(expected);
        if (result) expect(result).toEqual({ name: used, catalog: sameFolded });
      }),
    );
  });
});
