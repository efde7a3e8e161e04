/**
 * The differential test's dispatcher: one case in, one plain result out. It is portable TypeScript (no
 * JSON/RegExp/Date) because it is compiled into the Lua test bundle too; Node and Lua run the very same
 * code over the same cases and the test compares the encoded results.
 */
import { createAutoMLJobRequest } from '../automl-mapping.js';
import { estimateTrainingCost } from '../cost-estimate.js';
import { planSample } from '../use-cases/training-sample.js';
import { awsError, awsErrorCode, awsErrorName, shortText } from '../aws/aws-errors.js';
import { isRoleArn, isRoleName, isRolePathName } from '../aws/iam-roles.js';
import { isRegionName, isRegionShape } from '../aws/regions.js';
import { formatS3Uri, parseS3ObjectUri } from '../aws/s3-uri.js';
import { isSmeError, type SmeError } from '../errors.js';
import { parseExasolIdentifier, quoteIdentifier, quoteLiteral } from '../identifiers.js';
import { exasolTimestamp, jobNameFor } from '../job-name.js';
import { parseTrainingParams } from '../params.js';
import type { Json } from '../ports/json.js';
import {
  bucketOfConnectionAddress,
  checkConnectionBucket,
  jobS3Layout,
  attemptIdFor,
  parseS3Uri,
  partFileNames,
} from '../s3-layout.js';
import { addMissingMetadataColumnsSql, createMetadataTableSql } from '../sql/metadata-table.js';
import {
  exportToS3Sql,
  insertJobSql,
  rowCountSql,
  sampleSelectSql,
  selectJobsSql,
  trainingProfileSql,
  trainingRowCountSql,
  tableColumnsSql,
  updateJobSql,
  type SqlLiteralValue,
} from '../sql/statements.js';
import { formatNumber, maskUserinfo } from '../text.js';
import { parseColumnType } from '../prediction/column-types.js';
import { encodeCsvRow, parseCsv, utf8Length } from '../prediction/csv.js';
import { formatDouble, formatSignificant } from '../prediction/number-format.js';
import { predictionUdfSql } from '../prediction/prediction-udf.js';
import type { ProblemType } from '../ports/automl-port.js';
import {
  createEndpointsTableSql,
  dropScriptSql,
  insertEndpointSql,
  selectEndpointsSql,
  updateEndpointSql,
} from '../sql/endpoints-sql.js';

export type DiffCase =
  | { readonly fn: 'formatDouble'; readonly value: number }
  | {
      readonly fn: 'csvRow';
      readonly values: readonly (string | number | boolean)[];
      /** Index (0-based) of a value to replace by NULL, -1 for none: Lua arrays cannot hold nulls. */
      readonly nullAt: number;
      readonly types: readonly string[];
    }
  | { readonly fn: 'parseCsv'; readonly text: string }
  | {
      readonly fn: 'predictionUdf';
      readonly schema: string;
      readonly endpoint: string;
      readonly names: readonly string[];
      readonly types: readonly string[];
      readonly targetType: string;
      readonly problemType: string;
      readonly url: string;
    }
  | {
      readonly fn: 'endpointSql';
      readonly schema: string;
      readonly name: string;
      readonly text: string;
      readonly now: number;
    }
  | { readonly fn: 'paramsText'; readonly text: string }
  /** Sampling and cost of a start: the plan (or its coded refusal), the estimate, the sample SELECT. */
  | {
      readonly fn: 'sample';
      readonly input: unknown;
      readonly targetRows: number;
      readonly distinct: number;
      readonly columns: readonly string[];
    }
  | { readonly fn: 'paramsObject'; readonly input: unknown }
  | { readonly fn: 'request'; readonly input: unknown; readonly now: number }
  | { readonly fn: 'jobName'; readonly model: string; readonly now: number }
  | { readonly fn: 'timestamp'; readonly now: number }
  | {
      readonly fn: 'quoteIdentifier' | 'quoteLiteral' | 'identifier' | 's3Uri' | 'connection' | 'maskUserinfo';
      readonly text: string;
    }
  | { readonly fn: 's3ObjectUri' | 'regionName' | 'rolePathName' | 'roleArn'; readonly text: string }
  | {
      readonly fn: 'awsErrorCode';
      readonly name: string;
      readonly message: string;
      /** ASCII: shortText counts UTF-16 units in Node and bytes in Lua. */
      readonly detail: string;
      readonly status: number;
    }
  | { readonly fn: 'bucketCheck'; readonly address: string; readonly bucket: string }
  | { readonly fn: 'formatNumber'; readonly value: number }
  | {
      readonly fn: 'exportSql';
      readonly schema: string;
      readonly table: string;
      readonly columns: readonly string[];
      readonly connection: string;
      readonly files: number;
      readonly keyPrefix: string;
    }
  | { readonly fn: 'metadataSql'; readonly schema: string; readonly existing: readonly string[] }
  | {
      readonly fn: 'jobRowSql';
      readonly schema: string;
      readonly job: string;
      readonly text: string;
      readonly int: number;
      readonly dbl: number;
      readonly now: number;
    };

interface ErrorResult {
  readonly code: string;
  readonly kind: string;
  readonly message: string;
  readonly key?: string;
  readonly value?: string;
  readonly remedy?: string;
  readonly problems?: readonly ErrorResult[];
}

function errorResult(e: SmeError): ErrorResult {
  const problems = e.details.problems;
  return {
    code: e.code,
    kind: e.kind,
    message: e.message,
    key: e.details.key,
    value: e.details.value,
    remedy: e.details.remedy,
    problems: problems === undefined ? undefined : problems.map((p) => errorResult(p)),
  };
}

function exec(c: DiffCase, json: Json): unknown {
  switch (c.fn) {
    case 'formatDouble':
      return [formatDouble(c.value), formatSignificant(c.value, 17)];
    case 'csvRow': {
      // Index assignment, not push: in Lua a pushed nil leaves a hole that the next push fills.
      const values: (string | number | boolean | null)[] = [];
      for (let i = 0; i < c.types.length; i++) values[i] = i === c.nullAt ? null : (c.values[i] ?? null);
      const line = encodeCsvRow(
        values,
        c.types.map((t) => parseColumnType(t)),
      );
      return { line, bytes: utf8Length(line), parsed: parseCsv(line + '\n') };
    }
    case 'parseCsv':
      return parseCsv(c.text);
    case 'predictionUdf':
      return predictionUdfSql(
        {
          schema: c.schema,
          endpointName: c.endpoint,
          features: c.names.map((name, i) => ({ name, type: c.types[i] ?? 'DOUBLE' })),
          target: { name: 'TARGET', type: c.targetType },
          problemType: c.problemType as ProblemType,
          connectionName: c.schema,
          region: 'eu-central-1',
          awsEndpointUrl: c.url,
        },
        'return {}',
      );
    case 'endpointSql':
      return [
        createEndpointsTableSql(c.schema),
        insertEndpointSql(c.schema, {
          CREATED: { kind: 'timestamp', value: exasolTimestamp(c.now) },
          ENDPOINT_NAME: { kind: 'text', value: c.name },
          FAILURE_REASON: { kind: 'text', value: c.text },
          INSTANCE_COUNT: { kind: 'integer', value: 2 },
        }),
        updateEndpointSql(c.schema, c.name, { STATUS: { kind: 'text', value: c.text }, DELETED_AT: { kind: 'null' } }),
        selectEndpointsSql(c.schema, { jobName: c.text, activeOnly: true }),
        dropScriptSql(c.schema, c.name),
      ];
    case 'paramsText':
      return parseTrainingParams(c.text, json);
    case 'paramsObject':
      return parseTrainingParams(c.input, json);
    case 'request': {
      const params = parseTrainingParams(c.input, json);
      const jobName = jobNameFor(params.modelName, c.now);
      const layout = jobS3Layout({
        bucket: params.s3Bucket,
        prefix: params.s3BucketPrefix,
        outputPath: params.s3OutputPath,
        jobName,
        // Session ids exceed 2^53 and travel as digits; the clock's milliseconds must print as digits in Lua too.
        attemptId: attemptIdFor('1234567890123456789', c.now),
      });
      return {
        layout,
        request: createAutoMLJobRequest(params, {
          jobName,
          roleArn: params.roleArn ?? 'arn:aws:iam::123456789012:role/' + params.iamSagemakerRole,
          inputPrefixUri: layout.inputPrefixUri,
          outputPrefixUri: layout.outputPrefixUri,
        }),
      };
    }
    case 'jobName':
      return jobNameFor(c.model, c.now);
    case 'timestamp':
      return exasolTimestamp(c.now);
    case 'quoteIdentifier':
      return quoteIdentifier(c.text);
    case 'quoteLiteral':
      return quoteLiteral(c.text);
    case 'identifier':
      return parseExasolIdentifier(c.text);
    case 's3Uri':
      return parseS3Uri(c.text);
    case 's3ObjectUri':
      return { parsed: parseS3ObjectUri(c.text), formatted: formatS3Uri(parseS3ObjectUri(c.text)) };
    case 'regionName':
      return [isRegionName(c.text), isRegionShape(c.text)];
    case 'rolePathName':
      return [isRolePathName(c.text), isRoleName(c.text)];
    case 'roleArn':
      return isRoleArn(c.text);
    case 'awsErrorCode': {
      const code = awsErrorCode(awsErrorName(c.name), c.message, c.status);
      const e = awsError(code, { subject: 'S3 ListObjectsV2', detail: shortText(c.detail, 40), httpStatus: c.status });
      return errorResult(e);
    }
    case 'connection':
      return bucketOfConnectionAddress(c.text);
    case 'maskUserinfo':
      return maskUserinfo(c.text);
    case 'bucketCheck':
      return checkConnectionBucket(c.address, c.bucket);
    case 'formatNumber':
      return formatNumber(c.value);
    case 'exportSql':
      return exportToS3Sql({
        schema: c.schema,
        table: c.table,
        columns: c.columns,
        connection: c.connection,
        fileKeys: partFileNames(c.files).map((f) => c.keyPrefix + f),
      });
    case 'sample': {
      const params = parseTrainingParams(c.input, json);
      const cost = estimateTrainingCost(params);
      const plan = planSample(params, c.targetRows, c.distinct);
      const sample = {
        rows: plan?.rows ?? 500,
        target: params.targetAttributeName,
        stratified: plan?.method !== 'UNIFORM',
      };
      return {
        plan: plan ?? null,
        cost: [
          cost.lowUsd,
          cost.highUsd,
          formatNumber(cost.lowInstanceHours),
          formatNumber(cost.highInstanceHours),
          cost.capped,
          cost.text,
        ],
        sql: sampleSelectSql(params.inputSchemaName, params.inputTableOrViewName, c.columns, sample),
      };
    }
    case 'metadataSql':
      return [createMetadataTableSql(c.schema), ...addMissingMetadataColumnsSql(c.schema, c.existing)];
    case 'jobRowSql': {
      const values: Record<string, SqlLiteralValue> = {
        DATETIME: { kind: 'timestamp', value: exasolTimestamp(c.now) },
        JOB_NAME: { kind: 'text', value: c.job },
        TARGET_ATTRIBUTE_NAME: { kind: 'text', value: c.text },
        MAX_CANDIDATES: { kind: 'integer', value: c.int },
        BEST_METRIC_VALUE: { kind: 'double', value: c.dbl },
        FAILURE_REASON: { kind: 'null' },
      };
      return [
        insertJobSql(c.schema, values),
        updateJobSql(c.schema, c.job, { JOB_STATUS: { kind: 'text', value: c.text } }),
        selectJobsSql(c.schema, c.job),
        tableColumnsSql(c.schema, c.text),
        rowCountSql(c.schema, c.text),
        trainingRowCountSql(c.schema, c.text, c.job),
        trainingProfileSql(c.schema, c.text, { name: c.job, type: 'DECIMAL(18,0)' }, [
          { name: c.text, type: 'DOUBLE' },
          { name: c.schema, type: 'VARCHAR(20) UTF8' },
        ]),
      ];
    }
  }
}

/** Runs one case; SmeErrors become `{ error }`, anything else `{ crash }` (always a bug). */
export function runCase(c: DiffCase, json: Json): unknown {
  try {
    return { ok: exec(c, json) };
  } catch (e: unknown) {
    if (isSmeError(e)) return { error: errorResult(e) };
    return { crash: String(e) };
  }
}

/**
 * Decodes a JSON array of cases, runs each, encodes the array of results.
 *
 * @example
 * runCases('[{"fn":"quoteLiteral","text":"it\'s"}]', json); // '[{"ok":"\'it\'\'s\'"}]'
 */
export function runCases(casesText: string, json: Json): string {
  const cases = json.decode(casesText) as DiffCase[];
  const results: unknown[] = [];
  for (const c of cases) results.push(runCase(c, json));
  return json.encode(results);
}
