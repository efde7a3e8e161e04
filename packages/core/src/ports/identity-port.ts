/** Resolves a bare IAM role name to its ARN (Node: IAM GetRole or STS GetCallerIdentity for the account). */
export interface IdentityPort {
  /** The ARN of the role; rejects with an `SmeError` when the role cannot be found or read. */
  roleArn(roleName: string): Promise<string>;
}
