import {
  quoteIdentifier,
  quoteLiteral,
  type AutoMLCandidate,
  type AutoMLJobDescription,
  type AutoMLPort,
  type AutoMLPortFactory,
  type AwsTarget,
  type ConnectionPort,
  type Json,
  type SqlPort,
} from '@sme/core';
import { decodeAwsCallEnvelope } from '../aws/aws-call-envelope.js';
import { AWS_CALL_UDF_NAME, CONNECTION_ADDRESS_UDF_NAME } from './names.js';
import { udfError } from './udf-errors.js';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null;
}

/**
 * Calls one SageMaker operation through the AWS-call UDF of `schema` and returns AWS's decoded answer.
 * The scripting program cannot read the CONNECTION's secret; the UDF can (`exa.get_connection`).
 */
export async function callThroughUdf(
  sql: SqlPort,
  json: Json,
  schema: string,
  target: AwsTarget,
  operation: string,
  request: unknown,
): Promise<JsonObject> {
  const statement =
    'SELECT ' +
    quoteIdentifier(schema) +
    '.' +
    quoteIdentifier(AWS_CALL_UDF_NAME) +
    '(' +
    [target.connectionName, target.region, operation, json.encode(request)].map((v) => quoteLiteral(v)).join(', ') +
    ') AS "ENVELOPE" FROM DUAL';
  const result = await sql.query(statement);
  const text = result.rows[0]?.[0];
  const success = decodeAwsCallEnvelope(json, typeof text === 'string' ? text : '');
  let body: unknown;
  try {
    body = json.decode(success.body === '' ? '{}' : success.body);
  } catch {
    body = undefined;
  }
  if (!isObject(body)) {
    throw udfError('SME-E-AWS-RESPONSE', 'SageMaker ' + operation + ' answered no JSON object', {
      ...(success.requestId === undefined ? {} : { requestId: success.requestId }),
    });
  }
  return body;
}

/** AWS JSON 1.1 timestamps are epoch seconds (a number); core wants epoch milliseconds. */
function millis(value: unknown): number | undefined {
  return typeof value === 'number' ? value * 1000 : undefined;
}

function text(obj: JsonObject | undefined, name: string): string | undefined {
  const v = obj?.[name];
  return typeof v === 'string' ? v : undefined;
}

function candidate(raw: unknown): AutoMLCandidate | undefined {
  if (!isObject(raw)) return undefined;
  const c = raw as unknown as AutoMLCandidate & { CreationTime?: unknown };
  const created = millis(raw.CreationTime);
  return { ...c, ...(created === undefined ? {} : { CreationTime: created }) };
}

/** DescribeAutoMLJobV2's answer as core's description (times to milliseconds). */
export function jobDescription(body: JsonObject, operation: string): AutoMLJobDescription {
  const name = text(body, 'AutoMLJobName');
  const status = text(body, 'AutoMLJobStatus');
  const created = millis(body.CreationTime);
  if (name === undefined || status === undefined || created === undefined) {
    throw udfError('SME-E-AWS-RESPONSE', 'SageMaker ' + operation + ' answered without job name, status or time');
  }
  const end = millis(body.EndTime);
  const modified = millis(body.LastModifiedTime);
  const best = candidate(body.BestCandidate);
  const d = body as unknown as AutoMLJobDescription;
  return {
    ...d,
    CreationTime: created,
    ...(end === undefined ? {} : { EndTime: end }),
    ...(modified === undefined ? {} : { LastModifiedTime: modified }),
    ...(best === undefined ? {} : { BestCandidate: best }),
  };
}

/**
 * `AutoMLPortFactory` for scripting programs: every call is one `SELECT "<schema>".SME_AWS_SAGEMAKER_CALL(…)`
 * through the scripting API, so the CONNECTION's credentials stay inside the UDF.
 */
export function sqlAutoML(sql: SqlPort, json: Json, schema: string): AutoMLPortFactory {
  return (target: AwsTarget): AutoMLPort => {
    const call = (operation: string, request: unknown): Promise<JsonObject> =>
      callThroughUdf(sql, json, schema, target, operation, request);
    return {
      async createJob(request) {
        const body = await call('CreateAutoMLJobV2', request);
        const arn = text(body, 'AutoMLJobArn');
        if (arn === undefined) {
          throw udfError('SME-E-AWS-RESPONSE', 'SageMaker CreateAutoMLJobV2 answered without AutoMLJobArn');
        }
        return { AutoMLJobArn: arn };
      },
      async describeJob(jobName) {
        return jobDescription(await call('DescribeAutoMLJobV2', { AutoMLJobName: jobName }), 'DescribeAutoMLJobV2');
      },
      async stopJob(jobName) {
        await call('StopAutoMLJob', { AutoMLJobName: jobName });
      },
      async listCandidates(jobName, options = {}) {
        const body = await call('ListCandidatesForAutoMLJob', {
          AutoMLJobName: jobName,
          ...(options.maxResults === undefined ? {} : { MaxResults: options.maxResults }),
          ...(options.sortBy === undefined ? {} : { SortBy: options.sortBy, SortOrder: 'Descending' }),
        });
        const list = body.Candidates;
        const out: AutoMLCandidate[] = [];
        if (Array.isArray(list)) {
          for (const raw of list as unknown[]) {
            const c = candidate(raw);
            if (c !== undefined) out.push(c);
          }
        }
        return out;
      },
    };
  };
}

/** `ConnectionPort` for scripting programs: the address through `"<schema>".SME_CONNECTION_ADDRESS(name)`. */
export function sqlConnections(sql: SqlPort, schema: string): ConnectionPort {
  return {
    async address(connectionName) {
      const result = await sql.query(
        'SELECT ' +
          quoteIdentifier(schema) +
          '.' +
          quoteIdentifier(CONNECTION_ADDRESS_UDF_NAME) +
          '(' +
          quoteLiteral(connectionName) +
          ') AS "ADDRESS" FROM DUAL',
      );
      const value = result.rows[0]?.[0];
      return typeof value === 'string' ? value : undefined;
    },
  };
}
