import { bucketOfConnectionAddress, maskUserinfo, quoteIdentifier, quoteLiteral } from '@sme/core';
import { CONNECTION_ADDRESS_UDF_NAME } from '@sme/udf';
import {
  EXPORT_PROBE_PREFIX,
  accessFix,
  awsCall,
  check,
  connectionAddressUdf,
  messageOf,
  remedyOf,
  type DoctorCheck,
  type DoctorContext,
} from './doctor-context.js';

// The CONNECTION sme exports through: its address and bucket, ACCESS for sme's UDFs, and a real EXPORT.

export async function connectionAddress(ctx: DoctorContext): Promise<DoctorCheck> {
  const name = 'connection';
  const connection = ctx.deps.connection;
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
    const found = await ctx.deps.sql.query(
      'SELECT CONNECTION_STRING FROM EXA_DBA_CONNECTIONS WHERE CONNECTION_NAME = ' + quoteLiteral(connection),
    );
    if (found.rows.length === 0) return noSuchConnection(ctx, name, connection);
    address = maskUserinfo(String(found.rows[0]?.[0] ?? ''));
  } catch {
    // Without SELECT ANY DICTIONARY: the deployed UDF reads the address (needs ACCESS on the CONNECTION).
    if (!ctx.deployedOk)
      return check(
        name,
        'unknown',
        `cannot read CONNECTION ${connection}: EXA_DBA_CONNECTIONS is not readable and sme is not deployed`,
        'Deploy sme first (see sme-deployed), or run sme doctor as a user with SELECT ANY DICTIONARY.',
      );
    const read = await connectionAddressUdf(ctx, connection);
    if ('error' in read)
      return read.error.includes('SME-E-CONNECTION-ACCESS')
        ? check(
            name,
            'unknown',
            `cannot read CONNECTION ${connection}: EXA_DBA_CONNECTIONS is not readable and sme's UDF has no ACCESS on it`,
            'Grant ACCESS (see connection-access), or run sme doctor as a user with SELECT ANY DICTIONARY.',
          )
        : check(name, 'unknown', `cannot read CONNECTION ${connection}: ${read.error}`, null);
    if (read.address === undefined) return noSuchConnection(ctx, name, connection);
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
  ctx.region ??= found.region;
  const wanted = ctx.bucket;
  // EXPORT writes where the CONNECTION points: the later checks look at that bucket (the mismatch is this check's).
  ctx.bucket = found.bucket;
  if (wanted !== undefined && found.bucket !== wanted)
    return check(
      name,
      'fail',
      `CONNECTION ${connection} points at bucket ${found.bucket}, not at --bucket ${wanted}`,
      `Pass --bucket s3://${found.bucket}, or point the CONNECTION at the bucket: CREATE OR REPLACE CONNECTION ` +
        `${quoteIdentifier(connection)} TO 'https://${wanted}.s3.${ctx.region ?? '<region>'}.amazonaws.com' ` +
        "USER '<access key id>' IDENTIFIED BY '<secret access key>'",
    );
  if (found.region !== undefined && ctx.deps.region !== undefined && found.region !== ctx.deps.region)
    return check(
      name,
      'warn',
      `CONNECTION ${connection} points at bucket ${found.bucket} in ${found.region}, but --region is ${ctx.deps.region}`,
      'Give the region of the bucket (--region), or a bucket in the region you train in.',
    );
  return check(name, 'pass', `CONNECTION ${connection} exists and points at bucket ${found.bucket} (${address})`);
}

function noSuchConnection(ctx: DoctorContext, name: string, connection: string): DoctorCheck {
  return check(
    name,
    'fail',
    `CONNECTION ${connection} does not exist`,
    `CREATE CONNECTION ${quoteIdentifier(connection)} TO 'https://${ctx.bucket ?? '<bucket>'}.s3.${ctx.region ?? '<region>'}.amazonaws.com' USER '<access key id>' IDENTIFIED BY '<secret access key>'`,
  );
}

export async function connectionAccess(ctx: DoctorContext): Promise<DoctorCheck> {
  const name = 'connection-access';
  const connection = ctx.deps.connection;
  if (connection === undefined) return check(name, 'unknown', 'no --connection given', 'Pass --connection NAME.');
  if (!ctx.deployedOk)
    return check(
      name,
      'unknown',
      "sme's UDFs are needed to read the CONNECTION",
      'Deploy sme first (see sme-deployed).',
    );
  if (ctx.user === '') {
    const session = await ctx.deps.sql.query('SELECT CURRENT_USER FROM DUAL');
    ctx.user = String(session.rows[0]?.[0] ?? '');
  }
  const read = await connectionAddressUdf(ctx, connection);
  if ('error' in read) {
    if (read.error.includes('SME-E-CONNECTION-ACCESS')) {
      ctx.accessDenied = true;
      return check(
        name,
        'fail',
        `user ${ctx.user} may not read CONNECTION ${connection} in a UDF (no ACCESS privilege)`,
        accessFix(ctx, connection),
      );
    }
    return check(name, 'fail', `reading CONNECTION ${connection} in a UDF failed: ${read.error}`, null);
  }
  if (read.address === undefined)
    return check(name, 'fail', `CONNECTION ${connection} is not visible to the UDF`, accessFix(ctx, connection));
  return check(name, 'pass', `user ${ctx.user} may read CONNECTION ${connection} in sme's UDFs (ACCESS granted)`);
}

export async function exportProbe(ctx: DoctorContext): Promise<DoctorCheck> {
  const name = 'export';
  const connection = ctx.deps.connection;
  if (connection === undefined) return check(name, 'unknown', 'no --connection given', 'Pass --connection NAME.');
  if (ctx.bucket === undefined)
    return check(name, 'unknown', 'no bucket: neither --bucket nor a readable CONNECTION names one', 'Pass --bucket.');
  const session = await ctx.deps.sql.query('SELECT CURRENT_SESSION FROM DUAL');
  const key = `${EXPORT_PROBE_PREFIX}${String(session.rows[0]?.[0] ?? 'session')}.csv`;
  const uri = `s3://${ctx.bucket}/${key}`;
  try {
    ctx.exportedKey = key;
    await ctx.deps.sql.execute(
      `EXPORT (SELECT 'sme doctor' AS "SME_DOCTOR_PROBE" FROM DUAL) INTO CSV AT ${quoteIdentifier(connection)} ` +
        `FILE ${quoteLiteral(key)} ENCODING = 'UTF-8' WITH COLUMN NAMES`,
    );
  } catch (error) {
    ctx.exportedKey = undefined;
    const text = messageOf(error);
    return check(
      name,
      'fail',
      `EXPORT of a one-row probe to ${uri} failed: ${text}`,
      /privilege/i.test(text)
        ? `GRANT EXPORT TO ${ctx.user === '' ? '<user>' : quoteIdentifier(ctx.user)}; GRANT CONNECTION ${quoteIdentifier(connection)} TO ${ctx.user === '' ? '<user>' : quoteIdentifier(ctx.user)}`
        : (remedyOf(error) ??
            "Check the CONNECTION's address (https://<bucket>.s3.<region>.amazonaws.com), its key (s3:PutObject on the bucket) and that the database nodes reach S3."),
    );
  }
  const removed = await removeExportProbe(ctx);
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
export async function removeExportProbe(
  ctx: DoctorContext,
): Promise<{ ok: true; how: string } | { ok: false; reason: string }> {
  const key = ctx.exportedKey;
  if (key === undefined || ctx.bucket === undefined) return { ok: true, how: 'nothing to delete' };
  const reasons: string[] = [];
  if (ctx.deployedOk && ctx.region !== undefined && !ctx.accessDenied) {
    const call = await awsCall(ctx, 'DeleteObject', { Bucket: ctx.bucket, Key: key });
    if ('envelope' in call && call.envelope.ok) {
      ctx.exportedKey = undefined;
      return { ok: true, how: 'by the in-database DeleteObject' };
    }
    reasons.push('sqlError' in call ? call.sqlError : `${call.envelope.code ?? ''}: ${call.envelope.message ?? ''}`);
  }
  if (ctx.deps.cliAws !== undefined) {
    try {
      await ctx.deps.cliAws.deletePrefix(`s3://${ctx.bucket}/${key}`);
      ctx.exportedKey = undefined;
      return { ok: true, how: "with the CLI's AWS credentials" };
    } catch (error) {
      reasons.push(messageOf(error));
    }
  }
  return { ok: false, reason: reasons.length === 0 ? 'no way to delete it here' : reasons.join('; ') };
}
