import { quoteIdentifier, quoteLiteral } from '@sme/core';
import { DEPLOYED_SCRIPTS, LIBRARY_SCRIPT_NAME, deployedVersionOf } from '@sme/udf';
import { check, messageOf, shellSchema, type DoctorCheck, type DoctorContext } from './doctor-context.js';
import { parseFacts, probeNames, probeScriptSql, probeUdfSql, type ProbeNames } from './probes.js';

// The database's own checks: its version, what its Lua really runs (probe script and UDF), sme's deployment.

/** The oldest Exasol versions of each path (docs/cli.md "sme doctor"). */
const IN_DATABASE_MIN: readonly [number, number] = [8, 10];
const CLI_MIN: readonly [number, number] = [7, 1];

/** `8.34.0` → [8, 34]; undefined for anything else. */
export function majorMinor(version: string): readonly [number, number] | undefined {
  const match = /^(\d+)\.(\d+)/.exec(version.trim());
  return match === null ? undefined : [Number(match[1]), Number(match[2])];
}

function atLeast(version: readonly [number, number], min: readonly [number, number]): boolean {
  return version[0] > min[0] || (version[0] === min[0] && version[1] >= min[1]);
}

export async function exasolVersion(ctx: DoctorContext): Promise<DoctorCheck> {
  const name = 'database-version';
  let version: string;
  try {
    const found = await ctx.deps.sql.query(
      "SELECT PARAM_VALUE FROM EXA_METADATA WHERE PARAM_NAME = 'databaseProductVersion'",
    );
    version = String(found.rows[0]?.[0] ?? '');
  } catch (error) {
    return check(name, 'unknown', `could not read EXA_METADATA: ${messageOf(error)}`, null);
  }
  const parsed = majorMinor(version);
  if (parsed === undefined) return check(name, 'unknown', `EXA_METADATA names version '${version}'`);
  if (atLeast(parsed, IN_DATABASE_MIN))
    return check(name, 'pass', `Exasol ${version}: both the in-database path (8.10+) and the CLI path (7.1+) work`);
  if (atLeast(parsed, CLI_MIN))
    return check(
      name,
      'warn',
      `Exasol ${version}: the CLI path works; training from SQL (EXECUTE SCRIPT) needs 8.10+ (LuaSec, luaossl)`,
      'Use the sme CLI (sme train …), or upgrade Exasol to 8.10 or later for the in-database path.',
    );
  return check(name, 'fail', `Exasol ${version}: sme needs 7.1 or later`, 'Upgrade Exasol to 7.1 or later.');
}

/** Creates the probe objects once (and the schema when it does not exist yet; removed again at the end). */
async function ensureProbes(ctx: DoctorContext): Promise<ProbeNames> {
  if (ctx.probes !== undefined) return ctx.probes;
  const session = await ctx.deps.sql.query('SELECT CURRENT_SESSION, CURRENT_USER FROM DUAL');
  ctx.user = String(session.rows[0]?.[1] ?? '');
  const names = probeNames(ctx.deps.schema, String(session.rows[0]?.[0] ?? 'X'));
  ctx.probes = names;
  const schemas = await ctx.deps.sql.query(
    'SELECT SCHEMA_NAME FROM EXA_SCHEMAS WHERE SCHEMA_NAME = ' + quoteLiteral(ctx.deps.schema),
  );
  if (schemas.rows.length === 0) {
    await ctx.deps.sql.execute('CREATE SCHEMA ' + ctx.schemaSql);
    ctx.createdSchema = true;
  }
  return names;
}

function probeFailure(ctx: DoctorContext, name: string, error: unknown): DoctorCheck {
  const text = messageOf(error);
  const privilege = /privilege/i.test(text);
  return check(
    name,
    privilege ? 'unknown' : 'fail',
    `the probe could not run: ${text}`,
    privilege
      ? `Run sme doctor as a user who may create scripts in ${ctx.schemaSql} (GRANT CREATE SCRIPT TO <user>, or the schema's owner).`
      : 'See the error above; sme needs Lua scripting programs and UDFs.',
  );
}

export async function luaScript(ctx: DoctorContext): Promise<DoctorCheck> {
  const name = 'lua-scripting';
  let facts: ReadonlyMap<string, string>;
  try {
    const names = await ensureProbes(ctx);
    await ctx.deps.sql.execute(probeScriptSql(names));
    ctx.createdProbes.push(names.script);
    const result = await ctx.deps.sql.query(`EXECUTE SCRIPT ${ctx.schemaSql}.${quoteIdentifier(names.script)}()`);
    facts = parseFacts(String(result.rows[0]?.[0] ?? ''));
  } catch (error) {
    return probeFailure(ctx, name, error);
  }
  return check(name, 'pass', `scripting program: ${describeLuaFacts(facts)}`);
}

export async function luaUdf(ctx: DoctorContext): Promise<DoctorCheck> {
  const name = 'lua-udf';
  let facts: ReadonlyMap<string, string>;
  try {
    const names = await ensureProbes(ctx);
    await ctx.deps.sql.execute(probeUdfSql(names));
    ctx.createdProbes.push(names.udf);
    const result = await ctx.deps.sql.query(`SELECT ${ctx.schemaSql}.${quoteIdentifier(names.udf)}(1) FROM DUAL`);
    const at = ctx.deps.elapsedMillis();
    facts = parseFacts(String(result.rows[0]?.[0] ?? ''));
    const seconds = Number(facts.get('os_time'));
    if (Number.isFinite(seconds)) ctx.dbClock = { seconds, at, source: 'Lua os.time() in a UDF' };
  } catch (error) {
    return probeFailure(ctx, name, error);
  }
  const loads = (module: string) => facts.get(`require:${module}`) === 'yes';
  const modules = ['ssl', 'openssl.digest', '_openssl.digest', 'socket', 'cjson']
    .map((m) => `${m} ${loads(m) ? 'loads' : 'missing'}`)
    .join(', ');
  const detail = `UDF: ${describeLuaFacts(facts)}; ${modules}`;
  const openssl =
    (loads('openssl.digest') && loads('openssl.hmac')) || (loads('_openssl.digest') && loads('_openssl.hmac'));
  if (!loads('ssl') || !openssl || !loads('socket'))
    return check(
      name,
      'warn',
      detail,
      'The in-database path needs LuaSec (ssl), luaossl (openssl or _openssl) and LuaSocket in Lua UDFs: ' +
        'upgrade Exasol to 8.10 or later, or train with the sme CLI.',
    );
  return check(name, 'pass', detail);
}

export async function deployed(ctx: DoctorContext): Promise<DoctorCheck> {
  const name = 'sme-deployed';
  const deploy = `sme deploy --schema ${shellSchema(ctx.deps.schema)}`;
  let present: Set<string>;
  let version: string | undefined;
  try {
    const found = await ctx.deps.sql.query(
      'SELECT SCRIPT_NAME FROM EXA_ALL_SCRIPTS WHERE SCRIPT_SCHEMA = ' + quoteLiteral(ctx.deps.schema),
    );
    present = new Set(found.rows.map((row) => String(row[0])));
    if (present.has(LIBRARY_SCRIPT_NAME)) {
      const text = await ctx.deps.sql.query(
        'SELECT SUBSTR(SCRIPT_TEXT, 1, 1000) FROM EXA_ALL_SCRIPTS WHERE SCRIPT_SCHEMA = ' +
          quoteLiteral(ctx.deps.schema) +
          ' AND SCRIPT_NAME = ' +
          quoteLiteral(LIBRARY_SCRIPT_NAME),
      );
      version = deployedVersionOf(String(text.rows[0]?.[0] ?? ''));
    }
  } catch (error) {
    return check(name, 'unknown', `could not read EXA_ALL_SCRIPTS: ${messageOf(error)}`);
  }
  const missing = DEPLOYED_SCRIPTS.map((s) => s.name).filter((n) => !present.has(n));
  // Every script there: the checks through sme's UDFs can run (a version mismatch is this check's finding).
  ctx.deployedOk = missing.length === 0;
  if (missing.length === DEPLOYED_SCRIPTS.length)
    return check(name, 'fail', `sme is not deployed in schema ${ctx.schemaSql}`, deploy);
  if (missing.length > 0)
    return check(
      name,
      'fail',
      `schema ${ctx.schemaSql} lacks ${String(missing.length)} of sme's scripts (${missing.join(', ')})`,
      deploy,
    );
  if (version !== ctx.deps.cliVersion)
    return check(
      name,
      'fail',
      version === undefined
        ? `schema ${ctx.schemaSql} holds sme's scripts from a version older than ${ctx.deps.cliVersion} (no version recorded)`
        : `schema ${ctx.schemaSql} holds sme ${version}, this CLI is ${ctx.deps.cliVersion}`,
      `${deploy} (with this CLI: replaces the scripts, keeps the metadata tables)`,
    );
  return check(name, 'pass', `sme ${version} is deployed in schema ${ctx.schemaSql}, the same version as this CLI`);
}

/** Drops the probe scripts this run created, and the schema when the run created it (each on its own). */
export async function removeProbes(ctx: DoctorContext): Promise<void> {
  if (ctx.probes === undefined) return;
  for (const script of ctx.createdProbes.splice(0)) {
    await ctx.deps.sql
      .execute(`DROP SCRIPT IF EXISTS ${ctx.schemaSql}.${quoteIdentifier(script)}`)
      .catch(() => undefined);
  }
  if (ctx.createdSchema) {
    // Without CASCADE: only the schema this run created, and only while it is still empty.
    await ctx.deps.sql.execute(`DROP SCHEMA IF EXISTS ${ctx.schemaSql}`).catch(() => undefined);
    ctx.createdSchema = false;
  }
}

/** The §3b facts in words. */
export function describeLuaFacts(facts: ReadonlyMap<string, string>): string {
  const pcall = facts.get('pcall_table_error');
  return [
    `pcall(error, {…}) gives a ${pcall ?? '?'}${pcall === 'string' ? ' (Exasol: thrown tables become strings)' : ''}`,
    `load ${facts.get('load') === 'function' ? 'available' : 'absent'}`,
    `coroutine ${facts.get('coroutine') === 'table' ? 'available' : 'absent'}`,
  ].join(', ');
}
