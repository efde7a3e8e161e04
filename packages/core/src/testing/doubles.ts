/** Test doubles of the small ports. */
import type { ConnectionPort } from '../ports/connection-port.js';
import type { IdentityPort } from '../ports/identity-port.js';

/** CONNECTION addresses by name. */
export class StaticConnections implements ConnectionPort {
  constructor(private readonly addresses: Readonly<Record<string, string>>) {}
  address(connectionName: string): Promise<string | undefined> {
    return Promise.resolve(this.addresses[connectionName]);
  }
}

/** Resolves every role name in one account. */
export class StaticIdentity implements IdentityPort {
  constructor(private readonly account = '123456789012') {}
  roleArn(roleName: string): Promise<string> {
    return Promise.resolve(`arn:aws:iam::${this.account}:role/${roleName}`);
  }
}
