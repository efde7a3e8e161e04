import {
  bucketOfConnectionAddress,
  isRoleArn,
  isSmeError,
  maskUserinfo,
  quoteIdentifier,
  quoteLiteral,
  type SqlPort,
} from '@sme/core';
import {
  AWS_CALL_UDF_NAME,
  CONNECTION_ADDRESS_UDF_NAME,
  DEPLOYED_SCRIPTS,
  LIBRARY_SCRIPT_NAME,
  deployedVersionOf,
} from '@sme/udf';
import { parseFacts, probeNames, probeScriptSql, probeUdfSql, type ProbeNames } from './probes.js';

/** One line of `sme doctor`: pass / warn / fail / unknown, what was seen, and the exact fix. */
export interface DoctorCheck {
  readonly name: string;
  readonly status: 'pass' | 'warn' | 'fail' | 'unknown';
  readonly detail: string;
  /** What to do; null when there is nothing to do. */
  readonly fix: string | null;
}

/** What the checks observe the world through; the command wires the real ones, tests inject failures. */
export interface DoctorDeps {
  readonly sql: SqlPort;
  /** sme's schema, as stored. */
  readonly schema: string;
  /** The version of this CLI. */
  readonly cliVersion: string;
  /** The `--connection` name as stored (unquoted names folded to upper case). */
  readonly connection?: string;
  /** The bucket of `--bucket`. */
  readonly bucket?: string;
  readonly region?: string;
  readonly role?: string;
  /** The time AWS's answer carried in its HTTP `Date` header (epoch ms), with where it came from. */
  awsDate(): Promise<{ readonly millis: number; readonly origin: string }>;
  /** Monotonic milliseconds (to carry a reading taken a moment ago forward). */
  elapsedMillis(): number;
  /** The CLI's own AWS credentials: a cheap signed read of SageMaker (a job that does not exist) and of S3. */
  cliAws?: {
    describeMissingJob(): Promise<void>;
    listPrefix(prefixUri: string): Promise<readonly string[]>;
    deletePrefix(prefixUri: string): Promise<number>;
    roleArn(nameOrArn: string): Promise<string>;
  };
  /** Why `cliAws` is missing (no region, a broken profile…), for the aws-credentials line. */
  readonly cliAwsProblem?: string;
  /** Aborted by Ctrl-C: the remaining checks are skipped, the probes still removed. */
  readonly signal?: AbortSignal;
}

/** Seconds of clock difference that pass; beyond them a warning, beyond `CLOCK_FAIL_SECONDS` a failure. */
export const CLOCK_PASS_SECONDS = 60;
/** SigV4 refuses requests whose date is this far from AWS's clock (the issue's and most services' limit). */
export const CLOCK_FAIL_SECONDS = 300;

/** Where the export probe writes (a key under the CONNECTION's bucket); deleted again at once. */
export const EXPORT_PROBE_PREFIX = 'sme-doctor-probe/';

/** The oldest Exasol versions of each path (docs/cli.md "sme doctor"). */
const IN_DATABASE_MIN: readonly [number, number] = [8, 10];
const CLI_MIN: readonly [number, number] = [7, 1];

function check(name: string, status: DoctorCheck['status'], detail: string, fix: string | null = null): DoctorCheck {
  return { name, status, detail, fix };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function remedyOf(error: unknown): string | undefined {
  return isSmeError(error) ? error.details.remedy : undefined;
}

/** `8.34.0` → [8, 34]; undefined for anything else. */
export function majorMinor(version: string): readonly [number, number] | undefined {
  const match = /^(\d+)\.(\d+)/.exec(version.trim());
  return match === null ? undefined : [Number(match[1]), Number(match[2])];
}

function atLeast(version: readonly [number, number], min: readonly [number, number]): boolean {
  return version[0] > min[0] || (version[0] === min[0] && version[1] >= min[1]);
}

/** The envelope the AWS-call UDF answers (udf: `awsCallEnvelope`), as far as the doctor reads it. */
interface Envelope {
  readonly ok: boolean;
  readonly httpStatus?: number;
  readonly code?: string;
  readonly message?: string;
  readonly remedy?: string;
}

/** What one in-database AWS call came to: an envelope, or the SQL error of the UDF call itself. */
type UdfCall = { readonly envelope: Envelope } | { readonly sqlError: string };

/**
 * Runs every check in order and removes the probes whatever happens. Checks that depend on something a previous
 * check found missing answer `unknown` and say what to do first.
 */
export async function runDoctorChecks(deps: DoctorDeps): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const state = new DoctorState(deps);
  const steps: readonly (readonly [string, () => Promise<DoctorCheck>])[] = [
    ['database-version', () => state.exasolVersion()],
    ['lua-scripting', () => state.luaScript()],
    ['lua-udf', () => state.luaUdf()],
    ['sme-deployed', () => state.deployed()],
    ['connection', () => state.connectionAddress()],
    ['connection-access', () => state.connectionAccess()],
    ['export', () => state.exportProbe()],
    ['https-sagemaker', () => state.httpsSageMaker()],
    ['https-s3', () => state.httpsS3()],
    ['aws-credentials', () => state.cliCredentials()],
    ['clock', () => state.clock()],
    ['role', () => state.role()],
  ];
  try {
    for (const [name, step] of steps) {
      if (deps.signal?.aborted === true) break;
      try {
        checks.push(await step());
      } catch (error) {
        // A check that breaks (e.g. the session failed under it) is one unknown line; the others still run.
        checks.push(check(name, 'unknown', `the check could not run: ${messageOf(error)}`));
      }
    }
  } finally {
    await state.cleanUp();
  }
  return checks;
}

class DoctorState {
  private probes: ProbeNames | undefined;
  private createdProbes: string[] = [];
  private createdSchema = false;
  /** The UDF's os.time() and when (elapsedMillis) it was read. */
  private dbClock: { seconds: number; at: number; source: string } | undefined;
  private deployedOk = false;
  private user = '';
  private bucket: string | undefined;
  private region: string | undefined;
  private accessDenied = false;
  private exportedKey: string | undefined;

  constructor(private readonly deps: DoctorDeps) {
    this.bucket = deps.bucket;
    this.region = deps.region;
  }

  private get schemaSql(): string {
    return quoteIdentifier(this.deps.schema);
  }

  async exasolVersion(): Promise<DoctorCheck> {
    const name = 'database-version';
    let version: string;
    try {
      const found = await this.deps.sql.query(
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
  private async ensureProbes(): Promise<ProbeNames> {
    if (this.probes !== undefined) return this.probes;
    const session = await this.deps.sql.query('SELECT CURRENT_SESSION, CURRENT_USER FROM DUAL');
    this.user = String(session.rows[0]?.[1] ?? '');
    const names = probeNames(this.deps.schema, String(session.rows[0]?.[0] ?? 'X'));
    this.probes = names;
    const schemas = await this.deps.sql.query(
      'SELECT SCHEMA_NAME FROM EXA_SCHEMAS WHERE SCHEMA_NAME = ' + quoteLiteral(this.deps.schema),
    );
    if (schemas.rows.length === 0) {
      await this.deps.sql.execute('CREATE SCHEMA ' + this.schemaSql);
      this.createdSchema = true;
    }
    return names;
  }

  private probeFailure(name: string, error: unknown): DoctorCheck {
    const text = messageOf(error);
    const privilege = /privilege/i.test(text);
    return check(
      name,
      privilege ? 'unknown' : 'fail',
      `the probe could not run: ${text}`,
      privilege
        ? `Run sme doctor as a user who may create scripts in ${this.schemaSql} (GRANT CREATE SCRIPT TO <user>, or the schema's owner).`
        : 'See the error above; sme needs Lua scripting programs and UDFs.',
    );
  }

  async luaScript(): Promise<DoctorCheck> {
    const name = 'lua-scripting';
    let facts: ReadonlyMap<string, string>;
    try {
      const names = await this.ensureProbes();
      await this.deps.sql.execute(probeScriptSql(names));
      this.createdProbes.push(names.script);
      const result = await this.deps.sql.query(`EXECUTE SCRIPT ${this.schemaSql}.${quoteIdentifier(names.script)}()`);
      facts = parseFacts(String(result.rows[0]?.[0] ?? ''));
    } catch (error) {
      return this.probeFailure(name, error);
    }
    return check(name, 'pass', `scripting program: ${describeLuaFacts(facts)}`);
  }

  async luaUdf(): Promise<DoctorCheck> {
    const name = 'lua-udf';
    let facts: ReadonlyMap<string, string>;
    try {
      const names = await this.ensureProbes();
      await this.deps.sql.execute(probeUdfSql(names));
      this.createdProbes.push(names.udf);
      const result = await this.deps.sql.query(`SELECT ${this.schemaSql}.${quoteIdentifier(names.udf)}(1) FROM DUAL`);
      const at = this.deps.elapsedMillis();
      facts = parseFacts(String(result.rows[0]?.[0] ?? ''));
      const seconds = Number(facts.get('os_time'));
      if (Number.isFinite(seconds)) this.dbClock = { seconds, at, source: 'Lua os.time() in a UDF' };
    } catch (error) {
      return this.probeFailure(name, error);
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

  async deployed(): Promise<DoctorCheck> {
    const name = 'sme-deployed';
    const deploy = `sme deploy --schema ${shellSchema(this.deps.schema)}`;
    let present: Set<string>;
    let version: string | undefined;
    try {
      const found = await this.deps.sql.query(
        'SELECT SCRIPT_NAME FROM EXA_ALL_SCRIPTS WHERE SCRIPT_SCHEMA = ' + quoteLiteral(this.deps.schema),
      );
      present = new Set(found.rows.map((row) => String(row[0])));
      if (present.has(LIBRARY_SCRIPT_NAME)) {
        const text = await this.deps.sql.query(
          'SELECT SUBSTR(SCRIPT_TEXT, 1, 1000) FROM EXA_ALL_SCRIPTS WHERE SCRIPT_SCHEMA = ' +
            quoteLiteral(this.deps.schema) +
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
    this.deployedOk = missing.length === 0;
    if (missing.length === DEPLOYED_SCRIPTS.length)
      return check(name, 'fail', `sme is not deployed in schema ${this.schemaSql}`, deploy);
    if (missing.length > 0)
      return check(
        name,
        'fail',
        `schema ${this.schemaSql} lacks ${String(missing.length)} of sme's scripts (${missing.join(', ')})`,
        deploy,
      );
    if (version !== this.deps.cliVersion)
      return check(
        name,
        'fail',
        version === undefined
          ? `schema ${this.schemaSql} holds sme's scripts from a version older than ${this.deps.cliVersion} (no version recorded)`
          : `schema ${this.schemaSql} holds sme ${version}, this CLI is ${this.deps.cliVersion}`,
        `${deploy} (with this CLI: replaces the scripts, keeps the metadata tables)`,
      );
    return check(name, 'pass', `sme ${version} is deployed in schema ${this.schemaSql}, the same version as this CLI`);
  }

  async connectionAddress(): Promise<DoctorCheck> {
    const name = 'connection';
    const connection = this.deps.connection;
    if (connection === undefined)
      return check(
        name,
        'unknown',
        'no --connection given',
        'Pass --connection NAME: the CONNECTION sme exports through.',
      );
    let address: string | undefined;
    let via = 'EXA_DBA_CONNECTIONS';
    try {
      const found = await this.deps.sql.query(
        'SELECT CONNECTION_STRING FROM EXA_DBA_CONNECTIONS WHERE CONNECTION_NAME = ' + quoteLiteral(connection),
      );
      if (found.rows.length === 0) return this.noSuchConnection(name, connection);
      address = maskUserinfo(String(found.rows[0]?.[0] ?? ''));
    } catch {
      // Without SELECT ANY DICTIONARY: the deployed UDF reads the address (needs ACCESS on the CONNECTION).
      if (!this.deployedOk)
        return check(
          name,
          'unknown',
          `cannot read CONNECTION ${connection}: EXA_DBA_CONNECTIONS is not readable and sme is not deployed`,
          'Deploy sme first (see sme-deployed), or run sme doctor as a user with SELECT ANY DICTIONARY.',
        );
      const read = await this.connectionAddressUdf(connection);
      if ('error' in read)
        return read.error.includes('SME-E-CONNECTION-ACCESS')
          ? check(
              name,
              'unknown',
              `cannot read CONNECTION ${connection}: EXA_DBA_CONNECTIONS is not readable and sme's UDF has no ACCESS on it`,
              'Grant ACCESS (see connection-access), or run sme doctor as a user with SELECT ANY DICTIONARY.',
            )
          : check(name, 'unknown', `cannot read CONNECTION ${connection}: ${read.error}`, null);
      if (read.address === undefined) return this.noSuchConnection(name, connection);
      address = read.address;
      via = CONNECTION_ADDRESS_UDF_NAME;
    }
    let found: { bucket: string; region?: string };
    try {
      found = bucketOfConnectionAddress(address);
    } catch (error) {
      return check(
        name,
        'fail',
        `CONNECTION ${connection} (read from ${via}): ${messageOf(error)}`,
        `CREATE OR REPLACE CONNECTION ${quoteIdentifier(connection)} TO 'https://<bucket>.s3.<region>.amazonaws.com' USER '<access key id>' IDENTIFIED BY '<secret access key>'`,
      );
    }
    this.region ??= found.region;
    const wanted = this.bucket;
    // EXPORT writes where the CONNECTION points: the later checks look at that bucket (the mismatch is this check's).
    this.bucket = found.bucket;
    if (wanted !== undefined && found.bucket !== wanted)
      return check(
        name,
        'fail',
        `CONNECTION ${connection} points at bucket ${found.bucket}, not at --bucket ${wanted}`,
        `Pass --bucket s3://${found.bucket}, or point the CONNECTION at the bucket: CREATE OR REPLACE CONNECTION ` +
          `${quoteIdentifier(connection)} TO 'https://${wanted}.s3.${this.region ?? '<region>'}.amazonaws.com' ` +
          "USER '<access key id>' IDENTIFIED BY '<secret access key>'",
      );
    if (found.region !== undefined && this.deps.region !== undefined && found.region !== this.deps.region)
      return check(
        name,
        'warn',
        `CONNECTION ${connection} points at bucket ${found.bucket} in ${found.region}, but --region is ${this.deps.region}`,
        'Give the region of the bucket (--region), or a bucket in the region you train in.',
      );
    return check(name, 'pass', `CONNECTION ${connection} exists and points at bucket ${found.bucket} (${address})`);
  }

  private noSuchConnection(name: string, connection: string): DoctorCheck {
    return check(
      name,
      'fail',
      `CONNECTION ${connection} does not exist`,
      `CREATE CONNECTION ${quoteIdentifier(connection)} TO 'https://${this.bucket ?? '<bucket>'}.s3.${this.region ?? '<region>'}.amazonaws.com' USER '<access key id>' IDENTIFIED BY '<secret access key>'`,
    );
  }

  private async connectionAddressUdf(
    connection: string,
  ): Promise<{ readonly address: string | undefined } | { readonly error: string }> {
    try {
      const found = await this.deps.sql.query(
        `SELECT ${this.schemaSql}.${quoteIdentifier(CONNECTION_ADDRESS_UDF_NAME)}(${quoteLiteral(connection)}) FROM DUAL`,
      );
      const value = found.rows[0]?.[0];
      return { address: typeof value === 'string' ? value : undefined };
    } catch (error) {
      return { error: messageOf(error) };
    }
  }

  private accessFix(connection: string): string {
    const user = this.user === '' ? '<user>' : quoteIdentifier(this.user);
    const target = (udf: string) => `${this.schemaSql}.${quoteIdentifier(udf)}`;
    return (
      `GRANT ACCESS ON CONNECTION ${quoteIdentifier(connection)} FOR SCRIPT ${target(AWS_CALL_UDF_NAME)} TO ${user}; ` +
      `GRANT ACCESS ON CONNECTION ${quoteIdentifier(connection)} FOR SCRIPT ${target(CONNECTION_ADDRESS_UDF_NAME)} TO ${user}` +
      " (as the CONNECTION's owner or a user with ACCESS ANY CONNECTION)"
    );
  }

  async connectionAccess(): Promise<DoctorCheck> {
    const name = 'connection-access';
    const connection = this.deps.connection;
    if (connection === undefined) return check(name, 'unknown', 'no --connection given', 'Pass --connection NAME.');
    if (!this.deployedOk)
      return check(
        name,
        'unknown',
        "sme's UDFs are needed to read the CONNECTION",
        'Deploy sme first (see sme-deployed).',
      );
    if (this.user === '') {
      const session = await this.deps.sql.query('SELECT CURRENT_USER FROM DUAL');
      this.user = String(session.rows[0]?.[0] ?? '');
    }
    const read = await this.connectionAddressUdf(connection);
    if ('error' in read) {
      if (read.error.includes('SME-E-CONNECTION-ACCESS')) {
        this.accessDenied = true;
        return check(
          name,
          'fail',
          `user ${this.user} may not read CONNECTION ${connection} in a UDF (no ACCESS privilege)`,
          this.accessFix(connection),
        );
      }
      return check(name, 'fail', `reading CONNECTION ${connection} in a UDF failed: ${read.error}`, null);
    }
    if (read.address === undefined)
      return check(name, 'fail', `CONNECTION ${connection} is not visible to the UDF`, this.accessFix(connection));
    return check(name, 'pass', `user ${this.user} may read CONNECTION ${connection} in sme's UDFs (ACCESS granted)`);
  }

  /** One call of the deployed AWS-call UDF (the path training from SQL takes). */
  private async awsCall(operation: string, payload: object): Promise<UdfCall> {
    const connection = this.deps.connection ?? '';
    const sql =
      `SELECT ${this.schemaSql}.${quoteIdentifier(AWS_CALL_UDF_NAME)}(` +
      [connection, this.region ?? '', operation, JSON.stringify(payload)].map(quoteLiteral).join(', ') +
      ') FROM DUAL';
    try {
      const found = await this.deps.sql.query(sql);
      const text = String(found.rows[0]?.[0] ?? '');
      const parsed = JSON.parse(text) as Envelope;
      return { envelope: parsed };
    } catch (error) {
      return { sqlError: messageOf(error) };
    }
  }

  /** Why an in-database AWS check cannot run yet, or undefined when it can. */
  private awsPrerequisite(name: string, needsBucket: boolean): DoctorCheck | undefined {
    if (this.deps.connection === undefined)
      return check(name, 'unknown', 'no --connection given', 'Pass --connection NAME.');
    if (this.region === undefined)
      return check(name, 'unknown', 'no region: neither --region nor the CONNECTION names one', 'Pass --region.');
    if (needsBucket && this.bucket === undefined)
      return check(
        name,
        'unknown',
        'no bucket: neither --bucket nor a readable CONNECTION names one',
        'Pass --bucket.',
      );
    if (!this.deployedOk)
      return check(name, 'unknown', "needs sme's AWS-call UDF", 'Deploy sme first (see sme-deployed).');
    if (this.accessDenied)
      return check(
        name,
        'unknown',
        'the UDF may not read the CONNECTION',
        'Grant ACCESS first (see connection-access).',
      );
    return undefined;
  }

  /**
   * The endpoint override `sme deploy` baked into the AWS-call UDF (`awsEndpointUrl` / `s3EndpointUrl` of its
   * config line), or undefined for AWS's own endpoints (or when the text cannot be read).
   */
  private async deployedOverride(key: 'awsEndpointUrl' | 's3EndpointUrl'): Promise<string | undefined> {
    const config = 'local SME_CONFIG = {';
    try {
      const found = await this.deps.sql.query(
        `SELECT SUBSTR(SCRIPT_TEXT, INSTR(SCRIPT_TEXT, ${quoteLiteral(config)}), 1000) FROM EXA_ALL_SCRIPTS ` +
          `WHERE SCRIPT_SCHEMA = ${quoteLiteral(this.deps.schema)} AND SCRIPT_NAME = ${quoteLiteral(AWS_CALL_UDF_NAME)}`,
      );
      const text = String(found.rows[0]?.[0] ?? '');
      if (!text.startsWith(config)) return undefined;
      const line = text.split('\n')[0] ?? '';
      const at = line.indexOf(`${key} = "`);
      if (at < 0) return undefined;
      const rest = line.slice(at + key.length + 4);
      const end = rest.search(/["\\]/);
      return end < 0 ? undefined : rest.slice(0, end);
    } catch {
      return undefined;
    }
  }

  private httpsCheck(name: string, what: string, url: string, call: UdfCall): DoctorCheck {
    if ('sqlError' in call)
      return check(name, 'fail', `the AWS-call UDF failed: ${call.sqlError}`, 'Redeploy sme (sme deploy) and retry.');
    const envelope = call.envelope;
    if (envelope.ok)
      return check(
        name,
        'pass',
        url.startsWith('https://')
          ? `HTTPS from a Lua UDF to ${what} at ${url} works; the signed request was answered (HTTP ${String(envelope.httpStatus ?? 200)})`
          : `a Lua UDF reaches ${what} at ${url} (plain HTTP endpoint override: no TLS to verify); the signed request was answered (HTTP ${String(envelope.httpStatus ?? 200)})`,
      );
    const code = envelope.code ?? 'SME-E-AWS-UDF-INTERNAL';
    // The UDF's messages start with their code already.
    const message = (envelope.message ?? '').startsWith(`${code}: `)
      ? (envelope.message ?? '').slice(code.length + 2)
      : (envelope.message ?? '');
    if (code === 'SME-E-CONNECTION-ACCESS') {
      this.accessDenied = true;
      return check(name, 'fail', message, this.accessFix(this.deps.connection ?? ''));
    }
    if (code === 'SME-E-AWS-ACCESS-DENIED')
      return check(
        name,
        'warn',
        `HTTPS to ${what} and the signature work, but AWS denies the CONNECTION's key this call: ${message}`,
        envelope.remedy ?? "Allow the CONNECTION's IAM user the sagemaker and s3 actions docs/sql-reference.md lists.",
      );
    if (code === 'SME-E-AWS-CREDENTIALS')
      return check(
        name,
        'fail',
        `HTTPS to ${what} works, but AWS refuses the CONNECTION's credentials: ${message}`,
        "Recreate the CONNECTION with a valid access key id (USER) and secret (IDENTIFIED BY); if AWS says the signature expired or is not yet current, fix the database's clock (see clock).",
      );
    return check(
      name,
      'fail',
      `${what} at ${url} from a Lua UDF: ${code}: ${message}`,
      envelope.remedy ??
        `Allow outbound HTTPS from the database nodes to ${what} (port 443), or deploy with --aws-endpoint-url / --s3-endpoint-url for a proxy or VPC endpoint.`,
    );
  }

  async httpsSageMaker(): Promise<DoctorCheck> {
    const name = 'https-sagemaker';
    const missing = this.awsPrerequisite(name, false);
    if (missing !== undefined) return missing;
    const region = this.region ?? '';
    const url =
      (await this.deployedOverride('awsEndpointUrl')) ??
      `https://api.sagemaker.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
    return this.httpsCheck(name, `SageMaker (${region})`, url, await this.awsCall('ListAutoMLJobs', { MaxResults: 1 }));
  }

  async httpsS3(): Promise<DoctorCheck> {
    const name = 'https-s3';
    const missing = this.awsPrerequisite(name, true);
    if (missing !== undefined) return missing;
    const region = this.region ?? '';
    const url =
      (await this.deployedOverride('s3EndpointUrl')) ??
      `https://${this.bucket ?? ''}.s3.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
    return this.httpsCheck(
      name,
      `S3 (bucket ${this.bucket ?? ''}, ${region})`,
      url,
      await this.awsCall('ListObjectsV2', { Bucket: this.bucket, Prefix: EXPORT_PROBE_PREFIX }),
    );
  }

  async exportProbe(): Promise<DoctorCheck> {
    const name = 'export';
    const connection = this.deps.connection;
    if (connection === undefined) return check(name, 'unknown', 'no --connection given', 'Pass --connection NAME.');
    if (this.bucket === undefined)
      return check(
        name,
        'unknown',
        'no bucket: neither --bucket nor a readable CONNECTION names one',
        'Pass --bucket.',
      );
    const session = await this.deps.sql.query('SELECT CURRENT_SESSION FROM DUAL');
    const key = `${EXPORT_PROBE_PREFIX}${String(session.rows[0]?.[0] ?? 'session')}.csv`;
    const uri = `s3://${this.bucket}/${key}`;
    try {
      this.exportedKey = key;
      await this.deps.sql.execute(
        `EXPORT (SELECT 'sme doctor' AS "SME_DOCTOR_PROBE" FROM DUAL) INTO CSV AT ${quoteIdentifier(connection)} ` +
          `FILE ${quoteLiteral(key)} ENCODING = 'UTF-8' WITH COLUMN NAMES`,
      );
    } catch (error) {
      this.exportedKey = undefined;
      const text = messageOf(error);
      return check(
        name,
        'fail',
        `EXPORT of a one-row probe to ${uri} failed: ${text}`,
        /privilege/i.test(text)
          ? `GRANT EXPORT TO ${this.user === '' ? '<user>' : quoteIdentifier(this.user)}; GRANT CONNECTION ${quoteIdentifier(connection)} TO ${this.user === '' ? '<user>' : quoteIdentifier(this.user)}`
          : (remedyOf(error) ??
              "Check the CONNECTION's address (https://<bucket>.s3.<region>.amazonaws.com), its key (s3:PutObject on the bucket) and that the database nodes reach S3."),
      );
    }
    const removed = await this.removeExportProbe();
    if (!removed.ok)
      return check(
        name,
        'warn',
        `EXPORT to ${uri} works, but the probe could not be deleted: ${removed.reason}`,
        `Delete ${uri} (aws s3 rm ${uri}).`,
      );
    return check(name, 'pass', `EXPORT wrote a one-row probe to ${uri}; deleted again (${removed.how})`);
  }

  /** Deletes the export probe: server-side through the AWS-call UDF, else with the CLI's credentials. */
  private async removeExportProbe(): Promise<{ ok: true; how: string } | { ok: false; reason: string }> {
    const key = this.exportedKey;
    if (key === undefined || this.bucket === undefined) return { ok: true, how: 'nothing to delete' };
    const reasons: string[] = [];
    if (this.deployedOk && this.region !== undefined && !this.accessDenied) {
      const call = await this.awsCall('DeleteObject', { Bucket: this.bucket, Key: key });
      if ('envelope' in call && call.envelope.ok) {
        this.exportedKey = undefined;
        return { ok: true, how: 'by the in-database DeleteObject' };
      }
      reasons.push('sqlError' in call ? call.sqlError : `${call.envelope.code ?? ''}: ${call.envelope.message ?? ''}`);
    }
    if (this.deps.cliAws !== undefined) {
      try {
        await this.deps.cliAws.deletePrefix(`s3://${this.bucket}/${key}`);
        this.exportedKey = undefined;
        return { ok: true, how: "with the CLI's AWS credentials" };
      } catch (error) {
        reasons.push(messageOf(error));
      }
    }
    return { ok: false, reason: reasons.length === 0 ? 'no way to delete it here' : reasons.join('; ') };
  }

  async cliCredentials(): Promise<DoctorCheck> {
    const name = 'aws-credentials';
    const aws = this.deps.cliAws;
    if (aws === undefined)
      return check(
        name,
        'unknown',
        `the CLI's AWS settings could not be loaded${this.deps.cliAwsProblem === undefined ? '' : `: ${this.deps.cliAwsProblem}`}`,
        'Pass --region (or set AWS_REGION) and give AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID, …).',
      );
    try {
      await aws.describeMissingJob();
    } catch (error) {
      const kind = isSmeError(error) ? error.kind : undefined;
      // NotFound means AWS verified the signature and looked for the job: the credentials sign correctly.
      if (kind !== 'NotFound')
        return check(
          name,
          kind === 'AccessDenied' ? 'warn' : 'fail',
          `SageMaker refused the CLI's signed DescribeAutoMLJobV2: ${messageOf(error)}`,
          remedyOf(error) ?? 'Check AWS_PROFILE / AWS_ACCESS_KEY_ID and the machine clock.',
        );
    }
    if (this.bucket !== undefined) {
      try {
        await aws.listPrefix(`s3://${this.bucket}/${EXPORT_PROBE_PREFIX}`);
      } catch (error) {
        return check(
          name,
          'fail',
          `S3 refused the CLI's signed ListObjectsV2 on ${this.bucket}: ${messageOf(error)}`,
          remedyOf(error) ?? 'Check the bucket name and the CLI’s AWS credentials (s3:ListBucket).',
        );
      }
    }
    return check(
      name,
      'pass',
      `the CLI's AWS credentials sign correctly (SageMaker${this.bucket === undefined ? '' : ' and S3'} answered read-only calls)`,
    );
  }

  async clock(): Promise<DoctorCheck> {
    const name = 'clock';
    let db = this.dbClock;
    let assumed = false;
    if (db === undefined) {
      try {
        const found = await this.deps.sql.query('SELECT CURRENT_TIMESTAMP FROM DUAL');
        const text = String(found.rows[0]?.[0] ?? '');
        const millis = Date.parse(text.replace(' ', 'T') + 'Z');
        if (Number.isFinite(millis)) {
          db = { seconds: millis / 1000, at: this.deps.elapsedMillis(), source: 'CURRENT_TIMESTAMP read as UTC' };
          assumed = true;
        }
      } catch {
        db = undefined;
      }
    }
    if (db === undefined) return check(name, 'unknown', "could not read the database's clock", null);
    let aws: { millis: number; origin: string };
    try {
      aws = await this.deps.awsDate();
    } catch (error) {
      return check(name, 'unknown', `could not read AWS's clock (HTTP Date header): ${messageOf(error)}`, null);
    }
    const dbNow = db.seconds + (this.deps.elapsedMillis() - db.at) / 1000;
    const skew = Math.round(dbNow - aws.millis / 1000);
    const seen = `the database clock (${db.source}) is ${formatSkew(skew)} AWS's (Date header of ${aws.origin})`;
    const fixClock = "Synchronise the database nodes' clocks (NTP in EXAoperation / the Admin UI).";
    if (Math.abs(skew) <= CLOCK_PASS_SECONDS) return check(name, 'pass', seen);
    if (Math.abs(skew) <= CLOCK_FAIL_SECONDS || assumed)
      return check(name, 'warn', `${seen}; AWS refuses signatures beyond 5 minutes`, fixClock);
    return check(name, 'fail', `${seen}; AWS refuses SigV4 signatures beyond 5 minutes`, fixClock);
  }

  async role(): Promise<DoctorCheck> {
    const name = 'role';
    const role = this.deps.role;
    if (role === undefined)
      return check(name, 'unknown', 'no --role given', 'Pass --role: the IAM role ARN SageMaker runs the job as.');
    if (isRoleArn(role)) return check(name, 'pass', `${role} is an IAM role ARN`);
    if (role.startsWith('arn:'))
      return check(name, 'fail', `${role} is not an IAM role ARN`, 'Give arn:aws:iam::<account>:role/<name>.');
    if (this.deps.cliAws === undefined)
      return check(name, 'unknown', `${role} is a role name; the CLI's AWS settings are missing to resolve it`, null);
    try {
      const arn = await this.deps.cliAws.roleArn(role);
      return check(name, 'pass', `role name ${role} resolves to ${arn}`);
    } catch (error) {
      return check(
        name,
        'fail',
        `role name ${role} does not resolve: ${messageOf(error)}`,
        remedyOf(error) ?? 'Give the role as its ARN: arn:aws:iam::<account>:role/<name>.',
      );
    }
  }

  /** Removes every probe this run made (each on its own: one failure does not keep the others). */
  async cleanUp(): Promise<void> {
    if (this.exportedKey !== undefined) await this.removeExportProbe().catch(() => undefined);
    const names = this.probes;
    if (names === undefined) return;
    for (const script of this.createdProbes.splice(0)) {
      await this.deps.sql
        .execute(`DROP SCRIPT IF EXISTS ${this.schemaSql}.${quoteIdentifier(script)}`)
        .catch(() => undefined);
    }
    if (this.createdSchema) {
      // Without CASCADE: only the schema this run created, and only while it is still empty.
      await this.deps.sql.execute(`DROP SCHEMA IF EXISTS ${this.schemaSql}`).catch(() => undefined);
      this.createdSchema = false;
    }
  }
}

/** `+600` → `10 min 0 s ahead of`; `-5` → `5 s behind`. */
export function formatSkew(seconds: number): string {
  const abs = Math.abs(seconds);
  const text = abs >= 60 ? `${String(Math.floor(abs / 60))} min ${String(abs % 60)} s` : `${String(abs)} s`;
  return seconds === 0 ? 'in step with' : `${text} ${seconds > 0 ? 'ahead of' : 'behind'}`;
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

/** The schema as a shell word for the fix line (`SME`, or `'"Ml"'` for a quoted name). */
function shellSchema(schema: string): string {
  return /^[A-Z][A-Z0-9_]*$/.test(schema) ? schema : `'${quoteIdentifier(schema)}'`;
}
