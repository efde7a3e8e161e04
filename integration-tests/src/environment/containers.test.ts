import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeTier } from '@sme/test-tiers';
import type { ExasolSqlPort } from '@sme/exasol-adapter';
import { connect } from '../cli/exasol-fixtures.js';
import { runSme, smeInstall } from '../cli/sme-binary.js';
import { containersProvider, containersUnavailableReason, dockerEngineLocation } from './containers-environment.js';
import { AwsInspector, dsnOf, type Environment } from './index.js';

const skipReason = containersUnavailableReason();
if (skipReason !== undefined) process.stderr.write(`skipping: ${skipReason}\n`);

describe('containersUnavailableReason (the one skip decision of the containers tier)', () => {
  const ready = {
    nodeVersion: '22.22.0',
    env: { LOCALSTACK_AUTH_TOKEN: 'ls-token' },
    home: '/home/u',
    isSocket: (path: string) => path === '/var/run/docker.sock',
    readText: () => undefined,
  };

  it('is undefined where Node >= 22.22, a Docker engine and a localstack token exist', () => {
    expect(containersUnavailableReason(ready)).toBeUndefined();
    expect(containersUnavailableReason({ ...ready, nodeVersion: '24.1.0' })).toBeUndefined();
  });

  it('names everything that is missing: Node version, Docker engine, localstack token', () => {
    const reason = containersUnavailableReason({ ...ready, nodeVersion: '20.20.2', env: {}, isSocket: () => false });
    expect(reason).toContain('Node >= 22.22 for testcontainers 12 (this is Node 20.20.2)');
    expect(reason).toContain('a Docker engine');
    expect(reason).toContain('LOCALSTACK_AUTH_TOKEN');
    expect(containersUnavailableReason({ ...ready, nodeVersion: '22.21.9' })).toMatch(
      /^the containers tier needs Node/,
    );
  });

  it('finds the engine through DOCKER_HOST, ~/.testcontainers.properties or the usual sockets', () => {
    const none = { ...ready, isSocket: () => false };
    expect(dockerEngineLocation(none)).toBeUndefined();
    expect(dockerEngineLocation({ ...none, env: { DOCKER_HOST: 'tcp://docker:2375' } })).toBe('tcp://docker:2375');
    expect(dockerEngineLocation({ ...none, readText: () => 'ryuk.disabled=true\ndocker.host=unix:///x.sock\n' })).toBe(
      'unix:///x.sock',
    );
    expect(
      dockerEngineLocation({
        ...none,
        env: { XDG_RUNTIME_DIR: '/run/user/1000' },
        isSocket: (p) => p.startsWith('/run/'),
      }),
    ).toBe('unix:///run/user/1000/docker.sock');
    expect(dockerEngineLocation({ ...none, isSocket: (p) => p === '/home/u/.docker/desktop/docker.sock' })).toBe(
      'unix:///home/u/.docker/desktop/docker.sock',
    );
  });

  it('agrees with the provider', async () => {
    expect(await containersProvider.unavailable()).toBe(skipReason);
  });
});

// Deploys with the packed `sme` into a real Exasol and checks the localstack bucket. Training needs the
// client-streamed export mode (Exasol's EXPORT writes only to AWS bucket URLs, not to localstack).
describeTier('containers', 'exasol/docker-db + localstack', () => {
  let env: Environment;
  let sql: ExasolSqlPort;

  beforeAll(async () => {
    env = await containersProvider.start();
    sql = await connect(env);
  }, 15 * 60_000);

  afterAll(async () => {
    await sql.close();
    await env.stop();
  }, 120_000);

  it('pins the certificate of the real Exasol and answers as sys', async () => {
    expect(dsnOf(env)).toMatch(/^[^/]+\/[0-9A-F]{64}:\d+$/);
    const result = await sql.query('SELECT CURRENT_USER FROM DUAL');
    expect(result.rows).toEqual([['SYS']]);
  });

  it('deploys sme with the packed binary', async () => {
    const run = await runSme(smeInstall().bin, env, ['deploy', '--schema', 'SME_CT']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const scripts = await sql.query("SELECT SCRIPT_NAME FROM EXA_ALL_SCRIPTS WHERE SCRIPT_SCHEMA = 'SME_CT'");
    expect(scripts.rows.map((r) => r[0])).toContain('SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT');
  }, 120_000);

  it('has an empty bucket in localstack', async () => {
    expect(await new AwsInspector(env).objectKeys()).toEqual([]);
  });
});
