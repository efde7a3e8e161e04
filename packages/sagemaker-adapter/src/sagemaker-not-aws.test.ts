import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSmeError } from '@sme/core';
import { AwsClients } from './sagemaker-clients.js';
import { resolveSageMakerOptions } from './sagemaker-config.js';
import { StsIdentity } from './sagemaker-identity.js';

/** An endpoint override that answers, but is not STS (a stand-in without it, a proxy's error page). */
let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<html><body>Not Found</body');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
});
afterAll(() => {
  server.close();
});

describe('a role name without a reachable STS', () => {
  const identity = (stsEndpointUrl: string) =>
    new StsIdentity(
      new AwsClients(
        resolveSageMakerOptions({
          region: 'eu-central-1',
          credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' },
          stsEndpointUrl,
          maxAttempts: 1,
        }),
      ),
      'eu-central-1',
    );

  it('is SME-E-AWS-NOT-AWS naming the endpoint and the ARN way out when the override is not STS', async () => {
    const e = await identity(url)
      .roleArn('SomeRoleName')
      .catch((error: unknown) => error);
    expect(isSmeError(e) && e.code).toBe('SME-E-AWS-NOT-AWS');
    expect(isSmeError(e) && e.kind).toBe('Unreachable');
    expect((e as Error).message).toContain(url);
    expect(isSmeError(e) && e.details.remedy).toMatch(/AWS_ENDPOINT_URL.*full ARN/);
    expect((e as Error).message).not.toMatch(/report|bug|INTERNAL/i);
  });

  it('is SME-E-AWS-UNREACHABLE when nothing answers', async () => {
    const e = await identity('http://127.0.0.1:1')
      .roleArn('SomeRoleName')
      .catch((error: unknown) => error);
    expect(isSmeError(e) && e.code).toBe('SME-E-AWS-UNREACHABLE');
    expect(isSmeError(e) && e.details.remedy).toMatch(/network/);
  });
});
