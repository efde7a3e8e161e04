import type { CommandModule } from 'yargs';
import { withAwsOptions } from '../../options/aws-options.js';
import { withExasolOptions } from '../../options/exasol-options.js';
import type { GlobalArgs } from '../../options/global-options.js';
import { DOCTOR_GROUP } from '../../options/help-layout.js';
import { withOutputFormat } from '../../options/output-options.js';
import { runCommand } from '../../run-command.js';
import type { DoctorArgs } from './doctor-args.js';

export type { DoctorArgs };

const GROUP = DOCTOR_GROUP;

export const doctorCommand: CommandModule<GlobalArgs, DoctorArgs> = {
  command: 'doctor',
  describe: 'Check that Exasol and AWS are ready for sme: one line per check with what to fix (changes nothing)',
  builder: (yargs) =>
    withOutputFormat(withAwsOptions(withExasolOptions(yargs)))
      .option('connection', {
        type: 'string',
        group: GROUP,
        describe: 'the Exasol CONNECTION to the S3 bucket (aws_credentials_connection_name)',
      })
      .option('bucket', {
        type: 'string',
        group: GROUP,
        describe: 's3://bucket the CONNECTION should point at (default: the CONNECTION’s bucket)',
      })
      .option('role', { type: 'string', group: GROUP, describe: 'iam_sagemaker_role: role ARN or role name' })
      .example(
        '$0 doctor --schema SME --connection S3_CONN --bucket s3://ml-data --region eu-central-1 --role arn:aws:iam::123456789012:role/SageMaker',
        'check everything training needs; exit code 0 when nothing fails',
      )
      .example('$0 doctor --connection S3_CONN --json', 'the same as {"checks":[{"name","status","detail","fix"}]}'),
  handler: (args) => runCommand(args, () => import('./doctor.js'), { formats: true }),
};
