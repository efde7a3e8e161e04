import { stripVTControlCharacters } from 'node:util';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { SmeError, type JobListEntry } from '@sme/core';
import { filterJobs } from './commands/jobs/jobs.js';
import { predictionView } from './commands/predict/predict.js';
import { createOutput, type OutputOptions } from './output.js';
import { outputFormatOf } from './options/output-options.js';
import { colourEnabled, localTime, shortMetric, timeMillis, type OutputFormat, type View } from './view.js';
import {
  candidatesView,
  describeView,
  doctorView,
  endpointListView,
  endpointStatusView,
  evaluateView,
  explainView,
  jobsView,
  modelsView,
  statusView,
} from './views.js';

/** 2026-12-01T23:57:20.701Z, as epoch ms and as Exasol returns the same instant (UTC, no zone). */
const CREATED_MS = Date.UTC(2026, 11, 1, 23, 57, 20, 701);
const CREATED_EXASOL = '2026-12-01 23:57:20.701000';
const CREATED_ISO = '2026-12-01T23:57:20.701Z';
const METRIC = 0.8754863813229572;

function printed(view: View, options: OutputOptions & { tty?: boolean } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const output = createOutput(options, {
    stdout: { write: (t: string) => out.push(t), isTTY: options.tty === true },
    stderr: { write: (t: string) => err.push(t), isTTY: options.tty === true },
  });
  output.show(view);
  return { stdout: out.join(''), stderr: err.join('') };
}

interface Case {
  readonly command: string;
  readonly view: View;
  /** The JSON field names (listing: of each row; record: of the document) and the CSV header. */
  readonly fields: readonly string[];
  readonly tableHeader: RegExp;
  /** Whether json is one object (a record command) rather than an array. */
  readonly single: boolean;
  /** A field that holds a metric (json full precision; table 4 significant digits), if the command has one. */
  readonly metricField?: string;
  /** A field that holds a time (json ISO-8601 UTC; table local time), if the command has one. */
  readonly timeField?: string;
  /** A field that holds a count or a duration: a JSON number, not a string. */
  readonly numberField?: string;
}

const cases: Case[] = [
  {
    command: 'jobs',
    view: jobsView([
      {
        jobName: 'churn-261201235720',
        createdAt: CREATED_EXASOL,
        recordedStatus: 'InProgress',
        status: 'Completed',
        secondaryStatus: 'Completed',
        metadata: { BEST_METRIC_NAME: 'F1', BEST_METRIC_VALUE: String(METRIC) },
      },
    ]),
    fields: ['jobName', 'status', 'secondaryStatus', 'creationTime', 'bestMetricName', 'bestMetricValue'],
    tableHeader: /^JOB\s+STATUS\s+SECONDARY\s+CREATED\s+METRIC\s+VALUE\s+DROPPED\s+ERROR$/,
    single: false,
    metricField: 'bestMetricValue',
    timeField: 'creationTime',
  },
  {
    command: 'status',
    view: statusView(
      {
        jobName: 'churn-261201235720',
        status: 'Completed',
        secondaryStatus: 'Completed',
        terminal: true,
        bestMetricName: 'F1',
        bestMetricValue: METRIC,
        recorded: true,
        creationTime: CREATED_MS,
      },
      65_000,
    ),
    fields: ['jobName', 'status', 'secondaryStatus', 'creationTime', 'elapsedMs', 'bestMetricName', 'bestMetricValue'],
    tableHeader: /^JOB\s+STATUS\s+SECONDARY\s+CREATED\s+ELAPSED\s+METRIC\s+VALUE\s+FAILURE REASON\s+DROPPED$/,
    numberField: 'elapsedMs',
    single: true,
    metricField: 'bestMetricValue',
    timeField: 'creationTime',
  },
  {
    command: 'describe',
    view: describeView(
      {
        jobName: 'churn-261201235720',
        jobArn: 'arn:aws:sagemaker:eu-central-1:123456789012:automl-job/churn-261201235720',
        status: 'Completed',
        secondaryStatus: 'Completed',
        terminal: true,
        bestCandidateName: 'churn-best',
        bestMetricName: 'F1',
        bestMetricValue: METRIC,
        recorded: true,
        creationTime: CREATED_MS,
        endTime: CREATED_MS + 3_600_000,
        metadata: { PROBLEM_TYPE: 'BinaryClassification', MAX_CANDIDATES: '5' },
        artifacts: { outputPath: 's3://b/out/', modelDataUrls: ['s3://b/out/model.tar.gz'] },
      },
      CREATED_MS + 7_200_000,
    ),
    fields: ['jobName', 'jobArn', 'status', 'secondaryStatus', 'creationTime', 'endTime', 'bestMetricValue'],
    tableHeader: /^FIELD\s+VALUE$/,
    single: true,
    metricField: 'bestMetricValue',
    timeField: 'creationTime',
  },
  {
    command: 'endpoint status',
    view: endpointStatusView(
      { endpointName: 'churn-ep', status: 'InService', creationTime: CREATED_MS, recorded: true },
      3_725_000,
    ),
    fields: ['endpointName', 'status', 'creationTime', 'runningMillis'],
    tableHeader:
      /^ENDPOINT\s+STATUS\s+CREATED\s+RUNNING\s+COUNT\s+INSTANCE TYPE\s+SERVERLESS MB\s+MAX CONCURRENCY\s+IDLE DEADLINE\s+FAILURE REASON$/,
    numberField: 'runningMillis',
    single: true,
    timeField: 'creationTime',
  },
  {
    command: 'endpoint list',
    view: endpointListView([
      {
        endpointName: 'churn-ep',
        jobName: 'churn-261201235720',
        instanceType: 'ml.m5.large',
        instanceCount: 2,
        createdAt: CREATED_EXASOL,
        status: 'InService',
        runningMillis: 3_725_000,
        tracked: true,
      },
    ]),
    fields: ['endpointName', 'status', 'runningMillis', 'instanceCount', 'instanceType', 'jobName', 'tracked'],
    tableHeader:
      /^ENDPOINT\s+STATUS\s+RUNNING\s+COUNT\s+INSTANCE TYPE\s+JOB\s+IDLE DEADLINE\s+TRACKED\s+CREATED\s+ERROR$/,
    numberField: 'instanceCount',
    single: false,
    timeField: 'creationTime',
  },
  {
    command: 'candidates',
    view: candidatesView({
      jobName: 'churn-261201235720',
      jobStatus: 'Completed',
      candidates: [
        {
          candidateName: 'churn-best',
          rank: 1,
          objectiveMetric: 'F1',
          objectiveValue: METRIC,
          candidateStatus: 'Completed',
          algorithm: 'xgboost',
          trainingSeconds: 42,
          isBest: true,
          creationTime: CREATED_MS,
        },
      ],
      warnings: [],
      cached: false,
    }),
    fields: ['rank', 'candidateName', 'algorithm', 'objectiveMetric', 'objectiveValue', 'candidateStatus', 'isBest'],
    tableHeader: /^RANK\s+CANDIDATE\s+ALGORITHM\s+OBJECTIVE\s+VALUE\s+STATUS\s+SECONDS\s+BEST\s+CREATED$/,
    numberField: 'rank',
    single: false,
    metricField: 'objectiveValue',
    timeField: 'creationTime',
  },
  {
    command: 'evaluate',
    view: evaluateView({
      jobName: 'churn-261201235720',
      candidateName: 'churn-best',
      metrics: [{ metricName: 'accuracy', value: METRIC, set: 'validation' }],
      baseline: [{ metricName: 'accuracy', value: 0.5, set: 'validation' }],
      source: 'report',
      warnings: [],
      cached: false,
    }),
    fields: ['metricName', 'value', 'baseline', 'set'],
    tableHeader: /^METRIC\s+VALUE\s+BASELINE\s+SET$/,
    single: false,
    metricField: 'value',
  },
  {
    command: 'explain',
    view: explainView({
      jobName: 'churn-261201235720',
      candidateName: 'churn-best',
      features: [{ feature: 'TENURE', importance: METRIC, rank: 1 }],
      warnings: [],
      cached: false,
    }),
    fields: ['rank', 'feature', 'importance'],
    tableHeader: /^RANK\s+FEATURE\s+IMPORTANCE$/,
    numberField: 'rank',
    single: false,
    metricField: 'importance',
  },
  {
    command: 'models',
    view: modelsView([
      {
        modelName: 'churn',
        jobName: 'churn-261201235720',
        endpointName: 'churn-ep',
        predictionUdf: 'PREDICT_CHURN',
        promotedAt: CREATED_EXASOL,
        promotedBy: 'ANALYST',
        promotions: 2,
      },
    ]),
    fields: ['modelName', 'jobName', 'endpointName', 'predictionUdf', 'promotedAt', 'promotedBy', 'promotions'],
    tableHeader: /^MODEL\s+JOB\s+ENDPOINT\s+UDF\s+PROMOTED\s+BY\s+PROMOTIONS$/,
    numberField: 'promotions',
    single: false,
    timeField: 'promotedAt',
  },
  {
    command: 'doctor',
    view: doctorView([{ name: 'exasol', status: 'pass', detail: 'connected', fix: null }]),
    fields: ['status', 'name', 'detail', 'fix'],
    tableHeader: /^STATUS\s+CHECK\s+DETAIL\s+FIX$/,
    single: false,
  },
  {
    command: 'predict',
    view: predictionView(
      {
        columns: ['CUSTOMER_ID', 'USAGE', 'PREDICTIONS', 'PROBABILITY'],
        rows: [['42', '3.50', 'yes', METRIC]],
        types: ['DECIMAL(9,0)', 'DECIMAL(9,2)'],
      },
      'churn-ep',
    ),
    fields: ['CUSTOMER_ID', 'USAGE', 'PREDICTIONS', 'PROBABILITY'],
    tableHeader: /^CUSTOMER_ID\s+USAGE\s+PREDICTIONS\s+PROBABILITY$/,
    single: false,
    metricField: 'PROBABILITY',
    numberField: 'CUSTOMER_ID',
  },
];

/** The rows of a command's JSON document (candidates, evaluate, explain, doctor and predict nest them). */
function jsonRowsOf(command: string, document: unknown): Record<string, unknown>[] {
  const d = document as Record<string, unknown>;
  if (command === 'candidates') return d.candidates as Record<string, unknown>[];
  if (command === 'evaluate') return d.metrics as Record<string, unknown>[];
  if (command === 'explain') return d.features as Record<string, unknown>[];
  if (command === 'doctor') return d.checks as Record<string, unknown>[];
  if (command === 'predict') return d.predictions as Record<string, unknown>[];
  return Array.isArray(document) ? (document as Record<string, unknown>[]) : [d];
}

describe.each(cases)('sme $command', (c) => {
  it('json: the field names, numbers as JSON numbers, metrics in full, times ISO-8601 UTC', () => {
    const document = JSON.parse(printed(c.view, { format: 'json' }).stdout) as unknown;
    expect(Array.isArray(document)).toBe(!c.single && jsonRowsOf(c.command, document) === document);
    const [row] = jsonRowsOf(c.command, document);
    const jsonFields = c.command === 'evaluate' ? c.fields.filter((f) => f !== 'baseline') : c.fields;
    for (const field of jsonFields) {
      if (field !== 'fix') expect(row, field).toHaveProperty(field);
    }
    if (c.metricField !== undefined) expect(row?.[c.metricField]).toBe(METRIC);
    if (c.timeField !== undefined) expect(row?.[c.timeField]).toBe(CREATED_ISO);
    if (c.numberField !== undefined) expect(typeof row?.[c.numberField], c.numberField).toBe('number');
  });

  it('csv: a header of the field names, metrics in full, times ISO-8601 UTC', () => {
    const text = printed(c.view, { format: 'csv' }).stdout;
    const records: Record<string, string>[] = parse(text, { columns: true });
    expect(records).toHaveLength(1);
    expect(Object.keys(records[0] ?? {})).toEqual(expect.arrayContaining([...c.fields]));
    if (c.metricField !== undefined) expect(Number(records[0]?.[c.metricField])).toBe(METRIC);
    if (c.timeField !== undefined) expect(records[0]?.[c.timeField]).toBe(CREATED_ISO);
  });

  it('table: a header, metrics to 4 significant digits, local times, no colour when piped', () => {
    const { stdout } = printed(c.view, { format: 'table' });
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(c.tableHeader);
    if (c.metricField !== undefined) {
      expect(stdout).toContain('0.8755');
      expect(stdout).not.toContain('0.87548');
    }
    if (c.timeField !== undefined) {
      expect(stdout).toContain(localTime(CREATED_MS));
      expect(stdout).not.toContain(CREATED_ISO);
    }
    expect(stdout).not.toContain('\u001b[');
  });
});

describe('sme endpoint status shows what the endpoint runs on', () => {
  const serverless = endpointStatusView(
    {
      endpointName: 'churn-sl',
      status: 'InService',
      creationTime: CREATED_MS,
      recorded: true,
      serverlessMemoryMb: 2048,
      serverlessMaxConcurrency: 5,
      idleDeadline: CREATED_EXASOL,
    },
    60_000,
  );
  const instances = endpointStatusView(
    {
      endpointName: 'churn-ep',
      status: 'InService',
      creationTime: CREATED_MS,
      recorded: true,
      instanceType: 'ml.m5.large',
      instanceCount: 2,
    },
    60_000,
  );

  it('json: serverless memory and concurrency as numbers, the idle deadline as ISO-8601 UTC', () => {
    const document = JSON.parse(printed(serverless, { format: 'json' }).stdout) as Record<string, unknown>;
    expect(document).toMatchObject({
      serverlessMemoryMb: 2048,
      serverlessMaxConcurrency: 5,
      idleDeadline: CREATED_ISO,
    });
    expect(document).not.toHaveProperty('instanceType');
    const onInstances = JSON.parse(printed(instances, { format: 'json' }).stdout) as Record<string, unknown>;
    expect(onInstances).toMatchObject({ instanceType: 'ml.m5.large', instanceCount: 2 });
    expect(onInstances).not.toHaveProperty('serverlessMemoryMb');
  });

  it('csv: the same fields, empty where they do not apply', () => {
    const [record] = parse<Record<string, string>>(printed(serverless, { format: 'csv' }).stdout, { columns: true });
    expect(record).toMatchObject({
      instanceCount: '',
      instanceType: '',
      serverlessMemoryMb: '2048',
      serverlessMaxConcurrency: '5',
      idleDeadline: CREATED_ISO,
    });
    const [other] = parse<Record<string, string>>(printed(instances, { format: 'csv' }).stdout, { columns: true });
    expect(other).toMatchObject({ instanceCount: '2', instanceType: 'ml.m5.large', serverlessMemoryMb: '' });
  });

  it('table: memory and concurrency under their headers', () => {
    const [header, line] = printed(serverless, { format: 'table' }).stdout.trimEnd().split('\n');
    const at = (text: string) => header?.indexOf(text) ?? -1;
    expect(line?.slice(at('SERVERLESS MB')).trimStart()).toMatch(/^2048\s+5\s+/);
    expect(line).toContain(localTime(CREATED_MS));
    const [, instanceLine] = printed(instances, { format: 'table' }).stdout.trimEnd().split('\n');
    expect(instanceLine).toMatch(/\s2\s+ml\.m5\.large(\s|$)/);
  });
});

describe('formats', () => {
  it('reads Exasol timestamps as UTC and prints local times as YYYY-MM-DD HH:MM:SS', () => {
    expect(timeMillis(CREATED_EXASOL)).toBe(CREATED_MS);
    expect(timeMillis(CREATED_ISO)).toBe(CREATED_MS);
    const d = new Date(CREATED_MS);
    const two = (n: number) => String(n).padStart(2, '0');
    expect(localTime(CREATED_MS)).toBe(
      `${String(d.getFullYear())}-${two(d.getMonth() + 1)}-${two(d.getDate())} ` +
        `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`,
    );
  });

  it('describe --output json prints the metadata row’s TIMESTAMP columns ISO-8601 UTC too', () => {
    const view = describeView(
      {
        jobName: 'churn-261201235720',
        jobArn: 'arn:aws:sagemaker:eu-central-1:123456789012:automl-job/churn-261201235720',
        status: 'Completed',
        secondaryStatus: 'Completed',
        terminal: true,
        recorded: true,
        creationTime: CREATED_MS,
        metadata: { DATETIME: CREATED_EXASOL, LAST_STATUS_UPDATE: CREATED_EXASOL, DROPPED_AT: null, JOB_NAME: 'x' },
        artifacts: { modelDataUrls: [] },
      },
      CREATED_MS,
    );
    const document = JSON.parse(printed(view, { format: 'json' }).stdout) as { metadata: Record<string, unknown> };
    expect(document.metadata).toEqual({
      DATETIME: CREATED_ISO,
      LAST_STATUS_UPDATE: CREATED_ISO,
      DROPPED_AT: null,
      JOB_NAME: 'x',
    });
  });

  it.each([
    [0.8754863813229572, '0.8755'],
    [0.937, '0.937'],
    [1234.5678, '1235'],
    [0.00012346, '0.0001235'],
    ['0.5', '0.5'],
  ])('a metric %s shows as %s in tables', (value, shown) => {
    expect(shortMetric(value)).toBe(shown);
  });

  it('csv quotes cells with commas, quotes and line breaks', () => {
    const view = doctorView([{ name: 'a,b', status: 'fail', detail: 'say "hi"\nthere', fix: 'x' }]);
    const records: Record<string, string>[] = parse(printed(view, { format: 'csv' }).stdout, { columns: true });
    const [record] = records;
    expect(record).toEqual({ status: 'fail', name: 'a,b', detail: 'say "hi"\nthere', fix: 'x' });
  });

  it('an empty listing is still a header in tables and csv, and [] in json', () => {
    expect(printed(jobsView([]), { format: 'table' }).stdout).toMatch(/^JOB\s+STATUS/);
    expect(printed(jobsView([]), { format: 'csv' }).stdout.trim()).toBe(
      'jobName,status,secondaryStatus,creationTime,bestMetricName,bestMetricValue,droppedAt,error',
    );
    expect(JSON.parse(printed(jobsView([]), { format: 'json' }).stdout)).toEqual([]);
  });
});

describe('colour', () => {
  const view = jobsView([{ jobName: 'j', status: 'Failed', secondaryStatus: 'Failed', metadata: {} }]);

  it.each<[string, Record<string, string>, boolean, boolean]>([
    ['a terminal', {}, true, true],
    ['a pipe', {}, false, false],
    ['NO_COLOR on a terminal', { NO_COLOR: '1' }, true, false],
    ['FORCE_COLOR into a pipe', { FORCE_COLOR: '1' }, false, true],
    ['FORCE_COLOR=0 on a terminal', { FORCE_COLOR: '0' }, true, false],
  ])('%s: colour %s', (_name, env, tty, coloured) => {
    expect(colourEnabled(env, tty)).toBe(coloured);
    const { stdout } = printed(view, { format: 'table', env, tty });
    expect(stdout.includes('\u001b[31mFailed')).toBe(coloured);
    // Columns stay aligned: the escape codes do not count as width.
    expect(stripVTControlCharacters(stdout)).toMatch(/\nj {4}Failed {2}Failed\n/);
  });

  it('colours error codes on a terminal only; json and csv carry no escape codes', () => {
    const err: string[] = [];
    const streams = (tty: boolean) => ({
      stdout: { write: () => true, isTTY: tty },
      stderr: { write: (t: string) => err.push(t), isTTY: tty },
    });
    const error = new SmeError('SME-E-X', 'InvalidInput', 'bad');
    createOutput({ env: {} }, streams(true)).error(error, false);
    expect(err.join('')).toContain('\u001b[31merror SME-E-X\u001b[39m: bad');
    err.length = 0;
    createOutput({ env: {} }, streams(false)).error(error, false);
    expect(err.join('')).toContain('error SME-E-X: bad');
    expect(err.join('')).not.toContain('\u001b[');
    for (const format of ['json', 'csv'] as OutputFormat[]) {
      expect(printed(view, { format, env: { FORCE_COLOR: '1' } }).stdout).not.toContain('\u001b[');
    }
  });
});

describe('the default format', () => {
  it.each<[string, { json: boolean; output?: string }, boolean | undefined, OutputFormat]>([
    ['a terminal', { json: false }, true, 'table'],
    ['a pipe', { json: false }, false, 'csv'],
    ['no stdout stream at all', { json: false }, undefined, 'csv'],
    ['--json into a pipe', { json: true }, false, 'json'],
    ['--json on a terminal', { json: true }, true, 'json'],
    ['--output table into a pipe', { json: false, output: 'table' }, false, 'table'],
    ['--output CSV on a terminal', { json: false, output: 'CSV' }, true, 'csv'],
  ])('%s prints %4$s', (_name, args, tty, format) => {
    expect(outputFormatOf(args, tty)).toBe(format);
  });
});

describe('dropped jobs', () => {
  const DROPPED = '2026-12-02 10:00:00.000000';
  const entry = (jobName: string, extra: Partial<JobListEntry> = {}): JobListEntry => ({
    jobName,
    recordedStatus: 'Completed',
    status: 'Completed',
    metadata: {},
    ...extra,
  });

  it('show as Dropped in jobs, status and describe, in every format, with when', () => {
    const listed = jobsView([entry('churn-261201000000', { droppedAt: DROPPED, status: undefined })]);
    const poll = {
      jobName: 'churn-261201000000',
      status: 'Completed' as const,
      secondaryStatus: 'Completed' as const,
      terminal: true,
      recorded: true,
      droppedAt: DROPPED,
      creationTime: CREATED_MS,
    };
    const views = [
      listed,
      statusView(poll, 1000),
      describeView({ ...poll, jobArn: 'arn', artifacts: { modelDataUrls: [] } }, CREATED_MS),
    ];
    for (const view of views) {
      expect(printed(view, { format: 'table' }).stdout).toMatch(/^(churn-261201000000|status) +Dropped( |$)/m);
      const json = JSON.parse(printed(view, { format: 'json' }).stdout) as Record<string, unknown>;
      const row = (Array.isArray(json) ? json[0] : json) as Record<string, unknown>;
      expect(row.status).toBe('Dropped');
      expect(row.droppedAt).toBe('2026-12-02T10:00:00.000Z');
      const [record] = parse<Record<string, string>>(printed(view, { format: 'csv' }).stdout, { columns: true });
      expect(record?.status).toBe('Dropped');
    }
  });

  it('--model matches the model exactly and --status Dropped finds dropped jobs', () => {
    const jobs = [
      entry('churn-261203000000'),
      entry('churn2-261202000000'),
      entry('churn-261201000000', { droppedAt: DROPPED }),
      entry('churner'),
    ];
    expect(filterJobs(jobs, { model: 'churn' }).map((j) => j.jobName)).toEqual([
      'churn-261203000000',
      'churn-261201000000',
    ]);
    expect(filterJobs(jobs, { model: 'churn2' }).map((j) => j.jobName)).toEqual(['churn2-261202000000']);
    expect(filterJobs(jobs, { status: 'Dropped' }).map((j) => j.jobName)).toEqual(['churn-261201000000']);
    expect(filterJobs(jobs, { status: 'Completed', model: 'churn' }).map((j) => j.jobName)).toEqual([
      'churn-261203000000',
    ]);
  });
});
