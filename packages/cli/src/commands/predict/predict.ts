import { readFile, writeFile } from 'node:fs/promises';
import { coreError, MAX_INVOKE_BYTES, parseColumnType, parseKeyColumns, splitKeyList, type SqlValue } from '@sme/core';
import { ExitCode, type ExitCodeValue } from '../../exit-codes.js';
import type { Output } from '../../output.js';
import { csvText, type View } from '../../view.js';
import type { ExasolSqlPort } from '@sme/exasol-adapter';
import type { SageMakerAdapters } from '@sme/sagemaker-adapter';
import { nodePorts, openAws, processRuntime, withExasol, type Runtime } from '../../runtime/session.js';
import { resolveCliSettings, type CliSettings } from '../../settings/settings.js';
import { requireEndpointsTable } from '../endpoint/endpoint-runtime.js';
import { openAwsForReaping, reapBeforeCommand, recordUseQuietly } from '../endpoint/reap-hook.js';
import { csvBatches, mapFileColumns, predictBatches, readCsvTable } from './predict-file.js';
import type { BatchPredictArgs } from './batch-options.js';
import type { PredictArgs } from './predict-args.js';
import {
  checkKeys,
  checkTableColumns,
  parseTableName,
  predictionSql,
  predictionUdfOf,
  type PredictionUdf,
} from './predict-table.js';
import { cliError } from '../../cli-error-codes.js';

/** Rows with their column names, whichever way they were predicted. */
export interface PredictedRows {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly SqlValue[])[];
  /** Exasol type text of each column where known (`--json` writes numbers of numeric columns as numbers). */
  readonly types?: readonly (string | undefined)[];
}

/**
 * The predictions as a view: `--output table` (PROBABILITY to 4 significant digits), `csv` (a header of the column
 * names; NULL empty, booleans TRUE/FALSE, numbers in full) and `json` (`{ endpoint, rows, predictions }`, numeric
 * columns as JSON numbers). `--output-file` writes the csv form.
 */
export function predictionView(result: PredictedRows, endpoint: string | undefined): View {
  const predictions = result.rows.map((row): Record<string, SqlValue> =>
    Object.fromEntries(result.columns.map((c, i) => [c, jsonValue(row[i], result.types?.[i])])),
  );
  return {
    columns: result.columns.map((c) => ({ field: c, header: c, kind: c === 'PROBABILITY' ? 'metric' : 'text' })),
    rows: predictions.map((p) =>
      Object.fromEntries(Object.entries(p).map(([c, v]) => [c, typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : v])),
    ),
    document: { endpoint, rows: result.rows.length, predictions },
  };
}

async function predictTable(
  args: PredictArgs,
  output: Output,
  runtime: Runtime,
  table: string,
): Promise<PredictedRows> {
  const settings = resolveCliSettings(args, runtime.env);
  const name = parseTableName(table);
  // The prediction runs in Exasol (the UDF calls SageMaker from there): AWS is opened here only to reap.
  const aws = await openAwsForReaping(settings, output, runtime);
  try {
    return await withExasol(settings, output, runtime, async (sql) => {
      const udf = await endpointInUse(sql, aws, settings, args, output, runtime);
      checkKeys(udf, keyNames(args), args.endpoint);
      await checkTableColumns(sql, name, [...(udf.keys ?? []), ...udf.features]);
      const statement = predictionSql(udf, name, args.limit);
      output.note(statement);
      const result = await sql.query(statement);
      return {
        columns: result.columns.map((c) => c.name),
        rows: result.rows,
        types: result.columns.map((c) => c.type),
      };
    });
  } finally {
    aws?.close();
  }
}

/**
 * The recorded prediction UDF of `--endpoint`; its use is recorded (its idle deadline moves on) before the idle
 * endpoints are reaped, so that the endpoint this command predicts with is not reaped under it. Without `aws`
 * (reaping off, or AWS not configured where only the UDF calls it) nothing is reaped.
 */
async function endpointInUse(
  sql: ExasolSqlPort,
  aws: SageMakerAdapters | undefined,
  settings: CliSettings,
  args: PredictArgs,
  output: Output,
  runtime: Runtime,
): Promise<PredictionUdf> {
  await requireEndpointsTable(sql, settings.schema, args.endpoint);
  const udf = await predictionUdfOf(sql, settings.schema, args.endpoint);
  await recordUseQuietly(sql, settings.schema, args.endpoint, output);
  if (aws !== undefined) {
    const { clock } = nodePorts(output, args.verbose);
    await reapBeforeCommand({ sql, endpoints: aws.endpoints, clock }, settings.schema, output, runtime.env);
  }
  return udf;
}

/** The `--key` columns as stored names (`id` → ID), or undefined without the flag. */
function keyNames(args: PredictArgs): string[] | undefined {
  if (args.key === undefined) return undefined;
  return parseKeyColumns(args.key.flatMap((k) => splitKeyList(k))).map((k) => k.name);
}

/**
 * A value as `--json` shows it: numbers of numeric columns as JSON numbers (Exasol hands DECIMALs with a scale over
 * as exact text; a file's values are text), unless a DECIMAL has more digits than a JSON number keeps exactly.
 */
export function jsonValue(value: SqlValue | undefined, type: string | undefined): SqlValue {
  if (typeof value !== 'string' || type === undefined) return value ?? null;
  const kind = parseColumnType(type).kind;
  if (kind !== 'decimal' && kind !== 'double') return value;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) return value;
  // A DOUBLE is a double whatever its text; a DECIMAL with more significant digits than a double holds stays text.
  if (kind === 'double') return n;
  const digits = value
    .replace(/[^0-9]/g, '')
    .replace(/^0+/, '')
    .replace(/0+$/, '').length;
  return digits <= 15 ? n : value;
}

async function predictFile(args: PredictArgs, output: Output, runtime: Runtime, file: string): Promise<PredictedRows> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause: unknown) {
    throw cliError(
      'SME-E-CLI-PREDICT-FILE',
      `--file '${file}' cannot be read (${(cause as { code?: string }).code ?? 'error'})`,
      { key: 'file', value: file.slice(0, 120), remedy: 'Give the path of a readable CSV file.' },
      cause,
    );
  }
  const table = readCsvTable(text, args.header, file);
  const settings = resolveCliSettings(args, runtime.env);
  const aws = await openAws(settings, output, runtime);
  try {
    // With a header, columns are matched by name against the model's features, which only the metadata knows;
    // without one they are taken in training order, as they stand (no Exasol needed, so nothing is reaped).
    const model = args.header
      ? await withExasol(settings, output, runtime, (sql) => endpointInUse(sql, aws, settings, args, output, runtime))
      : undefined;
    const mapping =
      model === undefined ? undefined : mapFileColumns(table.columns, model.features, keyNames(args) ?? [], file);
    const featureRows =
      mapping === undefined ? table.rows : table.rows.map((row) => mapping.features.map((i) => row[i] ?? ''));
    const batches = csvBatches(featureRows, { maxRows: args.batchRows, maxBytes: MAX_INVOKE_BYTES });
    // InvokeEndpoint on an endpoint that is not up answers with a vendor message; this one says what to do.
    const described = await aws.endpoints().describeEndpoint(args.endpoint);
    if (described.EndpointStatus !== 'InService') {
      throw coreError(
        'SME-E-ENDPOINT-NOT-IN-SERVICE',
        `endpoint '${args.endpoint}' is ${described.EndpointStatus}, not InService`,
        {
          key: 'endpoint',
          value: args.endpoint.slice(0, 80),
          remedy: `Wait for it with: sme endpoint status ${args.endpoint} --watch (if it Failed, delete and deploy again).`,
        },
      );
    }
    output.note(`${String(table.rows.length)} rows in ${String(batches.length)} requests to ${args.endpoint}`);
    const predictions = await predictBatches(batches, (body) => aws.inference().invoke(args.endpoint, body));
    const withProbability = predictions.some((p) => p.probability !== undefined);
    const keys = mapping?.keys ?? [];
    const featureNames = model?.features ?? table.columns;
    const types = model?.featureTypes;
    return {
      columns: [
        ...keys.map((k) => k.name),
        ...featureNames,
        'PREDICTIONS',
        ...(withProbability ? ['PROBABILITY'] : []),
      ],
      rows: featureRows.map((row, i) => {
        const p = predictions[i];
        const source = table.rows[i] ?? [];
        return [
          ...keys.map((k) => (source[k.index] ?? '') || null),
          ...row.map((v) => (v === '' ? null : v)),
          p?.label ?? null,
          ...(withProbability ? [p?.probability ?? null] : []),
        ];
      }),
      ...(types === undefined || types.length === 0
        ? {}
        : {
            types: [...keys.map(() => undefined), ...types, model?.targetType, ...(withProbability ? ['DOUBLE'] : [])],
          }),
    };
  } finally {
    aws.close();
  }
}

export async function run(
  args: PredictArgs & BatchPredictArgs,
  output: Output,
  runtime: Runtime = processRuntime(),
): Promise<ExitCodeValue> {
  if (args.batch === true) return (await import('./predict-batch.js')).runBatch(args, output, runtime);
  const predicted =
    args.file !== undefined
      ? await predictFile(args, output, runtime, args.file)
      : await predictTable(args, output, runtime, args.table ?? '');
  const view = predictionView(predicted, args.endpoint);
  const file = args.outputFile;
  if (file === undefined) output.show(view);
  else {
    await writeFile(file, csvText(view), 'utf8');
    const count = predicted.rows.length;
    output.result({ endpoint: args.endpoint, rows: count, outputFile: file }, () => {
      output.note(`wrote ${String(count)} rows to ${file}`);
    });
  }
  return ExitCode.Ok;
}
