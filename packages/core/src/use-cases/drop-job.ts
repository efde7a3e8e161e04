import { coreError } from '../error-codes.js';
import { isSmeError, type SmeError } from '../errors.js';
import { exasolTimestamp } from '../job-name.js';
import type { AutoMLPortFactory, AutoMLJobStatus } from '../ports/automl-port.js';
import type { ObjectStorePortFactory } from '../ports/endpoint-factories.js';
import type { SqlPort } from '../ports/sql-port.js';
import { selectJobsSql, updateJobSql, type SqlLiteralValue } from '../sql/statements.js';
import { describeValue, formatInteger } from '../text.js';
import { deleteEndpoint } from './delete-endpoint.js';
import type { EndpointContext, EndpointDeps } from './endpoint-shared.js';
import { activeEndpointsOfJob } from './list-endpoints.js';
import { rowRecords, textOf } from './metadata-rows.js';

export interface DropJobDeps extends EndpointDeps {
  readonly sql: SqlPort;
  readonly automl: AutoMLPortFactory;
  readonly objects: ObjectStorePortFactory;
}

/** Which job; connection and region default to its metadata row. */
export interface DropJobRef {
  readonly jobName: string;
  readonly connectionName?: string;
  readonly region?: string;
}

/** What dropping a job does (or, in a dry run, would do). */
export interface DropJobPlan {
  readonly jobName: string;
  /** Live status at AWS; undefined when AWS no longer knows the job. */
  readonly status?: AutoMLJobStatus;
  /** Whether the job is running and will be stopped. */
  readonly stopJob: boolean;
  /** The job's own S3 prefixes and the objects under each. */
  readonly prefixes: readonly { readonly uri: string; readonly objects: readonly string[] }[];
  /** Recorded endpoints of the job that are not deleted yet. */
  readonly endpoints: readonly string[];
}

export interface DropJobResult {
  readonly plan: DropJobPlan;
  /** False for a dry run. */
  readonly dropped: boolean;
  readonly deletedObjects: number;
}

/**
 * Redshift's DROP MODEL for Autopilot jobs: stops the job if it runs, deletes its endpoints, deletes its S3
 * input and output prefixes and marks its metadata row (DROPPED_AT). `dryRun` only returns the plan. Every
 * step is attempted; failures are reported together (`SME-E-DROP-INCOMPLETE`) and the row is then not marked,
 * so dropping again finishes the work.
 *
 * @example
 * const { plan } = await dropJob({ jobName: 'churn-231114221320' }, { dryRun: true }, deps, { metadataSchema: 'SME' });
 */
export async function dropJob(
  ref: DropJobRef,
  options: { readonly dryRun?: boolean },
  deps: DropJobDeps,
  context: EndpointContext,
): Promise<DropJobResult> {
  const row = rowRecords(await deps.sql.query(selectJobsSql(context.metadataSchema, ref.jobName)))[0];
  if (row === undefined) {
    throw coreError(
      'SME-E-JOB-NOT-FOUND',
      'job ' + describeValue(ref.jobName) + ' is not in the metadata table; its S3 prefix is unknown',
      { key: 'job_name', value: describeValue(ref.jobName) },
    );
  }
  const connectionName = ref.connectionName ?? textOf(row, 'AWS_CREDENTIALS_CONNECTION_NAME');
  const region = ref.region ?? textOf(row, 'AWS_REGION');
  if (connectionName === undefined || region === undefined) {
    throw coreError(
      'SME-E-JOB-NOT-FOUND',
      'job ' + describeValue(ref.jobName) + ' has no connection or region recorded',
      {
        key: 'job_name',
        value: describeValue(ref.jobName),
      },
    );
  }
  const target = { connectionName, region };
  let status: AutoMLJobStatus | undefined;
  try {
    status = (await deps.automl(target).describeJob(ref.jobName)).AutoMLJobStatus;
  } catch (e: unknown) {
    if (!(isSmeError(e) && e.kind === 'NotFound')) throw e;
  }
  const store = deps.objects(target);
  const uris: string[] = [];
  for (const column of ['S3_INPUT_URI', 'S3_OUTPUT_URI']) {
    const uri = textOf(row, column);
    if (uri !== undefined && uri.startsWith('s3://') && uri.endsWith('/') && !uris.includes(uri)) uris.push(uri);
  }
  const prefixes: { uri: string; objects: readonly string[] }[] = [];
  for (const uri of uris) prefixes.push({ uri, objects: await store.list(uri) });
  const plan: DropJobPlan = {
    jobName: ref.jobName,
    ...(status === undefined ? {} : { status }),
    stopJob: status === 'InProgress',
    prefixes,
    endpoints: await activeEndpointsOfJob(deps.sql, context.metadataSchema, ref.jobName),
  };
  if (options.dryRun === true) return { plan, dropped: false, deletedObjects: 0 };

  const problems: SmeError[] = [];
  const attempt = async (step: () => Promise<unknown>): Promise<void> => {
    try {
      await step();
    } catch (e: unknown) {
      if (!isSmeError(e)) throw e;
      problems.push(e);
    }
  };
  if (plan.stopJob) await attempt(() => deps.automl(target).stopJob(ref.jobName));
  for (const endpointName of plan.endpoints) {
    await attempt(() => deleteEndpoint({ endpointName }, deps, context));
  }
  let deletedObjects = 0;
  for (const prefix of prefixes) {
    await attempt(async () => {
      deletedObjects += await store.deletePrefix(prefix.uri);
    });
  }
  if (problems.length > 0) {
    throw coreError(
      'SME-E-DROP-INCOMPLETE',
      'dropping job ' + ref.jobName + ' left work undone: ' + problems.map((p) => p.code + ': ' + p.message).join('; '),
      { key: 'job_name', value: ref.jobName, problems },
    );
  }
  const values: Record<string, SqlLiteralValue> = {
    DROPPED_AT: { kind: 'timestamp', value: exasolTimestamp(deps.clock.nowMillis()) },
  };
  if (plan.stopJob) values.JOB_STATUS = { kind: 'text', value: 'Stopping' };
  await deps.sql.execute(updateJobSql(context.metadataSchema, ref.jobName, values));
  deps.log.info('dropped job ' + ref.jobName + ' (' + formatInteger(deletedObjects) + ' objects deleted)');
  return { plan, dropped: true, deletedObjects };
}
