import { readFile, writeFile } from 'node:fs/promises';
import { coreError, csvField, MAX_INVOKE_BYTES, SmeError, type SqlValue } from '@sme/core';
import { ExitCode, type ExitCodeValue } from '../../exit-codes.js';
import type { Output } from '../../output.js';
import { openAws, processRuntime, withExasol, type Runtime } from '../../runtime/session.js';
import { resolveCliSettings } from '../../settings/settings.js';
import { requireEndpointsTable } from '../endpoint/endpoint-runtime.js';
import { csvBatches, predictBatches, readCsvTable } from './predict-file.js';
import type { BatchPredictArgs } from './batch-options.js';
import type { PredictArgs } from './predict-args.js';
import { checkTableColumns, parseTableName, predictionSql, predictionUdfOf } from './predict-table.js';

/** Rows with their column names, whichever way they were predicted. */
export interface PredictedRows {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly SqlValue[])[];
}

function cellText(value: SqlValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return String(value);
}

/** RFC 4180 CSV with a header line; NULL is the empty field. */
export function toCsv(result: PredictedRows): string {
  const line = (cells: readonly (SqlValue | undefined)[]): string => cells.map((c) => csvField(cellText(c))).join(',');
  return [line(result.columns), ...result.rows.map(line)].join('\n') + '\n';
}

async function predictTable(
  args: PredictArgs,
  output: Output,
  runtime: Runtime,
  table: string,
): Promise<PredictedRows> {
  const settings = resolveCliSettings(args, runtime.env);
  const name = parseTableName(table);
  return withExasol(settings, output, runtime, async (sql) => {
    await requireEndpointsTable(sql, settings.schema, args.endpoint);
    const udf = await predictionUdfOf(sql, settings.schema, args.endpoint);
    await checkTableColumns(sql, name, udf.features);
    const statement = predictionSql(udf, name, args.limit);
    output.note(statement);
    const result = await sql.query(statement);
    return { columns: result.columns.map((c) => c.name), rows: result.rows };
  });
}

async function predictFile(args: PredictArgs, output: Output, runtime: Runtime, file: string): Promise<PredictedRows> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause: unknown) {
    throw new SmeError(
      'SME-E-CLI-PREDICT-FILE',
      'InvalidInput',
      `--file '${file}' cannot be read (${(cause as { code?: string }).code ?? 'error'})`,
      { key: 'file', value: file.slice(0, 120), remedy: 'Give the path of a readable CSV file.' },
      cause,
    );
  }
  const table = readCsvTable(text, args.header, file);
  const batches = csvBatches(table.rows, { maxRows: args.batchRows, maxBytes: MAX_INVOKE_BYTES });
  const settings = resolveCliSettings(args, runtime.env);
  const aws = await openAws(settings, output, runtime);
  try {
    // InvokeEndpoint on an endpoint that is not up answers with a vendor message; this one says what to do.
    const described = await aws.endpoints.describeEndpoint(args.endpoint);
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
    const predictions = await predictBatches(batches, (body) => aws.inference.invoke(args.endpoint, body));
    const withProbability = predictions.some((p) => p.probability !== undefined);
    return {
      columns: [...table.columns, 'PREDICTIONS', ...(withProbability ? ['PROBABILITY'] : [])],
      rows: table.rows.map((row, i) => {
        const p = predictions[i];
        return [
          ...row.map((v) => (v === '' ? null : v)),
          p?.label ?? null,
          ...(withProbability ? [p?.probability ?? null] : []),
        ];
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
  const csv = toCsv(predicted);
  if (args.output !== undefined) await writeFile(args.output, csv, 'utf8');
  const count = predicted.rows.length;
  output.result(
    args.output !== undefined
      ? { endpoint: args.endpoint, rows: count, output: args.output }
      : {
          endpoint: args.endpoint,
          rows: count,
          predictions: predicted.rows.map((row) => Object.fromEntries(predicted.columns.map((c, i) => [c, row[i]]))),
        },
    () => {
      if (args.output === undefined) output.line(csv.slice(0, -1));
      else output.note(`wrote ${String(count)} rows to ${args.output}`);
    },
  );
  return ExitCode.Ok;
}
