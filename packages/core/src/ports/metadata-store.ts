import type { SqlLiteralValue } from '../sql/statements.js';
import type { SqlValue } from './sql-port.js';

/** One recorded row: column name → value as Exasol returns it (`SqlValue`); NULL is `null`. */
export type MetadataRow = Readonly<Record<string, SqlValue>>;

/** Values to write, by column name; a column not given is left as it is (NULL in a new row). */
export type MetadataValues = Readonly<Record<string, SqlLiteralValue>>;

/**
 * One of the tables sme keeps in its metadata schema, whose rows are named by a key that is compared
 * case-insensitively (a job, endpoint or batch prediction name, as AWS compares them). Lists come newest first.
 * One SQL implementation over `SqlPort` runs in Node and in Lua (`sql/sql-metadata-stores.ts`); tests use
 * `InMemoryMetadataStores` (`testing/in-memory-stores.ts`).
 *
 * @example
 * const row = await stores.jobs.find('churn-260101000000');
 * await stores.jobs.update('churn-260101000000', { JOB_STATUS: { kind: 'text', value: 'Completed' } });
 */
export interface MetadataStore<Filter = Readonly<Record<string, never>>> {
  /** The row with this key, or undefined when none is recorded. */
  find(key: string): Promise<MetadataRow | undefined>;
  /** The rows the filter selects (all without one), newest first. */
  list(filter?: Filter): Promise<MetadataRow[]>;
  /** Records a new row; rejects (`SME-E-SQL-…`) when the key is taken. Refuses a column the table lacks. */
  insert(values: MetadataValues): Promise<void>;
  /** Sets columns of the row with this key; answers how many rows changed (0: none recorded). */
  update(key: string, values: MetadataValues): Promise<number>;
}

/** Which endpoint rows `EndpointStore.list` answers: one endpoint's, one job's, and only those not deleted. */
export interface EndpointFilter {
  readonly endpointName?: string;
  readonly jobName?: string;
  readonly activeOnly?: boolean;
  /** Only rows not deleted whose IDLE_DEADLINE (set by an idle time-to-live) is before this Exasol timestamp. */
  readonly idleBefore?: string;
}

/** `SME_METADATA_AUTOPILOT_JOBS`, keyed by JOB_NAME. */
export type JobStore = MetadataStore;
/** `SME_METADATA_AUTOPILOT_ENDPOINTS`, keyed by ENDPOINT_NAME. */
export type EndpointStore = MetadataStore<EndpointFilter>;
/** `SME_METADATA_AUTOPILOT_BATCH_PREDICTIONS`, keyed by BATCH_PREDICTION_NAME. */
export type BatchPredictionStore = MetadataStore;

/** One promotion of a job under a stable model name (`sme promote`). */
export interface ModelPromotion {
  readonly modelName: string;
  readonly jobName: string;
  readonly endpointName: string;
  readonly udfSchema: string;
  readonly predictionUdf: string;
  readonly signature: string;
  /** Exasol TIMESTAMP text. */
  readonly promotedAt: string;
  readonly promotedBy?: string;
}

/**
 * `SME_METADATA_AUTOPILOT_MODELS`: a history of promotions, never updated; a model name's newest row is its
 * current job. Lists come newest first, then by model name.
 */
export interface ModelStore {
  list(filter?: { readonly modelName?: string }): Promise<MetadataRow[]>;
  insert(promotion: ModelPromotion): Promise<void>;
}

/** The metadata tables of one schema. */
export interface MetadataStores {
  readonly jobs: JobStore;
  readonly endpoints: EndpointStore;
  readonly batchPredictions: BatchPredictionStore;
  readonly models: ModelStore;
}
