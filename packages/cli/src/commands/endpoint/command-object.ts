import type { Argv, CommandModule } from 'yargs';
import { withAwsOptions } from '../../options/aws-options.js';
import { withExasolOptions } from '../../options/exasol-options.js';
import type { GlobalArgs } from '../../options/global-options.js';
import { withOutputFormat } from '../../options/output-options.js';
import { runCommand } from '../../run-command.js';
import { ENDPOINT_GROUP, ownFlagsFirst } from '../../options/help-layout.js';
import { JOB_ARG } from '../../options/job-arg.js';
import type {
  EndpointCommonArgs,
  EndpointDeleteArgs,
  EndpointDeployArgs,
  EndpointListArgs,
  EndpointStatusArgs,
} from './endpoint-args.js';
import { checkWholeNumber, withPollInterval } from '../../options/usage-checks.js';

export type { EndpointDeleteArgs, EndpointDeployArgs, EndpointListArgs, EndpointStatusArgs };

const GROUP = ENDPOINT_GROUP;

function withEndpointOptions<T>(yargs: Argv<T>): Argv<T & EndpointCommonArgs> {
  return withAwsOptions(withExasolOptions(yargs)).option('connection', {
    type: 'string',
    group: GROUP,
    describe: 'Exasol CONNECTION with the AWS credentials (default: the one recorded with the job or endpoint)',
  }) as unknown as Argv<T & EndpointCommonArgs>;
}

const deployCommand: CommandModule<GlobalArgs, EndpointDeployArgs> = {
  command: 'deploy <job>',
  describe: 'Deploy the best candidate of a completed job as an endpoint and create its prediction UDF',
  builder: (yargs) =>
    withEndpointOptions(yargs)
      .positional('job', { type: 'string', demandOption: true, describe: JOB_ARG })
      .option('endpoint-name', {
        type: 'string',
        group: GROUP,
        demandOption: true,
        describe: 'SageMaker endpoint name (also the name of the model, endpoint config and UDF)',
      })
      .option('udf-schema', {
        type: 'string',
        group: GROUP,
        demandOption: true,
        describe: 'schema of the prediction UDF <udf-schema>."<endpoint-name>"(features…)',
      })
      // No yargs defaults (deploy-input.ts fills them in): a default would count as given against --serverless-memory.
      .option('instance-type', { type: 'string', group: GROUP, describe: 'hosting instance (default ml.m5.large)' })
      .option('instance-count', { type: 'number', group: GROUP, describe: 'hosting instances (1–100, default 1)' })
      .option('key', {
        type: 'string',
        array: true,
        group: GROUP,
        describe:
          'key column(s) the UDF takes before the features and emits unchanged, to join predictions back: NAME or "NAME TYPE" (default type VARCHAR(2000000)); comma-separated or repeated',
      })
      .option('idle-ttl', {
        type: 'string',
        group: GROUP,
        describe:
          'delete the endpoint once unused this long (30m, 2h, 1d; 1 minute to 30 days): counted from deploy and from each sme predict; every sme command and SME_REAP_IDLE_ENDPOINTS reap it',
      })
      .option('serverless-memory', {
        type: 'number',
        group: GROUP,
        describe: 'serverless inference with this much memory in MB (1024, 2048, … 6144) instead of instances',
      })
      .option('serverless-max-concurrency', {
        type: 'number',
        group: GROUP,
        implies: 'serverless-memory',
        describe: 'most concurrent invocations of a serverless endpoint (1–200, default 5)',
      })
      .conflicts('serverless-memory', ['instance-type', 'instance-count'])
      .option('udf-aws-ca-file', {
        type: 'string',
        group: GROUP,
        describe:
          'PEM file of CA certificates the prediction UDF trusts besides AWS’s roots (as sme deploy --aws-ca-file)',
      })
      .option('udf-aws-endpoint-url', {
        type: 'string',
        group: GROUP,
        describe:
          'SageMaker runtime URL the UDF calls from inside Exasol (default: AWS’s, or the CLI’s own runtime override)',
      })
      .example(
        '$0 endpoint deploy churn-261126093000 --endpoint-name churn-ep --udf-schema ML',
        'returns at once; follow it with: sme endpoint status churn-ep --watch',
      )
      .example(
        '$0 endpoint deploy churn-261126093000 --endpoint-name churn-ep --udf-schema ML --instance-type ml.c5.xlarge',
        '',
      )
      .example(
        '$0 endpoint deploy churn-261126093000 --endpoint-name churn-ep --udf-schema ML --serverless-memory 2048 --idle-ttl 2h',
        'serverless (billed per request), deleted after 2 hours unused',
      )
      .example(
        '$0 endpoint deploy churn-261126093000 --endpoint-name churn-ep --udf-schema ML --key "CUSTOMER_ID DECIMAL(18,0)"',
        'SELECT ML."churn-ep"(CUSTOMER_ID, …) emits CUSTOMER_ID beside the predictions',
      ) as unknown as Argv<EndpointDeployArgs>,
  handler: (args) => runCommand(args, () => import('./deploy.js')),
};

const statusCommand: CommandModule<GlobalArgs, EndpointStatusArgs> = {
  command: 'status <endpoint>',
  describe: 'Show an endpoint’s status (written to the endpoints table); --watch follows it',
  builder: (yargs) =>
    withPollInterval(
      withOutputFormat(withEndpointOptions(yargs))
        .positional('endpoint', { type: 'string', demandOption: true, describe: 'endpoint name' })
        .option('watch', { type: 'boolean', default: false, describe: 'poll until InService or Failed' }),
      'seconds between polls with --watch',
    ).example('$0 endpoint status churn-ep --watch', 'exit code 3 if it ends Failed'),
  handler: (args) => runCommand(args, () => import('./status.js'), { formats: true }),
};

const listCommand: CommandModule<GlobalArgs, EndpointListArgs> = {
  command: 'list',
  describe: 'List running endpoints and how long they have run (what they cost is proportional to it)',
  builder: (yargs) =>
    withOutputFormat(withEndpointOptions(yargs))
      .option('live', {
        type: 'boolean',
        default: true,
        describe: 'ask AWS for the live status (--no-live: table only)',
      })
      .option('concurrency', { type: 'number', default: 4, describe: 'parallel status requests to AWS' })
      .option('untracked', {
        type: 'boolean',
        default: false,
        describe: 'also list endpoints of the region (--region) that sme did not record',
      })
      .check((argv) => {
        checkWholeNumber('concurrency', argv.concurrency, 1);
        return true;
      })
      .example('$0 endpoint list', '')
      .example('$0 endpoint list --untracked --region eu-central-1 --json', ''),
  handler: (args) => runCommand(args, () => import('./list.js'), { formats: true }),
};

const deleteCommand: CommandModule<GlobalArgs, EndpointDeleteArgs> = {
  command: 'delete <endpoint>',
  describe: 'Delete an endpoint, its endpoint config and model, and drop its prediction UDF',
  builder: (yargs) =>
    withEndpointOptions(yargs)
      .positional('endpoint', { type: 'string', demandOption: true, describe: 'endpoint name' })
      .option('yes', {
        alias: 'y',
        type: 'boolean',
        describe: 'do it without asking (needed without a terminal; on a terminal sme shows what will go and asks)',
      })
      .example('$0 endpoint delete churn-ep', 'shows what will go and asks (on a terminal)')
      .example('$0 endpoint delete churn-ep --yes', 'without asking (scripts)'),
  handler: (args) => runCommand(args, () => import('./delete.js')),
};

export const endpointCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'endpoint <command>',
  describe: 'Deploy, follow, list and delete SageMaker endpoints of trained jobs',
  builder: (yargs) =>
    yargs
      .command(ownFlagsFirst(deployCommand))
      .command(ownFlagsFirst(statusCommand))
      .command(ownFlagsFirst(listCommand))
      .command(ownFlagsFirst(deleteCommand))
      .demandCommand(1, 'Name a subcommand: sme endpoint --help lists them.'),
  handler: () => undefined,
};
