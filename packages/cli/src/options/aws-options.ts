import type { Argv } from 'yargs';
import { withFlags, type FlagTable } from './flag-table.js';

export interface AwsArgs {
  readonly region?: string;
  readonly profile?: string;
  readonly awsEndpointUrl?: string;
  readonly s3EndpointUrl?: string;
}

/** The AWS flags, in help order; the sagemaker adapter's resolver decides their precedence. */
export const AWS_FLAGS: FlagTable<AwsArgs> = {
  region: { type: 'string', describe: 'AWS region (env AWS_REGION, or the profile’s)' },
  profile: { type: 'string', describe: 'AWS profile (env AWS_PROFILE), SSO profiles included' },
  awsEndpointUrl: {
    type: 'string',
    describe: 'SageMaker endpoint override (env AWS_ENDPOINT_URL_SAGEMAKER / AWS_ENDPOINT_URL)',
  },
  s3EndpointUrl: { type: 'string', describe: 'S3 endpoint override (env AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL)' },
};

/** AWS flags. Credentials come from the default AWS chain (env, profiles incl. SSO); AWS_* env vars apply. */
export function withAwsOptions<T>(yargs: Argv<T>): Argv<T & AwsArgs> {
  return withFlags(yargs, AWS_FLAGS, 'AWS:');
}
