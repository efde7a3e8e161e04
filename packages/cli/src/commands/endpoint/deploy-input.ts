import {
  coreError,
  isInstanceTypeShape,
  isRegionShape,
  isSageMakerName,
  parseExasolIdentifier,
  checkServerless,
  parseIdleTtl,
  parseKeyColumns,
  splitKeyList,
  type DeployEndpointInput,
  type SqlRows,
} from '@sme/core';
import type { EndpointDeployArgs } from './endpoint-args.js';

/** The hosting instance type without `--instance-type` (and without `--serverless-memory`). */
const DEFAULT_INSTANCE_TYPE = 'ml.m5.large';

/** What a job's metadata row says about where it ran. */
export interface RecordedJob {
  readonly connectionName?: string;
  readonly region?: string;
}

function shown(value: string): string {
  return JSON.stringify(value);
}

function checkIdentifier(raw: string, flag: string): void {
  const parsed = parseExasolIdentifier(raw);
  if (!parsed.ok) {
    throw coreError('SME-E-PARAM-IDENTIFIER', `${flag} ${shown(raw)} is not an identifier: ${parsed.reason}`, {
      key: flag,
      value: raw.slice(0, 80),
    });
  }
}

/**
 * Checks the flags of `sme endpoint deploy` before any connection opens, with the core's codes (the use case
 * checks them again): bad input fails fast and nothing is created.
 *
 * @throws SmeError `SME-E-ENDPOINT-NAME`, `SME-E-ENDPOINT-INSTANCE-TYPE`, `SME-E-ENDPOINT-INSTANCE-COUNT`,
 *   `SME-E-ENDPOINT-IDLE-TTL`, `SME-E-ENDPOINT-SERVERLESS`, `SME-E-PARAM-IDENTIFIER`, `SME-E-PARAM-REGION`.
 */
export function checkDeployFlags(args: EndpointDeployArgs): void {
  if (!isSageMakerName(args.endpointName)) {
    throw coreError(
      'SME-E-ENDPOINT-NAME',
      `--endpoint-name ${shown(args.endpointName)} is not 1-63 letters, digits and inner hyphens`,
      { key: 'endpoint-name', value: args.endpointName.slice(0, 80) },
    );
  }
  if (args.idleTtl !== undefined) parseIdleTtl(args.idleTtl);
  const serverless = serverlessOf(args);
  if (serverless !== undefined) checkServerless(serverless);
  const instanceType = args.instanceType ?? DEFAULT_INSTANCE_TYPE;
  if (serverless === undefined && !isInstanceTypeShape(instanceType)) {
    throw coreError(
      'SME-E-ENDPOINT-INSTANCE-TYPE',
      `--instance-type ${shown(instanceType)} is not of the form ml.<family>.<size>`,
      { key: 'instance-type', value: instanceType.slice(0, 80) },
    );
  }
  const count = args.instanceCount ?? 1;
  if (serverless === undefined && !(Number.isInteger(count) && count >= 1 && count <= 100)) {
    throw coreError(
      'SME-E-ENDPOINT-INSTANCE-COUNT',
      `--instance-count ${String(count)} is not a whole number from 1 to 100`,
      { key: 'instance-count', value: String(count) },
    );
  }
  checkIdentifier(args.udfSchema, '--udf-schema');
  if (args.key !== undefined) parseKeyColumns(args.key.flatMap((k) => splitKeyList(k)));
  if (args.connection !== undefined) checkIdentifier(args.connection, '--connection');
  if (args.region !== undefined && !isRegionShape(args.region)) {
    throw coreError('SME-E-PARAM-REGION', `--region ${shown(args.region)} is not a region code`, {
      key: 'region',
      value: args.region.slice(0, 80),
    });
  }
}

/** Connection and region of a job's metadata row (the first row of `selectJobsSql`), or undefined. */
export function recordedJob(rows: SqlRows): RecordedJob | undefined {
  const row = rows.rows[0];
  if (row === undefined) return undefined;
  const value = (name: string): string | undefined => {
    const index = rows.columns.findIndex((c) => c.name === name);
    const cell = index < 0 ? undefined : row[index];
    return typeof cell === 'string' && cell !== '' ? cell : undefined;
  };
  const connectionName = value('AWS_CREDENTIALS_CONNECTION_NAME');
  const region = value('AWS_REGION');
  return {
    ...(connectionName === undefined ? {} : { connectionName }),
    ...(region === undefined ? {} : { region }),
  };
}

/**
 * The use case's input from the flags; connection and region default to the job's row, as the in-database
 * deploy script would be called with them.
 *
 * @throws SmeError `SME-E-JOB-NOT-FOUND` when the job is not recorded (its training columns are unknown).
 */
export function deployInput(args: EndpointDeployArgs, job: RecordedJob | undefined): DeployEndpointInput {
  if (job === undefined) {
    throw coreError(
      'SME-E-JOB-NOT-FOUND',
      `job ${shown(args.job)} is not in the metadata table; its training columns are unknown`,
      { key: 'job', value: args.job.slice(0, 80), remedy: 'Check the job name with: sme jobs (and --schema).' },
    );
  }
  const connectionName = args.connection ?? job.connectionName;
  const region = args.region ?? job.region;
  const serverless = serverlessOf(args);
  if (connectionName === undefined || region === undefined) {
    throw coreError('SME-E-JOB-NOT-FOUND', `job ${shown(args.job)} has no connection or region recorded`, {
      key: 'job',
      value: args.job.slice(0, 80),
      remedy: 'Pass --connection and --region.',
    });
  }
  return {
    jobName: args.job,
    endpointName: args.endpointName,
    schemaName: args.udfSchema,
    instanceType: args.instanceType ?? DEFAULT_INSTANCE_TYPE,
    instanceCount: args.instanceCount ?? 1,
    connectionName,
    region,
    ...(args.key === undefined ? {} : { keyColumns: args.key.flatMap((k) => splitKeyList(k)) }),
    ...(args.idleTtl === undefined ? {} : { idleTtl: args.idleTtl }),
    ...(serverless === undefined ? {} : { serverless }),
  };
}

/** `--serverless-memory` [+ `--serverless-max-concurrency`] as the use case's serverless capacity. */
function serverlessOf(args: EndpointDeployArgs): { memoryMb: number; maxConcurrency?: number } | undefined {
  if (args.serverlessMemory === undefined) return undefined;
  return {
    memoryMb: args.serverlessMemory,
    ...(args.serverlessMaxConcurrency === undefined ? {} : { maxConcurrency: args.serverlessMaxConcurrency }),
  };
}
