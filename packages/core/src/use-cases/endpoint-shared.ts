import { coreError } from '../error-codes.js';
import { parseExasolIdentifier } from '../identifiers.js';
import { exasolTimestamp } from '../job-name.js';
import { isRegionShape } from '../params.js';
import { isSageMakerName } from '../aws/sagemaker-names.js';
import type { AwsTarget } from '../ports/automl-port.js';
import type { Clock } from '../ports/clock.js';
import type { EndpointPort } from '../ports/endpoint-port.js';
import type { EndpointPortFactory } from '../ports/endpoint-factories.js';
import type { Log } from '../ports/log.js';
import type { SqlPort, SqlValue } from '../ports/sql-port.js';
import { selectEndpointsSql } from '../sql/endpoints-sql.js';
import type { SqlLiteralValue } from '../sql/statements.js';
import { describeValue } from '../text.js';
import { rowRecords, textOf } from './metadata-rows.js';

// What the endpoint use cases (deploy, status, delete, list) share: deps, context, checks and the endpoint row.

export type Row = Readonly<Record<string, SqlValue>>;

export interface EndpointDeps {
  readonly sql: SqlPort;
  readonly endpoints: EndpointPortFactory;
  readonly clock: Clock;
  readonly log: Log;
}

export interface EndpointContext {
  /** Schema holding SME_METADATA_AUTOPILOT_JOBS and SME_METADATA_AUTOPILOT_ENDPOINTS. */
  readonly metadataSchema: string;
  /** Exasol session id as digits, and user, recorded with a deployment (optional). */
  readonly sessionId?: string;
  readonly user?: string;
}

export function identifier(raw: string, key: string): string {
  const parsed = parseExasolIdentifier(raw);
  if (!parsed.ok) {
    throw coreError(
      'SME-E-PARAM-IDENTIFIER',
      key + ' ' + describeValue(raw) + ' is not an identifier: ' + parsed.reason,
      {
        key,
        value: describeValue(raw),
      },
    );
  }
  return parsed.identifier.name;
}

export function checkEndpointName(name: string): void {
  if (!isSageMakerName(name)) {
    throw coreError(
      'SME-E-ENDPOINT-NAME',
      'endpoint name ' + describeValue(name) + ' is not 1-63 letters, digits and inner hyphens',
      { key: 'endpoint_name', value: describeValue(name) },
    );
  }
}

export function checkRegion(region: string): void {
  if (!isRegionShape(region)) {
    throw coreError('SME-E-PARAM-REGION', 'aws_region ' + describeValue(region) + ' is not a region code', {
      key: 'aws_region',
      value: describeValue(region),
    });
  }
}

export function now(deps: { readonly clock: Clock }): SqlLiteralValue {
  return { kind: 'timestamp', value: exasolTimestamp(deps.clock.nowMillis()) };
}

async function endpointRow(sql: SqlPort, schema: string, endpointName: string): Promise<Row | undefined> {
  return rowRecords(await sql.query(selectEndpointsSql(schema, { endpointName })))[0];
}

/** Which endpoint; connection and region default to its row in SME_METADATA_AUTOPILOT_ENDPOINTS. */
export interface EndpointRef {
  readonly endpointName: string;
  readonly connectionName?: string;
  readonly region?: string;
}

export async function endpointTarget(
  ref: EndpointRef,
  deps: EndpointDeps,
  context: EndpointContext,
): Promise<{ port: EndpointPort; row?: Row; target: AwsTarget }> {
  checkEndpointName(ref.endpointName);
  const row = await endpointRow(deps.sql, context.metadataSchema, ref.endpointName);
  const connectionName =
    ref.connectionName === undefined
      ? textOf(row, 'AWS_CREDENTIALS_CONNECTION_NAME')
      : identifier(ref.connectionName, 'connection');
  const region = ref.region ?? textOf(row, 'AWS_REGION');
  if (connectionName === undefined || region === undefined) {
    throw coreError(
      'SME-E-ENDPOINT-NOT-FOUND',
      'endpoint ' +
        describeValue(ref.endpointName) +
        ' is not recorded; give the connection name and region to ask AWS',
      { key: 'endpoint_name', value: describeValue(ref.endpointName) },
    );
  }
  checkRegion(region);
  const target = { connectionName, region };
  return { port: deps.endpoints(target), row, target };
}
