import { coreError } from '../error-codes.js';
import type { Json } from '../ports/json.js';
import type { MetadataStores } from '../ports/metadata-store.js';
import type { SqlValue } from '../ports/sql-port.js';
import { ENDPOINTS_TABLE } from '../sql/endpoints-sql.js';

/** What a recorded endpoint's prediction UDF takes: its name, and the features in training order. */
export interface RecordedPredictionUdf {
  readonly schema: string;
  readonly name: string;
  readonly features: readonly string[];
  /** Key columns the UDF takes before the features and emits unchanged (deployed with keys); none when absent. */
  readonly keys?: readonly string[];
  /** The features' recorded types, in the same order (empty when the job row has none). */
  readonly featureTypes?: readonly string[];
  /** The target's recorded type (how a predicted label reads as a value). */
  readonly targetType?: string;
}

function text(value: SqlValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A JSON value in a metadata cell; undefined when NULL or unreadable. */
function decoded(json: Json, value: SqlValue | undefined): unknown {
  const t = text(value);
  if (t === undefined) return undefined;
  try {
    return json.decode(t);
  } catch {
    return undefined;
  }
}

/** A JSON array of texts in a metadata cell (`KEY_COLUMNS`, `COLUMN_TYPES`); empty when NULL or unreadable. */
function stringArray(json: Json, value: SqlValue | undefined): string[] {
  const d = decoded(json, value);
  const out: string[] = [];
  if (Array.isArray(d)) for (const v of d as unknown[]) if (typeof v === 'string') out.push(v);
  return out;
}

/**
 * The prediction UDF of a recorded, not deleted endpoint and its features (the job's training columns without the
 * target, in order): what `sme predict` calls.
 *
 * @throws SmeError `SME-E-ENDPOINT-NOT-FOUND` when the endpoint is not recorded (or deleted);
 *   `SME-E-ENDPOINT-COLUMNS` when the job row has no readable columns.
 * @example
 * const udf = await findPredictionUdf(sqlMetadataStores(sql, 'SME'), json, 'churn-ep', { metadataSchema: 'SME' });
 */
export async function findPredictionUdf(
  stores: Pick<MetadataStores, 'jobs' | 'endpoints'>,
  json: Json,
  endpointName: string,
  options: { readonly metadataSchema: string; readonly remedy?: string },
): Promise<RecordedPredictionUdf> {
  const endpoint = (await stores.endpoints.list({ endpointName, activeOnly: true }))[0];
  const udfSchema = text(endpoint?.UDF_SCHEMA);
  const udfName = text(endpoint?.PREDICTION_UDF);
  const jobName = text(endpoint?.JOB_NAME);
  if (udfSchema === undefined || udfName === undefined || jobName === undefined) {
    throw coreError(
      'SME-E-ENDPOINT-NOT-FOUND',
      "endpoint '" +
        endpointName +
        "' has no prediction UDF recorded in " +
        options.metadataSchema +
        '.' +
        ENDPOINTS_TABLE,
      {
        key: 'endpoint',
        value: endpointName.slice(0, 80),
        ...(options.remedy === undefined ? {} : { remedy: options.remedy }),
      },
    );
  }
  const job = await stores.jobs.find(jobName);
  const names = decoded(json, job?.COLUMN_NAMES);
  const allNames: unknown[] = Array.isArray(names) ? (names as unknown[]) : [];
  const target = text(job?.TARGET_ATTRIBUTE_NAME);
  const features: string[] = [];
  for (const n of allNames) if (typeof n === 'string' && n !== target) features.push(n);
  if (features.length === 0) {
    throw coreError('SME-E-ENDPOINT-COLUMNS', "the row of job '" + jobName + "' has no readable COLUMN_NAMES", {
      key: 'COLUMN_NAMES',
    });
  }
  const types = stringArray(json, job?.COLUMN_TYPES);
  const typeOf = (name: string): string | undefined =>
    types.length === allNames.length ? types[allNames.indexOf(name)] : undefined;
  const featureTypes = features.map((f) => typeOf(f) ?? '');
  const targetType = target === undefined ? undefined : typeOf(target);
  return {
    schema: udfSchema,
    name: udfName,
    features,
    keys: stringArray(json, endpoint?.KEY_COLUMNS),
    featureTypes: featureTypes.includes('') ? [] : featureTypes,
    ...(targetType === undefined ? {} : { targetType }),
  };
}
