import {
  isSmeError,
  maskUserinfo,
  quoteIdentifier,
  catalogError,
  quoteLiteral,
  splitS3Uri,
  type AutoMLCandidate,
  type AutoMLJobDescription,
  type AutoMLPort,
  type AutoMLPortFactory,
  type AwsTarget,
  type ConnectionPort,
  type EndpointDescription,
  type EndpointPortFactory,
  type EndpointStatus,
  type Json,
  type ObjectReaderPortFactory,
  type ObjectStorePortFactory,
  type SqlPort,
  type TransformJobStatus,
  type TransformPortFactory,
} from '@sme/core';
import { decodeAwsCallEnvelope } from '../aws/aws-call-envelope.js';
import { xmlElements } from '../aws/xml-text.js';
import { AWS_CALL_ERRORS } from '../aws/aws-errors.js';
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
  const success = await rawCallThroughUdf(sql, json, schema, target, operation, request);
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

/** One SageMaker operation through the AWS-call UDF: request in, AWS's decoded answer out. */
type SageMakerCall = (operation: string, request: unknown) => Promise<JsonObject>;

/** A port factory whose port, for each (connection, region), makes its SageMaker calls through the AWS-call UDF. */
function throughUdf<P>(
  sql: SqlPort,
  json: Json,
  schema: string,
  port: (call: SageMakerCall) => P,
): (target: AwsTarget) => P {
  return (target) => port((operation, request) => callThroughUdf(sql, json, schema, target, operation, request));
}

/** Like `callThroughUdf`, answering the body as text (S3 answers XML). */
export async function rawCallThroughUdf(
  sql: SqlPort,
  json: Json,
  schema: string,
  target: AwsTarget,
  operation: string,
  request: unknown,
): Promise<{ readonly body: string; readonly requestId?: string | undefined }> {
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
  return decodeAwsCallEnvelope(json, typeof text === 'string' ? text : '');
}

/** AWS JSON 1.1 timestamps are epoch seconds (a number); core wants epoch milliseconds. */
function millis(value: unknown): number | undefined {
  return typeof value === 'number' ? value * 1000 : undefined;
}

function text(obj: JsonObject | undefined, name: string): string | undefined {
  const v = obj?.[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * The name, status and creation time every SageMaker Describe answer has (`nameKey`, `statusKey`, CreationTime);
 * SME-E-AWS-RESPONSE when one is missing.
 */
function describedHead(
  body: JsonObject,
  operation: string,
  keys: { readonly name: string; readonly status: string; readonly what: string },
): { readonly name: string; readonly status: string; readonly created: number } {
  const name = text(body, keys.name);
  const status = text(body, keys.status);
  const created = millis(body.CreationTime);
  if (name === undefined || status === undefined || created === undefined) {
    throw udfError(
      'SME-E-AWS-RESPONSE',
      'SageMaker ' + operation + ' answered without ' + keys.what + ', status or time',
    );
  }
  return { name, status, created };
}

function candidate(raw: unknown): AutoMLCandidate | undefined {
  if (!isObject(raw)) return undefined;
  const c = raw as unknown as AutoMLCandidate & { CreationTime?: unknown };
  const created = millis(raw.CreationTime);
  const ended = millis(raw.EndTime);
  return {
    ...c,
    ...(created === undefined ? {} : { CreationTime: created }),
    ...(ended === undefined ? {} : { EndTime: ended }),
  };
}

/** DescribeAutoMLJobV2's answer as core's description (times to milliseconds). */
export function jobDescription(body: JsonObject, operation: string): AutoMLJobDescription {
  const { created } = describedHead(body, operation, {
    name: 'AutoMLJobName',
    status: 'AutoMLJobStatus',
    what: 'job name',
  });
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
  return throughUdf(sql, json, schema, (call): AutoMLPort => ({
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
      // Every page (following NextToken) up to maxResults, like the Node adapter.
      const limit = options.maxResults ?? 100000;
      const out: AutoMLCandidate[] = [];
      let next: string | undefined;
      do {
        const body = await call('ListCandidatesForAutoMLJob', {
          AutoMLJobName: jobName,
          MaxResults: Math.min(100, limit - out.length),
          ...(options.sortBy === undefined ? {} : { SortBy: options.sortBy, SortOrder: 'Descending' }),
          ...(next === undefined ? {} : { NextToken: next }),
        });
        const list = body.Candidates;
        if (Array.isArray(list)) {
          for (const raw of list as unknown[]) {
            const c = candidate(raw);
            if (c !== undefined) out.push(c);
          }
        }
        next = text(body, 'NextToken');
      } while (next !== undefined && next !== '' && out.length < limit);
      return out;
    },
  }));
}

/**
 * The SME-E-CONNECTION-ACCESS error a UDF raised inside a failed statement (Exasol wraps the UDF's text in its own
 * message), or the error unchanged.
 */
export function connectionAccessFromSql(e: unknown): unknown {
  const code = 'SME-E-CONNECTION-ACCESS';
  if (!isSmeError(e) || e.code === code) return e;
  const at = e.message.indexOf(code + ':');
  if (at < 0) return e;
  let text = e.message.substring(at);
  // Exasol appends its own context after the UDF's text (` (Session: …)`, stack positions): cut after the GRANT.
  const end = text.indexOf('ANY CONNECTION).');
  if (end >= 0) text = text.substring(0, end + 'ANY CONNECTION).'.length);
  const grant = text.indexOf('Run GRANT ');
  return catalogError(AWS_CALL_ERRORS, code, text, {
    ...(grant >= 0 ? { remedy: text.substring(grant) } : {}),
    key: 'aws_credentials_connection_name',
    ...(e.details.sqlCode === undefined ? {} : { sqlCode: e.details.sqlCode }),
  });
}

/** `ConnectionPort` for scripting programs: the address through `"<schema>".SME_CONNECTION_ADDRESS(name)`. */
export function sqlConnections(sql: SqlPort, schema: string): ConnectionPort {
  return {
    async address(connectionName) {
      const result = await sql
        .query(
          'SELECT ' +
            quoteIdentifier(schema) +
            '.' +
            quoteIdentifier(CONNECTION_ADDRESS_UDF_NAME) +
            '(' +
            quoteLiteral(connectionName) +
            ') AS "ADDRESS" FROM DUAL',
        )
        .catch((e: unknown) => {
          throw connectionAccessFromSql(e);
        });
      const value = result.rows[0]?.[0];
      // A secret written into the address (https://KEY:SECRET@…) never travels further than here.
      return typeof value === 'string' ? maskUserinfo(value) : undefined;
    },
  };
}

function endpointDescription(body: JsonObject): EndpointDescription {
  const { name, status, created } = describedHead(body, 'DescribeEndpoint', {
    name: 'EndpointName',
    status: 'EndpointStatus',
    what: 'name',
  });
  const reason = text(body, 'FailureReason');
  return {
    EndpointName: name,
    EndpointArn: text(body, 'EndpointArn') ?? '',
    EndpointConfigName: text(body, 'EndpointConfigName') ?? '',
    EndpointStatus: status as EndpointStatus,
    ...(reason === undefined ? {} : { FailureReason: reason }),
    CreationTime: created,
  };
}

/** `EndpointPortFactory` for scripting programs: model, endpoint config and endpoint calls through the AWS-call UDF. */
export function sqlEndpoints(sql: SqlPort, json: Json, schema: string): EndpointPortFactory {
  return throughUdf(sql, json, schema, (call) => ({
    async createModel(request) {
      await call('CreateModel', request);
    },
    async deleteModel(modelName) {
      await call('DeleteModel', { ModelName: modelName });
    },
    async createEndpointConfig(request) {
      await call('CreateEndpointConfig', request);
    },
    async deleteEndpointConfig(endpointConfigName) {
      await call('DeleteEndpointConfig', { EndpointConfigName: endpointConfigName });
    },
    async createEndpoint(request) {
      await call('CreateEndpoint', request);
    },
    async describeEndpoint(endpointName) {
      return endpointDescription(await call('DescribeEndpoint', { EndpointName: endpointName }));
    },
    async deleteEndpoint(endpointName) {
      await call('DeleteEndpoint', { EndpointName: endpointName });
    },
    async listEndpoints() {
      const out: EndpointDescription[] = [];
      let next: string | undefined;
      do {
        const body = await call('ListEndpoints', {
          MaxResults: 100,
          ...(next === undefined ? {} : { NextToken: next }),
        });
        const list = body.Endpoints;
        if (Array.isArray(list)) {
          for (const raw of list as unknown[]) {
            if (isObject(raw)) out.push(endpointDescription(raw));
          }
        }
        next = text(body, 'NextToken');
      } while (next !== undefined && next !== '');
      return out;
    },
  }));
}

/**
 * `ObjectStorePortFactory` for scripting programs: ListObjectsV2 pages and one DeleteObject per key through the
 * AWS-call UDF (the only two S3 operations it allows). A whole bucket is never deleted.
 */
export function sqlObjects(sql: SqlPort, json: Json, schema: string): ObjectStorePortFactory {
  return (target) => {
    const keys = async (uri: string): Promise<{ bucket: string; keys: string[] }> => {
      const at = splitS3Uri(uri);
      if (at === undefined) {
        throw udfError('SME-E-UDF-ARGUMENT', 'not an s3://bucket/prefix URI: ' + uri, { key: 'prefixUri', value: uri });
      }
      const found: string[] = [];
      let token: string | undefined;
      do {
        const page = await rawCallThroughUdf(sql, json, schema, target, 'ListObjectsV2', {
          Bucket: at.bucket,
          Prefix: at.key,
          ...(token === undefined ? {} : { ContinuationToken: token }),
        });
        for (const key of xmlElements(page.body, 'Key')) found.push(key);
        const truncated = xmlElements(page.body, 'IsTruncated')[0] === 'true';
        token = truncated ? xmlElements(page.body, 'NextContinuationToken')[0] : undefined;
      } while (token !== undefined && token !== '');
      return { bucket: at.bucket, keys: found };
    };
    return {
      async list(prefixUri) {
        const r = await keys(prefixUri);
        return r.keys.map((k) => 's3://' + r.bucket + '/' + k);
      },
      async deletePrefix(prefixUri) {
        const at = splitS3Uri(prefixUri);
        if (at === undefined || at.key === '') {
          throw udfError('SME-E-UDF-ARGUMENT', 'refusing to delete a whole bucket or a non-S3 URI: ' + prefixUri, {
            key: 'prefixUri',
            value: prefixUri,
          });
        }
        const r = await keys(prefixUri);
        for (const key of r.keys) {
          await rawCallThroughUdf(sql, json, schema, target, 'DeleteObject', { Bucket: r.bucket, Key: key });
        }
        return r.keys.length;
      },
    };
  };
}

/** `ObjectReaderPortFactory` for scripting programs: S3 GetObject through the AWS-call UDF (Autopilot's reports). */
export function sqlObjectReader(sql: SqlPort, json: Json, schema: string): ObjectReaderPortFactory {
  return (target) => ({
    async readText(uri) {
      const at = splitS3Uri(uri);
      if (at === undefined || at.key === '') {
        throw udfError('SME-E-UDF-ARGUMENT', 'not an s3://bucket/key URI: ' + uri, { key: 'uri', value: uri });
      }
      const answer = await rawCallThroughUdf(sql, json, schema, target, 'GetObject', {
        Bucket: at.bucket,
        Key: at.key,
      });
      return answer.body;
    },
  });
}

/** `TransformPortFactory` for scripting programs: batch transform calls through the AWS-call UDF. */
export function sqlTransforms(sql: SqlPort, json: Json, schema: string): TransformPortFactory {
  return throughUdf(sql, json, schema, (call) => ({
    async createTransformJob(request) {
      await call('CreateTransformJob', request);
    },
    async describeTransformJob(transformJobName) {
      const body = await call('DescribeTransformJob', { TransformJobName: transformJobName });
      const { name, status, created } = describedHead(body, 'DescribeTransformJob', {
        name: 'TransformJobName',
        status: 'TransformJobStatus',
        what: 'name',
      });
      const reason = text(body, 'FailureReason');
      const ended = millis(body.TransformEndTime);
      return {
        TransformJobName: name,
        TransformJobStatus: status as TransformJobStatus,
        ...(reason === undefined ? {} : { FailureReason: reason }),
        CreationTime: created,
        ...(ended === undefined ? {} : { TransformEndTime: ended }),
      };
    },
    async stopTransformJob(transformJobName) {
      await call('StopTransformJob', { TransformJobName: transformJobName });
    },
  }));
}
