import type { CommandModule } from 'yargs';
import { withExasolOptions } from '../../options/exasol-options.js';
import type { GlobalArgs } from '../../options/global-options.js';
import { runCommand } from '../../run-command.js';
import type { DeployArgs } from './deploy-args.js';

export type { DeployArgs };

export const deployCommand: CommandModule<GlobalArgs, DeployArgs> = {
  command: 'deploy',
  describe: 'Create sme’s schema, metadata tables and in-database scripts in Exasol',
  builder: (yargs) =>
    withExasolOptions(yargs)
      .option('s3-endpoint-url', {
        type: 'string',
        describe: 'S3 endpoint baked into the in-database scripts for sme drop from SQL (default: AWS S3)',
      })
      .option('aws-endpoint-url', {
        type: 'string',
        describe:
          'SageMaker endpoint baked into the in-database scripts (default https://api.sagemaker.<region>.amazonaws.com)',
      })
      .option('aws-ca-file', {
        type: 'string',
        describe:
          'PEM file of CA certificates the in-database HTTPS calls trust besides AWS’s own roots (private endpoints, the sandbox’s --aws-tls); verification cannot be turned off',
      })
      .option('print', {
        type: 'boolean',
        default: false,
        describe: 'print the deployment SQL instead of running it (for DBAs who deploy with their own tools)',
      })
      .example('$0 deploy --dsn exa.example.com/3F2A…:8563 --user sys --schema SME', 'deploy into schema SME')
      .example('$0 deploy --schema SME --print > sme.sql', 'write the statements to a file instead')
      .example(
        '$0 deploy --schema SME --aws-endpoint-url https://vpce.example:443 --aws-ca-file corp-ca.pem',
        'trust a corporate CA for a private endpoint',
      ),
  handler: (args) => runCommand(args, () => import('./deploy.js')),
};
