import { isRoleArn, isSmeError, quoteLiteral } from '@sme/core';
import { AWS_CALL_UDF_NAME } from '@sme/udf';
import {
  CLOCK_FAIL_SECONDS,
  CLOCK_PASS_SECONDS,
  EXPORT_PROBE_PREFIX,
  accessFix,
  awsCall,
  check,
  messageOf,
  remedyOf,
  type DoctorCheck,
  type DoctorContext,
  type UdfCall,
} from './doctor-context.js';

// AWS as both paths reach it: HTTPS from a Lua UDF (the in-database path), the CLI's own credentials, the
// database's clock against AWS's, and the role SageMaker runs as.

/** Why an in-database AWS check cannot run yet, or undefined when it can. */
function awsPrerequisite(ctx: DoctorContext, name: string, needsBucket: boolean): DoctorCheck | undefined {
  if (ctx.deps.connection === undefined)
    return check(name, 'unknown', 'no --connection given', 'Pass --connection NAME.');
  if (ctx.region === undefined)
    return check(name, 'unknown', 'no region: neither --region nor the CONNECTION names one', 'Pass --region.');
  if (needsBucket && ctx.bucket === undefined)
    return check(name, 'unknown', 'no bucket: neither --bucket nor a readable CONNECTION names one', 'Pass --bucket.');
  if (!ctx.deployedOk)
    return check(name, 'unknown', "needs sme's AWS-call UDF", 'Deploy sme first (see sme-deployed).');
  if (ctx.accessDenied)
    return check(name, 'unknown', 'the UDF may not read the CONNECTION', 'Grant ACCESS first (see connection-access).');
  return undefined;
}

/**
 * The endpoint override `sme deploy` baked into the AWS-call UDF (`awsEndpointUrl` / `s3EndpointUrl` of its
 * config line), or undefined for AWS's own endpoints (or when the text cannot be read).
 */
async function deployedOverride(
  ctx: DoctorContext,
  key: 'awsEndpointUrl' | 's3EndpointUrl',
): Promise<string | undefined> {
  const config = 'local SME_CONFIG = {';
  try {
    const found = await ctx.deps.sql.query(
      `SELECT SUBSTR(SCRIPT_TEXT, INSTR(SCRIPT_TEXT, ${quoteLiteral(config)}), 1000) FROM EXA_ALL_SCRIPTS ` +
        `WHERE SCRIPT_SCHEMA = ${quoteLiteral(ctx.deps.schema)} AND SCRIPT_NAME = ${quoteLiteral(AWS_CALL_UDF_NAME)}`,
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

function httpsCheck(ctx: DoctorContext, name: string, what: string, url: string, call: UdfCall): DoctorCheck {
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
    ctx.accessDenied = true;
    return check(name, 'fail', message, accessFix(ctx, ctx.deps.connection ?? ''));
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

export async function httpsSageMaker(ctx: DoctorContext): Promise<DoctorCheck> {
  const name = 'https-sagemaker';
  const missing = awsPrerequisite(ctx, name, false);
  if (missing !== undefined) return missing;
  const region = ctx.region ?? '';
  const url =
    (await deployedOverride(ctx, 'awsEndpointUrl')) ??
    `https://api.sagemaker.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
  return httpsCheck(ctx, name, `SageMaker (${region})`, url, await awsCall(ctx, 'ListAutoMLJobs', { MaxResults: 1 }));
}

export async function httpsS3(ctx: DoctorContext): Promise<DoctorCheck> {
  const name = 'https-s3';
  const missing = awsPrerequisite(ctx, name, true);
  if (missing !== undefined) return missing;
  const region = ctx.region ?? '';
  const url =
    (await deployedOverride(ctx, 's3EndpointUrl')) ??
    `https://${ctx.bucket ?? ''}.s3.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
  return httpsCheck(
    ctx,
    name,
    `S3 (bucket ${ctx.bucket ?? ''}, ${region})`,
    url,
    await awsCall(ctx, 'ListObjectsV2', { Bucket: ctx.bucket, Prefix: EXPORT_PROBE_PREFIX }),
  );
}

export async function cliCredentials(ctx: DoctorContext): Promise<DoctorCheck> {
  const name = 'aws-credentials';
  const aws = ctx.deps.cliAws;
  if (aws === undefined)
    return check(
      name,
      'unknown',
      `the CLI's AWS settings could not be loaded${ctx.deps.cliAwsProblem === undefined ? '' : `: ${ctx.deps.cliAwsProblem}`}`,
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
  if (ctx.bucket !== undefined) {
    try {
      await aws.listPrefix(`s3://${ctx.bucket}/${EXPORT_PROBE_PREFIX}`);
    } catch (error) {
      return check(
        name,
        'fail',
        `S3 refused the CLI's signed ListObjectsV2 on ${ctx.bucket}: ${messageOf(error)}`,
        remedyOf(error) ?? 'Check the bucket name and the CLI’s AWS credentials (s3:ListBucket).',
      );
    }
  }
  return check(
    name,
    'pass',
    `the CLI's AWS credentials sign correctly (SageMaker${ctx.bucket === undefined ? '' : ' and S3'} answered read-only calls)`,
  );
}

export async function clock(ctx: DoctorContext): Promise<DoctorCheck> {
  const name = 'clock';
  let db = ctx.dbClock;
  let assumed = false;
  if (db === undefined) {
    try {
      const found = await ctx.deps.sql.query('SELECT CURRENT_TIMESTAMP FROM DUAL');
      const text = String(found.rows[0]?.[0] ?? '');
      const millis = Date.parse(text.replace(' ', 'T') + 'Z');
      if (Number.isFinite(millis)) {
        db = { seconds: millis / 1000, at: ctx.deps.elapsedMillis(), source: 'CURRENT_TIMESTAMP read as UTC' };
        assumed = true;
      }
    } catch {
      db = undefined;
    }
  }
  if (db === undefined) return check(name, 'unknown', "could not read the database's clock", null);
  let aws: { millis: number; origin: string };
  try {
    aws = await ctx.deps.awsDate();
  } catch (error) {
    return check(name, 'unknown', `could not read AWS's clock (HTTP Date header): ${messageOf(error)}`, null);
  }
  const dbNow = db.seconds + (ctx.deps.elapsedMillis() - db.at) / 1000;
  const skew = Math.round(dbNow - aws.millis / 1000);
  const seen = `the database clock (${db.source}) is ${formatSkew(skew)} AWS's (Date header of ${aws.origin})`;
  const fixClock = "Synchronise the database nodes' clocks (NTP in EXAoperation / the Admin UI).";
  if (Math.abs(skew) <= CLOCK_PASS_SECONDS) return check(name, 'pass', seen);
  if (Math.abs(skew) <= CLOCK_FAIL_SECONDS || assumed)
    return check(name, 'warn', `${seen}; AWS refuses signatures beyond 5 minutes`, fixClock);
  return check(name, 'fail', `${seen}; AWS refuses SigV4 signatures beyond 5 minutes`, fixClock);
}

export async function role(ctx: DoctorContext): Promise<DoctorCheck> {
  const name = 'role';
  const role = ctx.deps.role;
  if (role === undefined)
    return check(name, 'unknown', 'no --role given', 'Pass --role: the IAM role ARN SageMaker runs the job as.');
  if (isRoleArn(role)) return check(name, 'pass', `${role} is an IAM role ARN`);
  if (role.startsWith('arn:'))
    return check(name, 'fail', `${role} is not an IAM role ARN`, 'Give arn:aws:iam::<account>:role/<name>.');
  if (ctx.deps.cliAws === undefined)
    return check(name, 'unknown', `${role} is a role name; the CLI's AWS settings are missing to resolve it`, null);
  try {
    const arn = await ctx.deps.cliAws.roleArn(role);
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

/** `+600` → `10 min 0 s ahead of`; `-5` → `5 s behind`. */
export function formatSkew(seconds: number): string {
  const abs = Math.abs(seconds);
  const text = abs >= 60 ? `${String(Math.floor(abs / 60))} min ${String(abs % 60)} s` : `${String(abs)} s`;
  return seconds === 0 ? 'in step with' : `${text} ${seconds > 0 ? 'ahead of' : 'behind'}`;
}
