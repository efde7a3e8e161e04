import { describeJob, type JobDetails } from '@sme/core';
import { ExitCode, type ExitCodeValue } from '../../exit-codes.js';
import type { Output } from '../../output.js';
import { formatElapsed } from '../../runtime/follow-job.js';
import { jobRef, withJobDeps } from '../../runtime/jobs-runtime.js';
import { processRuntime, type Runtime } from '../../runtime/session.js';
import type { DescribeArgs } from './describe-args.js';

/** The parameters shown from the metadata row, in the original extension's order. */
const PARAMETER_COLUMNS = [
  'AWS_CREDENTIALS_CONNECTION_NAME',
  'AWS_REGION',
  'IAM_SAGEMAKER_ROLE',
  'S3_BUCKET_URI',
  'S3_OUTPUT_PATH',
  'INPUT_SCHEMA_NAME',
  'INPUT_TABLE_NAME',
  'TARGET_ATTRIBUTE_NAME',
  'PROBLEM_TYPE',
  'OBJECTIVE',
  'MAX_RUNTIME_FOR_AUTOML_JOB_IN_SECONDS',
  'MAX_CANDIDATES',
  'MAX_RUNTIME_PER_TRAINING_JOB_IN_SECONDS',
  'SCRIPT_USER',
  'DATETIME',
];

export async function run(
  args: DescribeArgs,
  output: Output,
  runtime: Runtime = processRuntime(),
): Promise<ExitCodeValue> {
  return withJobDeps(args, output, runtime, async (deps, context) => {
    const details = await describeJob(jobRef(args.job, args), deps, context);
    output.result(details, () => {
      printDetails(details, output);
    });
    return ExitCode.Ok;
  });
}

function printDetails(d: JobDetails, output: Output): void {
  const rows: [string, string | undefined][] = [
    ['job', d.jobName],
    ['arn', d.jobArn],
    ['status', `${d.status} / ${d.secondaryStatus}`],
    ['created', new Date(d.creationTime).toISOString()],
    ['ended', d.endTime === undefined ? undefined : new Date(d.endTime).toISOString()],
    ['elapsed', formatElapsed((d.endTime ?? Date.now()) - d.creationTime)],
    ['failure reason', d.failureReason],
    ['best candidate', d.bestCandidateName],
    [
      'best metric',
      d.bestMetricName === undefined || d.bestMetricValue === undefined
        ? undefined
        : `${d.bestMetricName} = ${String(d.bestMetricValue)}`,
    ],
    ['output path', d.artifacts.outputPath],
    ['model data', d.artifacts.modelDataUrls.length > 0 ? d.artifacts.modelDataUrls.join(', ') : undefined],
    ['candidate notebook', d.artifacts.candidateDefinitionNotebook],
    ['data exploration notebook', d.artifacts.dataExplorationNotebook],
    ['explainability', d.artifacts.explainability],
    ['model insights', d.artifacts.modelInsights],
  ];
  if (d.metadata !== undefined) {
    for (const column of PARAMETER_COLUMNS) {
      const value = d.metadata[column];
      rows.push([column.toLowerCase(), value === null || value === undefined ? undefined : String(value)]);
    }
  } else {
    rows.push(['metadata', 'not in the metadata table']);
  }
  const shown = rows.filter((row): row is [string, string] => row[1] !== undefined);
  const width = Math.max(...shown.map(([label]) => label.length));
  for (const [label, value] of shown) output.line(`${label.padEnd(width)}  ${value}`);
}
