import { awsError, isRoleArn, isRolePathName, partitionOfRegion, roleArnFor } from './core-api.js';
import type { SmeError } from './core-api.js';
import type { AwsClients } from './sagemaker-clients.js';
import type { AwsPartition } from './sagemaker-config.js';
import { sageMakerError } from './sagemaker-error-codes.js';
import { awsCall } from './sagemaker-errors.js';

/** Who is calling AWS, and role names made into ARNs. */
export interface AwsIdentity {
  /**
   * `nameOrArn` unchanged when it is an IAM role ARN; else `arn:<partition>:iam::<account>:role/<name>` with the
   * caller's account (STS GetCallerIdentity, asked once) and the partition of the region.
   */
  roleArn(nameOrArn: string): Promise<string>;
  /** The 12-digit account id of the credentials in use. */
  accountId(): Promise<string>;
}

// Role names (`name` or `path/…/name` as IAM allows) and ARNs are core's AWS vocabulary; re-exported as before.
export { isRoleArn, isRolePathName as isRoleName } from './core-api.js';

function badRole(value: string): SmeError {
  const shown = value.length > 100 ? `${value.slice(0, 97)}...` : value;
  return sageMakerError(
    'SME-E-AWS-ROLE-INVALID',
    `not an IAM role name (a path such as service-role/Name is allowed) or ARN (iam_sagemaker_role = '${shown}')`,
    { key: 'iam_sagemaker_role', value: shown },
  );
}

/** Builds a role ARN from its parts; pure. */
export function roleArnOf(partition: AwsPartition, account: string, nameOrArn: string): string {
  const v = nameOrArn.trim();
  if (v.startsWith('arn:')) {
    if (!isRoleArn(v)) throw badRole(nameOrArn);
    return v;
  }
  if (!isRolePathName(v)) throw badRole(nameOrArn);
  return roleArnFor(partition, account, v);
}

/** {@link AwsIdentity} over STS GetCallerIdentity in one region; role ARNs get that region's partition. */
export class StsIdentity implements AwsIdentity {
  readonly #clients: AwsClients;
  readonly #region: string;
  #account: Promise<string> | undefined;

  constructor(clients: AwsClients, region: string) {
    this.#clients = clients;
    this.#region = region;
  }

  async roleArn(nameOrArn: string): Promise<string> {
    const v = nameOrArn.trim();
    // An ARN or an invalid value needs no account: answer without calling AWS.
    if (v.startsWith('arn:')) {
      if (!isRoleArn(v)) throw badRole(nameOrArn);
      return v;
    }
    if (!isRolePathName(v)) throw badRole(nameOrArn);
    return roleArnOf(partitionOfRegion(this.#region), await this.accountId(), v);
  }

  accountId(): Promise<string> {
    const ctx = { ...this.#clients.context('STS', this.#region), operation: 'GetCallerIdentity' };
    this.#account ??= awsCall(ctx, async () => {
      const [client, { GetCallerIdentityCommand }] = await Promise.all([
        this.#clients.sts(this.#region),
        import('@aws-sdk/client-sts'),
      ]);
      const out = await client.send(new GetCallerIdentityCommand({}));
      if (out.Account === undefined || !/^\d{12}$/.test(out.Account)) {
        throw awsError('SME-E-AWS-SERVICE', {
          subject: 'STS GetCallerIdentity',
          detail: `no account id in the answer (got '${out.Account ?? ''}'; check AWS_ENDPOINT_URL_STS)`,
          key: 'GetCallerIdentity',
          ...(out.$metadata.requestId === undefined ? {} : { requestId: out.$metadata.requestId }),
        });
      }
      return out.Account;
    });
    // A failed lookup (expired token, network) must not be cached: the next call may succeed.
    this.#account.catch(() => {
      this.#account = undefined;
    });
    return this.#account;
  }
}
