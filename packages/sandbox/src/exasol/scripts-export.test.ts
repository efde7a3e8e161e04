import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeTier, luaTier } from '@sme/test-tiers';
import { startExasolSandbox, type ExasolSandbox } from './exasol-sandbox.js';
import { connectDriver, type Driver } from './testing/driver-harness.js';

/** The slice of s3rver (untyped CommonJS) this test uses. */
interface S3rver {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
const S3rverCtor = createRequire(import.meta.url)('s3rver') as new (options: Record<string, unknown>) => S3rver;

for (const lua of ['native', 'wasm'] as const) {
  describeTier(luaTier(lua), `Lua scripts and UDFs through SQL (${lua} runtime)`, () => {
    let exa: ExasolSandbox;
    let db: Driver;
    beforeAll(async () => {
      exa = await startExasolSandbox({ lua, tls: false });
      db = await connectDriver(exa);
      await db.execute('CREATE SCHEMA s');
      await db.execute('CREATE TABLE s.t (g VARCHAR(5), v DECIMAL(18,0))');
      await db.execute("INSERT INTO s.t VALUES ('a', 1), ('a', 2), ('b', 5)");
      await db.execute(
        "CREATE CONNECTION my_conn TO 'https://bkt.s3.amazonaws.com' USER 'AKID' IDENTIFIED BY 'secret'",
      );
    });
    afterAll(async () => {
      await db.close();
      await exa.stop();
    });

    it('runs a scripting program with query/pquery/exit/output', async () => {
      await db.execute(`CREATE OR REPLACE LUA SCRIPT s.prog(tbl, ARRAY extra) RETURNS TABLE AS
local res = query([[SELECT g, SUM(v) AS total FROM ::t GROUP BY g ORDER BY g]], {t = tbl})
output('groups: ' .. #res)
local ok, err = pquery([[SELECT * FROM s.missing]])
output('pquery ok: ' .. tostring(ok))
local rows = {}
for i = 1, #res do rows[i] = {res[i].G, res[i][2], #extra} end
exit(rows, "G VARCHAR(5), TOTAL DECIMAL(18,0), N DECIMAL(18,0)")`);
      const r = await db.query("EXECUTE SCRIPT s.prog('T', ARRAY('x', 'y'))");
      expect(r.getColumns().map((c) => c.name)).toEqual(['G', 'TOTAL', 'N']);
      expect(r.getRows()).toEqual([
        { G: 'a', TOTAL: 3, N: 2 },
        { G: 'b', TOTAL: 5, N: 2 },
      ]);
      await db.execute('OPEN SCHEMA s');
      const out = await db.query("EXECUTE SCRIPT s.prog('T', ARRAY('x')) WITH OUTPUT");
      expect(out.getRows()).toEqual([{ OUTPUT: 'groups: 2' }, { OUTPUT: 'pquery ok: false' }]);
      const scripts = await db.query(
        "SELECT script_type, script_language, script_result_type FROM exa_all_scripts WHERE script_name = 'PROG'",
      );
      expect(scripts.getRows()).toEqual([
        { SCRIPT_TYPE: 'PROCEDURE', SCRIPT_LANGUAGE: 'LUA', SCRIPT_RESULT_TYPE: 'TABLE' },
      ]);
    });

    it('runs a SET-EMITS UDF per group that reads a CONNECTION', async () => {
      await db.execute(`CREATE OR REPLACE LUA SET SCRIPT s.agg(v DECIMAL(18,0)) EMITS (total DECIMAL(18,0), who VARCHAR(20)) AS
function run(ctx)
  local sum = 0
  repeat sum = sum + ctx.v until not ctx.next()
  local c = exa.get_connection('MY_CONN')
  ctx.emit(sum, c.user)
end`);
      const r = await db.query('SELECT s.agg(v) FROM s.t GROUP BY g ORDER BY 1');
      expect(r.getColumns().map((c) => c.name)).toEqual(['TOTAL', 'WHO']);
      expect(r.getRows().sort((a, b) => Number(a.TOTAL) - Number(b.TOTAL))).toEqual([
        { TOTAL: 3, WHO: 'AKID' },
        { TOTAL: 5, WHO: 'AKID' },
      ]);
      const conns = await db.query('SELECT * FROM exa_dba_connections');
      expect(conns.getColumns().map((c) => c.name)).not.toContain('PASSWORD');
      expect(JSON.stringify(conns.getRows())).not.toContain('secret');
    });

    it('refuses scripts in languages other than Lua at run time', async () => {
      await db.execute('CREATE PYTHON3 SCALAR SCRIPT s.py(x DOUBLE) RETURNS DOUBLE AS\ndef run(ctx): return ctx.x');
      await expect(db.query('SELECT s.py(v) FROM s.t')).rejects.toThrow(/PYTHON3 .* not available in this sandbox/);
    });
  });
}

describe('EXPORT INTO CSV to an S3-compatible store', () => {
  let s3dir: string;
  let s3: S3rver;
  let endpoint: string;
  let exa: ExasolSandbox;
  let db: Driver;
  beforeAll(async () => {
    s3dir = mkdtempSync(join(tmpdir(), 'sme-s3-'));
    s3 = new S3rverCtor({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory: s3dir,
      configureBuckets: [{ name: 'bkt', configs: [] }],
    });
    const addr = await s3.run();
    endpoint = `http://127.0.0.1:${addr.port}`;
    exa = await startExasolSandbox({ s3Endpoint: endpoint });
    db = await connectDriver(exa);
  });
  afterAll(async () => {
    await db.close();
    await exa.stop();
    await s3.close();
    rmSync(s3dir, { recursive: true, force: true });
  });

  it('splits a 10,000-row table over 4 FILE parts that re-assemble to the table', async () => {
    await db.execute('CREATE SCHEMA e');
    await db.execute(
      "CREATE TABLE e.t AS SELECT CAST(range AS DECIMAL(18,0)) AS id, CAST(range / 8 AS DECIMAL(10,2)) AS amount, CASE WHEN range % 3 = 0 THEN NULL ELSE 'v,' || range END AS label FROM range(10000)",
    );
    await db.execute(
      "CREATE CONNECTION s3c TO 'https://bkt.s3.eu-west-1.amazonaws.com' USER 'S3RVER' IDENTIFIED BY 'S3RVER'",
    );
    const n = await db.execute(
      "EXPORT e.t INTO CSV AT s3c FILE 'out/part-1.csv' FILE 'out/part-2.csv' FILE 'out/part-3.csv' FILE 'out/part-4.csv' WITH COLUMN NAMES",
    );
    expect(n).toBe(10000);
    const client = new S3Client({
      endpoint,
      region: 'eu-west-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const list = await client.send(new ListObjectsV2Command({ Bucket: 'bkt', Prefix: 'out/' }));
    const keys = (list.Contents ?? []).map((o) => o.Key).sort();
    expect(keys).toEqual(['out/part-1.csv', 'out/part-2.csv', 'out/part-3.csv', 'out/part-4.csv']);
    const lines: string[] = [];
    for (const key of keys) {
      const body = await (
        await client.send(new GetObjectCommand({ Bucket: 'bkt', Key: key }))
      ).Body?.transformToString();
      const [header, ...rows] = (body ?? '').split('\n').filter((l) => l !== '');
      expect(header).toBe('ID,AMOUNT,LABEL');
      lines.push(...rows);
    }
    client.destroy();
    expect(lines).toHaveLength(10000);
    const expected = Array.from({ length: 10000 }, (_, i) => {
      const amount = (Math.round((i / 8) * 100) / 100).toFixed(2);
      return `${i},${amount},${i % 3 === 0 ? '' : `"v,${i}"`}`;
    });
    expect(lines).toEqual(expected);
  });

  it('IMPORTs CSV files (chosen columns, quoted fields, empty = NULL) and inserts nothing when one row is bad', async () => {
    await db.execute('CREATE TABLE e.back (id DECIMAL(18,0), label VARCHAR(20), score DOUBLE)');
    const client = new S3Client({
      endpoint,
      region: 'eu-west-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    await client.send(new PutObjectCommand({ Bucket: 'bkt', Key: 'in/a.csv.out', Body: '1,"x,y",0.5\n2,,0.25\n' }));
    await client.send(new PutObjectCommand({ Bucket: 'bkt', Key: 'in/b.csv.out', Body: '3,z\n' }));
    await client.send(new PutObjectCommand({ Bucket: 'bkt', Key: 'in/bad.csv', Body: '4,w,0.1\n5\n' }));
    client.destroy();
    expect(await db.execute("IMPORT INTO e.back FROM CSV AT s3c FILE 'in/a.csv.out'")).toBe(2);
    expect(await db.execute("IMPORT INTO e.back (id, label) FROM CSV AT s3c FILE 'in/b.csv.out'")).toBe(1);
    await expect(db.execute("IMPORT INTO e.back FROM CSV AT s3c FILE 'in/bad.csv'")).rejects.toThrow(
      /ETL-2105: Error while parsing row=2 .*found 1 columns, expected 3/,
    );
    await expect(db.execute("IMPORT INTO e.back FROM CSV AT s3c FILE 'in/none.csv'")).rejects.toThrow(/ETL-5105/);
    const rows = await db.query('SELECT id, label, score FROM e.back ORDER BY id');
    expect(rows.getRows()).toEqual([
      { ID: 1, LABEL: 'x,y', SCORE: 0.5 },
      { ID: 2, LABEL: null, SCORE: 0.25 },
      { ID: 3, LABEL: 'z', SCORE: null },
    ]);
  });

  it('accepts only AWS bucket addresses, like Exasol', async () => {
    await expect(
      db.execute("EXPORT e.t INTO CSV AT 'http://example.com/x' USER 'a' IDENTIFIED BY 'b' FILE 'x.csv'"),
    ).rejects.toThrow(/ETL-5105/);
  });
});
