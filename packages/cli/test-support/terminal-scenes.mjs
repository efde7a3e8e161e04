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
} else if (scene === 'confirm') {
  const { confirm } = await import(new URL('runtime/confirm.js', dist).href);
  const { processRuntime } = await import(new URL('runtime/session.js', dist).href);
  try {
    await confirm(processRuntime(), {
      yes: false,
      action: 'Drop job churn-261201000000',
      plan: ['would delete 3 objects'],
    });
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
} else {
  throw new Error(`unknown scene ${scene}`);
}
