import { predictionCallSql, quoteIdentifier, quoteLiteral } from '@sme/core';
import type { SqlRows, SqlValue } from '@sme/core';
import {
  createOutput,
  ExitCode,
  processRuntime,
  runDrop,
  runEndpointDelete,
  runEndpointDeploy,
  runEndpointStatus,
  type DemoArgs,
  type ExitCodeValue,
  type Output,
  type Runtime,
} from '@sme/cli/runners';
import { keepBlock, keepEnvironment } from './keep-block.js';
import { generateCustomers, SAMPLE_COLUMNS } from './sample-data.js';

/** What the demo needs of a live SQL connection (ExasolSqlPort has all of it). */
interface DemoSql {
  query(sql: string): Promise<SqlRows>;
  execute(sql: string): Promise<number>;
  insertRows(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<number>;
  close(): Promise<void>;
}

const SME_SCHEMA = 'SME';
const DATA_SCHEMA = 'DEMO';
const CONNECTION = 'SME_DEMO_S3';
const ENDPOINT = 'churn-demo-endpoint';
const HOLDOUT_ROWS = 1_000;

/** A value of a result row by column name (Exasol reports names upper case). */
function cell(rows: SqlRows, row: number, column: string): SqlValue | undefined {
  const index = rows.columns.findIndex((c) => c.name.toUpperCase() === column);
  return index < 0 ? undefined : rows.rows[row]?.[index];
}

function text(value: SqlValue | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

/** Progress on one line on a terminal, plain lines otherwise. */
class Progress {
  private last = '';
  constructor(
    private readonly output: Output,
    private readonly tty: boolean,
  ) {}
  update(line: string): void {
    if (line === this.last) return;
    this.last = line;
    if (this.output.json) return;
    if (this.tty) process.stderr.write(`\r\x1b[2K  ${line}`);
    else this.output.note(`  ${line}`);
  }
  done(): void {
    if (this.tty && !this.output.json && this.last) process.stderr.write('\n');
    this.last = '';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `sme demo`: the whole flow on the embedded sandbox, no Exasol or AWS needed. Starts the sandbox in-process,
 * creates a sample table, deploys sme, trains through EXECUTE SCRIPT exactly as the user guide shows, follows
 * the job, compares the best candidate with the baseline, deploys an endpoint, predicts from SQL and cleans up.
 */
export async function run(args: DemoArgs, output: Output): Promise<ExitCodeValue> {
  const started = Date.now();
  const tty = process.stderr.isTTY;
  const progress = new Progress(output, tty);
  const summary: Record<string, unknown> = {};
  const step = (title: string): void => {
    output.line(`\n▸ ${title}`);
  };
  const sql = (statement: string): void => {
    output.line(`  ${statement.replace(/\n/g, '\n  ')}`);
  };

  step('Starting the sandbox (Exasol-compatible server, S3, SageMaker-compatible AutoML service)');
  const { startAwsSandbox, startExasolSandbox } = await import('@sme/sandbox');
  const aws = await startAwsSandbox({ clockSpeed: 30, endpointCreatingSeconds: 30 });
  const exasol = await startExasolSandbox({
    s3Endpoint: aws.s3Endpoint,
    s3Region: aws.region,
    ...(args.lua ? { lua: args.lua } : {}),
  });
  // The sandbox password is its public default (printed by --keep); the AWS secret stays masked like any secret.
  output.addSecret(aws.credentials.secretAccessKey);
  output.line(
    `  Exasol ${exasol.url} (certificate ${exasol.fingerprint ?? 'none'}), SageMaker ${aws.sagemakerEndpoint}`,
  );

  const { connectExasol, ExasolDeployer } = await import('@sme/exasol-adapter');
  const db: DemoSql = await connectExasol(
    {
      host: exasol.host,
      port: exasol.port,
      user: exasol.user,
      password: exasol.password,
      ...(exasol.fingerprint ? { fingerprint: exasol.fingerprint } : { tls: false }),
    },
    {},
  );

  // The endpoint steps run the `sme` commands' own code against the sandbox: the runners get an injected runtime
  // whose AWS options are the sandbox's region, endpoints and credentials and whose environment holds only the
  // sandbox's password (the process's environment is not read, so nothing of the user's AWS or sme settings can
  // redirect the demo, and the demo changes none of it).
  const runtime: Runtime = {
    ...processRuntime(),
    env: { SME_PASSWORD: exasol.password },
    aws: {
      region: aws.region,
      endpointUrl: aws.sagemakerEndpoint,
      runtimeEndpointUrl: aws.sagemakerEndpoint,
      stsEndpointUrl: aws.sagemakerEndpoint,
      s3EndpointUrl: aws.s3Endpoint,
      credentials: {
        accessKeyId: aws.credentials.accessKeyId,
        secretAccessKey: aws.credentials.secretAccessKey,
      },
    },
  };
  const connection = {
    json: false,
    verbose: args.verbose,
    host: exasol.host,
    port: exasol.port,
    user: exasol.user,
    schema: SME_SCHEMA,
    ...(exasol.fingerprint ? { fingerprint: exasol.fingerprint } : { tls: false }),
  } as const;
  // The commands print as `sme` does, each with an output of its own (its secrets masked there: the sandbox's
  // password stays printable for --keep); with --json only the demo's one document goes to stdout.
  const commandOutput = output.json ? silentOutput() : createOutput(false);
  const sme = async (words: readonly string[], command: () => Promise<ExitCodeValue>): Promise<void> => {
    output.line(`  $ sme ${words.join(' ')}`);
    const code = await command();
    if (code !== ExitCode.Ok) throw new Error(`sme ${words.join(' ')} exited ${String(code)}`);
  };

  let keepRunning = false;
  try {
    const all = generateCustomers(args.rows + HOLDOUT_ROWS);
    const training = all.slice(0, args.rows);
    const holdout = all.slice(args.rows);
    step(
      `Creating ${DATA_SCHEMA}.CUSTOMERS (${training.length} rows) and ${DATA_SCHEMA}.CUSTOMERS_NEW (${holdout.length} rows)`,
    );
    await db.execute(`CREATE SCHEMA IF NOT EXISTS ${DATA_SCHEMA}`);
    const columnsDdl = SAMPLE_COLUMNS.map((c) => `${c.name} ${c.type}`).join(', ');
    for (const table of ['CUSTOMERS', 'CUSTOMERS_NEW']) {
      await db.execute(`CREATE OR REPLACE TABLE ${DATA_SCHEMA}.${table} (${columnsDdl})`);
    }
    const names = SAMPLE_COLUMNS.map((c) => c.name);
    await db.insertRows(`${DATA_SCHEMA}.CUSTOMERS`, names, training);
    await db.insertRows(`${DATA_SCHEMA}.CUSTOMERS_NEW`, names, holdout);

    step(`Deploying sme into schema ${SME_SCHEMA} (sme deploy)`);
    const { deploymentStatements } = await import('@sme/udf');
    const statements = deploymentStatements({
      schema: SME_SCHEMA,
      awsEndpointUrl: aws.sagemakerEndpoint,
      s3EndpointUrl: aws.s3Endpoint,
    });
    await new ExasolDeployer(db as never).deploy(statements);
    output.line(`  ${statements.length} statements: schema, metadata tables and scripts`);

    step('Creating the CONNECTION that holds the AWS credentials');
    const bucketUrl = `https://sme-sandbox.s3.${aws.region}.amazonaws.com`;
    sql(
      `CREATE OR REPLACE CONNECTION ${CONNECTION} TO '${bucketUrl}' USER '${aws.credentials.accessKeyId}' IDENTIFIED BY '****';`,
    );
    await db.execute(
      `CREATE OR REPLACE CONNECTION ${CONNECTION} TO ${quoteLiteral(bucketUrl)} USER ${quoteLiteral(aws.credentials.accessKeyId)} IDENTIFIED BY ${quoteLiteral(aws.credentials.secretAccessKey)}`,
    );

    step('Training with EXECUTE SCRIPT, as from any SQL client');
    const params = {
      model_name: 'churn',
      aws_credentials_connection_name: CONNECTION,
      aws_region: aws.region,
      iam_sagemaker_role: `arn:aws:iam::${aws.accountId}:role/SmeDemoSageMakerRole`,
      s3_bucket_uri: 's3://sme-sandbox',
      s3_output_path: 'sme-demo',
      input_schema_name: DATA_SCHEMA,
      input_table_or_view_name: 'CUSTOMERS',
      target_attribute_name: 'CHURNED',
      problem_type: 'BinaryClassification',
      objective: 'Accuracy',
      max_runtime_for_automl_job_in_seconds: 3600,
      max_candidates: 4,
      max_runtime_per_training_job_in_seconds: 600,
    };
    const keyWidth = Math.max(...Object.keys(params).map((k) => k.length)) + 2;
    const json = Object.entries(params)
      .map(([k, v]) => `    ${`"${k}"`.padEnd(keyWidth)}: ${JSON.stringify(v)}`)
      .join(',\n');
    const trainSql = `EXECUTE SCRIPT ${SME_SCHEMA}.SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT('{\n${json}\n}')`;
    sql(trainSql + ';');
    const trained = await db.query(trainSql);
    const jobName = text(cell(trained, 0, 'JOB_NAME'));
    output.line(`  → job ${jobName} (${text(cell(trained, 0, 'JOB_STATUS'))})`);
    summary['jobName'] = jobName;

    step('Following the job');
    const pollSql = `EXECUTE SCRIPT ${SME_SCHEMA}.SME_POLL_SAGEMAKER_AUTOPILOT_JOB_STATUS(${quoteLiteral(jobName)}, ${quoteLiteral(CONNECTION)}, ${quoteLiteral(aws.region)})`;
    sql(pollSql + ';');
    let status = '';
    const trainStart = Date.now();
    for (;;) {
      const polled = await db.query(pollSql);
      status = text(polled.rows[0]?.[0] ?? null);
      const secondary = text(polled.rows[0]?.[1] ?? null);
      progress.update(`${status} / ${secondary}  (${((Date.now() - trainStart) / 1000).toFixed(0)} s)`);
      if (status !== 'InProgress' && status !== 'Stopping') break;
      await sleep(500);
    }
    progress.done();
    if (status !== 'Completed') throw new Error(`the demo job ended ${status}`);

    const meta = await db.query(
      `SELECT BEST_CANDIDATE_NAME, BEST_METRIC_NAME, BEST_METRIC_VALUE FROM ${SME_SCHEMA}.SME_METADATA_AUTOPILOT_JOBS WHERE JOB_NAME = ${quoteLiteral(jobName)}`,
    );
    const metricName = text(cell(meta, 0, 'BEST_METRIC_NAME'));
    const metricValue = Number(cell(meta, 0, 'BEST_METRIC_VALUE'));
    const churners = training.filter((r) => r[6] === 'yes').length;
    const baseline = Math.max(churners, training.length - churners) / training.length;
    output.line(
      `  best candidate ${text(cell(meta, 0, 'BEST_CANDIDATE_NAME'))}: ${metricName} ${metricValue.toFixed(3)} ` +
        `(baseline, always predicting the majority class: ${baseline.toFixed(3)})`,
    );
    summary['bestMetric'] = { name: metricName, value: metricValue, baseline };

    step('Deploying an endpoint with the CLI (it returns at once; the endpoint comes up in the background)');
    await sme(['endpoint', 'deploy', jobName, '--endpoint-name', ENDPOINT, '--udf-schema', DATA_SCHEMA], () =>
      runEndpointDeploy(
        {
          ...connection,
          job: jobName,
          endpointName: ENDPOINT,
          udfSchema: DATA_SCHEMA,
          instanceType: 'ml.m5.large',
          instanceCount: 1,
        },
        commandOutput,
        runtime,
      ),
    );
    await sme(['endpoint', 'status', ENDPOINT, '--watch', '--poll-interval', '0.5'], () =>
      runEndpointStatus({ ...connection, endpoint: ENDPOINT, watch: true, pollInterval: 0.5 }, commandOutput, runtime),
    );

    step('Predicting from SQL with the generated UDF');
    const udfRows = await db.query(
      `SELECT UDF_SCHEMA, PREDICTION_UDF FROM ${SME_SCHEMA}.SME_METADATA_AUTOPILOT_ENDPOINTS WHERE ENDPOINT_NAME = ${quoteLiteral(ENDPOINT)}`,
    );
    const udf = `${quoteIdentifier(text(udfRows.rows[0]?.[0] ?? DATA_SCHEMA))}.${quoteIdentifier(text(udfRows.rows[0]?.[1] ?? ENDPOINT))}`;
    const features = names.filter((n) => n !== 'CHURNED');
    // Grouped so that every node and 4 instances per node score at once (docs/sql-reference.md).
    const predictSql = predictionCallSql(udf, features, `${DATA_SCHEMA}.CUSTOMERS_NEW`);
    sql(predictSql + ';');
    const predicted = await db.query(predictSql);
    const truth = new Map(holdout.map((r) => [featureKey(r.slice(0, 6)), r[6]]));
    let correct = 0;
    const shown: string[][] = [];
    predicted.rows.forEach((row, i) => {
      const label = text(cell(predicted, i, 'PREDICTIONS'));
      const actual = truth.get(featureKey(row.slice(0, 6))) ?? '?';
      if (label === actual) correct++;
      if (shown.length < 8) {
        shown.push([...row.slice(0, 6).map(text), label, Number(cell(predicted, i, 'PROBABILITY')).toFixed(2), actual]);
      }
    });
    const header = [...features, 'PREDICTIONS', 'PROBABILITY', 'TRUE CHURNED'];
    printTable(output, header, shown);
    const accuracy = correct / Math.max(1, predicted.rows.length);
    output.line(
      `  accuracy on ${predicted.rows.length} new customers: ${accuracy.toFixed(3)} (baseline ${baseline.toFixed(3)})`,
    );
    summary['prediction'] = { rows: predicted.rows.length, accuracy };

    if (args.keep) {
      keepRunning = true;
      const dsn = `${exasol.host}/${exasol.fingerprint ?? 'nocertcheck'}:${exasol.port}`;
      const coordinates = {
        dsn,
        user: exasol.user,
        password: exasol.password,
        schema: SME_SCHEMA,
        region: aws.region,
        accessKeyId: aws.credentials.accessKeyId,
        secretAccessKey: aws.credentials.secretAccessKey,
        sagemakerEndpoint: aws.sagemakerEndpoint,
        s3Endpoint: aws.s3Endpoint,
      };
      step('The sandbox keeps running (--keep); paste these lines into another shell to use it with sme:');
      // Written past the output's secret mask on purpose: the sandbox's stand-in keys and public default password
      // work against this sandbox only, and the block must work when pasted.
      if (!output.json) process.stdout.write(keepBlock(coordinates).join('\n') + '\n');
      output.line('  Press Ctrl-C to stop.');
      summary['sandbox'] = { dsn, user: exasol.user, environment: keepEnvironment(coordinates) };
    } else {
      step('Cleaning up: the endpoint, then the job and its S3 data (like DROP MODEL)');
      await sme(['endpoint', 'delete', ENDPOINT, '--yes'], () =>
        runEndpointDelete({ ...connection, endpoint: ENDPOINT, yes: true }, commandOutput, runtime),
      );
      await sme(['drop', jobName, '--yes'], () =>
        runDrop({ ...connection, job: jobName, dryRun: false, yes: true }, commandOutput, runtime),
      );
    }
    summary['seconds'] = Math.round((Date.now() - started) / 100) / 10;
    output.result(summary, () => {
      output.line(`\n✔ demo finished in ${String(summary['seconds'])} s`);
    });
  } finally {
    progress.done();
    await db.close();
    if (keepRunning) {
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
    }
    await exasol.stop();
    await aws.stop();
  }
  return ExitCode.Ok;
}

/** An output that prints nothing (the commands' own results while the demo prints one JSON document). */
function silentOutput(): Output {
  const discard = { write: () => true };
  return createOutput(true, { stdout: discard, stderr: discard });
}

function featureKey(values: readonly (SqlValue | undefined)[]): string {
  return values.map((v) => (typeof v === 'number' ? String(v) : text(v ?? null))).join('\u0001');
}

function printTable(output: Output, header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => '  ' + cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  output.line(line(header));
  for (const row of rows) output.line(line(row));
}
