/**
 * The metadata stores in memory: rows as plain records, for use-case tests. Keys compare case-insensitively and
 * lists come newest first, as in the SQL stores; a column the table lacks is refused, a taken key rejected.
 */
import { coreError } from '../error-codes.js';
import { SmeError } from '../errors.js';
import type {
  EndpointFilter,
  MetadataRow,
  MetadataStore,
  MetadataStores,
  MetadataValues,
  ModelPromotion,
  ModelStore,
} from '../ports/metadata-store.js';
import type { SqlValue } from '../ports/sql-port.js';
import { BATCH_PREDICTION_COLUMNS } from '../sql/batch-predictions-sql.js';
import { ENDPOINT_COLUMNS } from '../sql/endpoints-sql.js';
import { METADATA_COLUMNS, type MetadataColumn } from '../sql/metadata-table.js';
import type { SqlLiteralValue } from '../sql/statements.js';
import { describeValue } from '../text.js';

type Row = Record<string, SqlValue>;

/** A value as the SQL stores would read it back: whole numbers up to 15 digits as numbers, longer ones as text. */
function stored(value: SqlLiteralValue): SqlValue {
  if (value.kind === 'null') return null;
  if (value.kind === 'integer' && typeof value.value === 'string' && value.value.length <= 15)
    return Number(value.value);
  return value.value;
}

function same(a: SqlValue | undefined, b: string): boolean {
  return typeof a === 'string' && a.toUpperCase() === b.toUpperCase();
}

function newestFirst(rows: readonly Row[], column: string): Row[] {
  return [...rows].sort((a, b) => String(b[column] ?? '').localeCompare(String(a[column] ?? '')));
}

/** One table: `rows` is what it holds (seed it, read it in assertions). */
export class InMemoryMetadataStore implements MetadataStore<EndpointFilter> {
  readonly rows: Row[] = [];
  private readonly failures: { what: 'find' | 'list' | 'insert' | 'update'; error: Error }[] = [];

  constructor(
    private readonly table: {
      readonly label: string;
      readonly key: string;
      readonly newest: string;
      readonly columns: readonly MetadataColumn[];
    },
    rows: readonly Row[] = [],
  ) {
    for (const row of rows) this.rows.push({ ...this.nulls(), ...row });
  }

  /** Makes every later call of `what` reject with `error`. */
  failWhen(what: 'find' | 'list' | 'insert' | 'update', error: Error): this {
    this.failures.push({ what, error });
    return this;
  }

  find(key: string): Promise<MetadataRow | undefined> {
    return this.answer('find', () =>
      newestFirst(this.rows, this.table.newest).find((r) => same(r[this.table.key], key)),
    );
  }

  list(filter: EndpointFilter = {}): Promise<MetadataRow[]> {
    return this.answer('list', () =>
      newestFirst(this.rows, this.table.newest).filter(
        (r) =>
          (filter.endpointName === undefined || same(r.ENDPOINT_NAME, filter.endpointName)) &&
          (filter.jobName === undefined || same(r.JOB_NAME, filter.jobName)) &&
          (filter.activeOnly !== true || r.DELETED_AT === null || r.DELETED_AT === undefined) &&
          // Exasol timestamp texts of one format order like the times they name.
          (filter.idleBefore === undefined ||
            ((r.DELETED_AT === null || r.DELETED_AT === undefined) &&
              typeof r.IDLE_DEADLINE === 'string' &&
              r.IDLE_DEADLINE < filter.idleBefore)),
      ),
    );
  }

  insert(values: MetadataValues): Promise<void> {
    return this.answer('insert', () => {
      const row: Row = { ...this.nulls(), ...this.row(values) };
      const key = row[this.table.key];
      if (this.rows.some((r) => typeof key === 'string' && same(r[this.table.key], key))) {
        throw new SmeError(
          'SME-E-SQL-TEST',
          'SqlError',
          'constraint violation - primary key (' + this.table.key + ')',
          {
            sqlCode: '27001',
          },
        );
      }
      this.rows.push(row);
    });
  }

  update(key: string, values: MetadataValues): Promise<number> {
    return this.answer('update', () => {
      const changes = this.row(values);
      if (Object.keys(changes).length === 0) {
        throw coreError('SME-E-ARGUMENT', 'an update needs at least one column', { key: 'values' });
      }
      let n = 0;
      for (const r of this.rows) {
        if (!same(r[this.table.key], key)) continue;
        Object.assign(r, changes);
        n++;
      }
      return n;
    });
  }

  /** Every column NULL: a new row holds the values given and NULL in every other column, as in the table. */
  private nulls(): Row {
    return Object.fromEntries(this.table.columns.map((c) => [c.name, null]));
  }

  private row(values: MetadataValues): Row {
    const row: Row = {};
    for (const [name, value] of Object.entries(values)) {
      if (!this.table.columns.some((c) => c.name === name)) {
        throw coreError('SME-E-ARGUMENT', this.table.label + ' has no column ' + describeValue(name), {
          key: 'values',
          value: describeValue(name),
        });
      }
      row[name] = stored(value);
    }
    return row;
  }

  private answer<T>(what: 'find' | 'list' | 'insert' | 'update', run: () => T): Promise<T> {
    return Promise.resolve().then(() => {
      const failure = this.failures.find((f) => f.what === what);
      if (failure !== undefined) throw failure.error;
      return run();
    });
  }
}

/** Promotions in memory, newest first, then by model name. */
export class InMemoryModelStore implements ModelStore {
  readonly rows: Row[] = [];

  list(filter: { readonly modelName?: string } = {}): Promise<MetadataRow[]> {
    const rows = this.rows.filter((r) => filter.modelName === undefined || same(r.MODEL_NAME, filter.modelName));
    return Promise.resolve(
      [...rows].sort(
        (a, b) =>
          String(b.PROMOTED_AT).localeCompare(String(a.PROMOTED_AT)) ||
          String(a.MODEL_NAME).localeCompare(String(b.MODEL_NAME)),
      ),
    );
  }

  insert(p: ModelPromotion): Promise<void> {
    this.rows.push({
      MODEL_NAME: p.modelName,
      JOB_NAME: p.jobName,
      ENDPOINT_NAME: p.endpointName,
      UDF_SCHEMA: p.udfSchema,
      PREDICTION_UDF: p.predictionUdf,
      SIGNATURE: p.signature,
      PROMOTED_AT: p.promotedAt,
      PROMOTED_BY: p.promotedBy ?? null,
    });
    return Promise.resolve();
  }
}

/**
 * All metadata tables of one schema in memory; pass as `stores` in a use case's deps.
 *
 * @example
 * const stores = new InMemoryMetadataStores({ jobs: [{ JOB_NAME: 'churn-260101000000', JOB_STATUS: 'Completed' }] });
 * await pollJob({ jobName: 'churn-260101000000' }, { ...deps, stores }, { metadataSchema: 'SME' });
 * stores.jobs.rows[0]?.JOB_STATUS;
 */
export class InMemoryMetadataStores implements MetadataStores {
  readonly jobs: InMemoryMetadataStore;
  readonly endpoints: InMemoryMetadataStore;
  readonly batchPredictions: InMemoryMetadataStore;
  readonly models = new InMemoryModelStore();

  constructor(seed: { readonly jobs?: readonly Row[]; readonly endpoints?: readonly Row[] } = {}) {
    this.jobs = new InMemoryMetadataStore(
      { label: 'the metadata table', key: 'JOB_NAME', newest: 'DATETIME', columns: METADATA_COLUMNS },
      seed.jobs,
    );
    this.endpoints = new InMemoryMetadataStore(
      { label: 'the endpoints table', key: 'ENDPOINT_NAME', newest: 'CREATED', columns: ENDPOINT_COLUMNS },
      seed.endpoints,
    );
    this.batchPredictions = new InMemoryMetadataStore({
      label: 'the batch predictions table',
      key: 'BATCH_PREDICTION_NAME',
      newest: 'CREATED',
      columns: BATCH_PREDICTION_COLUMNS,
    });
  }
}
