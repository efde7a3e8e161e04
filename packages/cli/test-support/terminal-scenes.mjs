// Scenes the terminal tests run on a pseudo-terminal (and through a pipe, to compare): each prints what `sme`
// prints through its real output layer, with the process's own streams, so colour and prompts follow whatever
// the streams really are.
import process from 'node:process';
import { URL } from 'node:url';

const dist = new URL('../dist/', import.meta.url);
const { createOutput } = await import(new URL('output.js', dist).href);
const { jobsView } = await import(new URL('views.js', dist).href);
const { SmeError } = await import('@sme/core');

const scene = process.argv[2];
const output = createOutput({ format: 'table' });

if (scene === 'colour') {
  output.show(
    jobsView([
      { jobName: 'churn-261201000000', status: 'Failed', secondaryStatus: 'Failed', metadata: {} },
      { jobName: 'churn-261202000000', status: 'Completed', secondaryStatus: 'Completed', metadata: {} },
    ]),
  );
  output.error(new SmeError('SME-E-JOB-NOT-FOUND', 'NotFound', 'job x is not in the metadata table'), false);
} else if (scene === 'confirm' || scene === 'confirm-yes') {
  // The prompt of a destructive command, made by the command itself (argv[3]: drop, endpoint-delete or stop).
  const { confirm } = await import(new URL('runtime/confirm.js', dist).href);
  const { processRuntime } = await import(new URL('runtime/session.js', dist).href);
  const yes = scene === 'confirm-yes';
  const job = 'churn-261201000000';
  const requests = {
    drop: async () => {
      const { dropConfirmation } = await import(new URL('commands/drop/drop.js', dist).href);
      const dryRun = {
        plan: {
          jobName: job,
          status: 'Completed',
          stopJob: false,
          endpoints: [],
          prefixes: [
            { uri: `s3://b/out/${job}/`, objects: ['a.csv', 'b.csv', 'c.csv'].map((f) => `s3://b/out/${job}/${f}`) },
          ],
        },
        dropped: false,
        deletedObjects: 0,
      };
      return dropConfirmation(yes, job, dryRun);
    },
    'endpoint-delete': async () => {
      const { endpointDeleteConfirmation } = await import(new URL('commands/endpoint/delete.js', dist).href);
      return endpointDeleteConfirmation(yes, 'churn-ep');
    },
    stop: async () => {
      const { stopConfirmation } = await import(new URL('commands/stop/stop.js', dist).href);
      return stopConfirmation(yes, { jobName: job, status: 'InProgress', secondaryStatus: 'ModelTuning' });
    },
  };
  const make = requests[process.argv[3] ?? 'drop'];
  if (make === undefined) throw new Error(`unknown command ${process.argv[3]}`);
  try {
    await confirm(processRuntime(), await make());
    process.stdout.write('confirmed\n');
  } catch (error) {
    output.error(error, false);
    process.exitCode = 2;
  }
} else if (scene === 'watch') {
  const { followJob } = await import(new URL('runtime/follow-job.js', dist).href);
  const statuses = [
    ['InProgress', 'AnalyzingData'],
    ['InProgress', 'FeatureEngineering'],
    ['InProgress', 'ModelTuning'],
    ['Completed', 'Completed'],
  ];
  let i = 0;
  const result = await followJob(
    'churn-261201000000',
    async () => {
      const [status, secondaryStatus] = statuses[Math.min(i++, statuses.length - 1)];
      return {
        jobName: 'churn-261201000000',
        status,
        secondaryStatus,
        terminal: status === 'Completed',
        recorded: true,
      };
    },
    output,
    { intervalMs: 150, tty: process.stderr.isTTY === true, stream: process.stderr, startedAt: Date.now() },
  );
  output.line(`done: ${result.status}`);
} else if (scene === 'watch-endpoint') {
  const { followEndpoint } = await import(new URL('commands/endpoint/follow-endpoint.js', dist).href);
  const statuses = ['Creating', 'Creating', 'InService'];
  let i = 0;
  const creationTime = Date.now();
  const result = await followEndpoint(
    'churn-ep',
    async () => ({
      endpointName: 'churn-ep',
      status: statuses[Math.min(i++, statuses.length - 1)],
      creationTime,
      recorded: true,
    }),
    output,
    { intervalMs: 150, tty: process.stderr.isTTY === true, stream: process.stderr },
  );
  output.line(`done: ${result.status}`);
} else {
  throw new Error(`unknown scene ${scene}`);
}
