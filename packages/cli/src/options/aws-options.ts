import type { Argv } from 'yargs';

export interface AwsArgs {
  readonly region?: string;
  readonly profile?: string;
  readonly awsEndpointUrl?: string;
  readonly s3EndpointUrl?: string;
}

const GROUP = 'AWS:';

/** AWS flags. Credentials come from the default AWS chain (env, profiles incl. SSO); AWS_* env vars apply. */
export function withAwsOptions<T>(yargs: Argv<T>): Argv<T & AwsArgs> {
  return yargs
    .option('region', { type: 'string', group: GROUP, describe: 'AWS region (env AWS_REGION, or the profile’s)' })
    .option('profile', {
      type: 'string',
      group: GROUP,
      describe: 'AWS profile (env AWS_PROFILE), SSO profiles included',
    })
    .option('aws-endpoint-url', {
      type: 'string',
      group: GROUP,
      describe: 'SageMaker endpoint override (env AWS_ENDPOINT_URL_SAGEMAKER / AWS_ENDPOINT_URL)',
    })
    .option('s3-endpoint-url', {
      type: 'string',
      group: GROUP,
      describe: 'S3 endpoint override (env AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL)',
    });
}
