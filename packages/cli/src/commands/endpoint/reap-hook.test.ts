import { describe, expect, it } from 'vitest';
import { SmeError } from '@sme/core';
import { FakeEndpoints, FixedClock, InMemoryMetadataStores, InMemoryScriptsSql } from '@sme/core/testing';
import { createOutput } from '../../output.js';
import type { Runtime } from '../../runtime/session.js';
import { resolveCliSettings } from '../../settings/settings.js';
import { openAwsForReaping, reapBeforeCommand } from './reap-hook.js';

const SCHEMA = 'SME';
/** 2026-01-01 12:00:00 UTC. */
const NOW = Date.UTC(2026, 0, 1, 12);

function capture() {
  const stderr: string[] = [];
  const output = createOutput(false, {
    stdout: { write: () => true },
    stderr: { write: (t: string) => stderr.push(t) },
  });
  return { output, stderr: () => stderr.join('') };
}

/** Two endpoints with an idle TTL, one past its deadline, and one without a TTL; all running in the fake. */
async function world() {
  const stores = new InMemoryMetadataStores();
  const endpoints = new FakeEndpoints(() => NOW);
  const port = endpoints.factory({ connectionName: 'AWS', region: 'eu-central-1' });
  const rows: [string, string | undefined][] = [
    ['idle-ep', '2026-01-01 11:00:00.000'],
    ['busy-ep', '2026-01-01 13:00:00.000'],
    ['kept-ep', undefined],
  ];
  for (const [name, deadline] of rows) {
    await port.createModel({ ModelName: name, ExecutionRoleArn: 'arn:aws:iam::1:role/R', Containers: [] });
    await port.createEndpointConfig({
      EndpointConfigName: name,
      ProductionVariants: [
        { VariantName: 'AllTraffic', ModelName: name, InstanceType: 'ml.m5.large', InitialInstanceCount: 1 },
      ],
    });
    await port.createEndpoint({ EndpointName: name, EndpointConfigName: name });
    stores.endpoints.rows.push({
      ENDPOINT_NAME: name,
      JOB_NAME: 'churn-260101000000',
      UDF_SCHEMA: 'ML',
      STATUS: 'InService',
      AWS_CREDENTIALS_CONNECTION_NAME: 'AWS',
      AWS_REGION: 'eu-central-1',
      IDLE_TTL_SECONDS: deadline === undefined ? null : 3600,
      IDLE_DEADLINE: deadline ?? null,
    });
  }
  endpoints.calls.length = 0;
  // The metadata comes from the stores: any SQL the hook sent would fail this SqlPort.
  const sql = new InMemoryScriptsSql();
  return { stores, endpoints, deps: { sql, stores, endpoints: endpoints.factory, clock: new FixedClock(NOW) } };
}

describe('reaping before a command', () => {
  it('deletes only the endpoints past their idle deadline and says so on stderr', async () => {
    const { deps, endpoints, stores } = await world();
    const { output, stderr } = capture();
    await reapBeforeCommand(deps, SCHEMA, output, {});
    expect(endpoints.calls).toEqual(['deleteEndpoint idle-ep', 'deleteEndpointConfig idle-ep', 'deleteModel idle-ep']);
    expect([...endpoints.endpoints.keys()].sort()).toEqual(['busy-ep', 'kept-ep']);
    expect(stores.endpoints.rows.find((r) => r.ENDPOINT_NAME === 'idle-ep')).toMatchObject({ STATUS: 'Reaped' });
    expect(stderr()).toBe('reaped idle endpoint idle-ep: unused since 2026-01-01 11:00:00.000 UTC (its idle TTL)\n');
  });

  it.each(['1', 'true', 'YES'])('does nothing with SME_NO_REAP=%s: not even the query', async (value) => {
    const { deps, endpoints, stores } = await world();
    stores.endpoints.failWhen('list', new Error('the endpoints were listed'));
    const { output, stderr } = capture();
    await reapBeforeCommand(deps, SCHEMA, output, { SME_NO_REAP: value });
    expect([endpoints.calls, stderr()]).toEqual([[], '']);
  });

  it('never fails the command: an endpoint it cannot delete, or a failing query, is a warning', async () => {
    const { deps, endpoints } = await world();
    endpoints.failOn('deleteEndpoint', new SmeError('SME-E-AWS-THROTTLED', 'Throttled', 'slow down'));
    const one = capture();
    await reapBeforeCommand(deps, SCHEMA, one.output, {});
    expect(one.stderr()).toBe('warning: idle endpoint idle-ep not reaped: SME-E-AWS-THROTTLED: slow down\n');
    expect(endpoints.endpoints.has('idle-ep')).toBe(true);

    const broken = await world();
    broken.stores.endpoints.failWhen('list', new SmeError('SME-E-SQL', 'SqlError', 'object SME_METADATA not found'));
    const two = capture();
    await reapBeforeCommand(broken.deps, SCHEMA, two.output, {});
    expect(two.stderr()).toMatch(/^warning: idle endpoints not reaped \(SME-E-SQL: object SME_METADATA not found\); /);
    expect(two.stderr()).toContain('SME_NO_REAP=1 turns reaping off');
    expect(broken.endpoints.calls).toEqual([]);
  });
});

describe('AWS opened only to reap', () => {
  const runtime = (env: Record<string, string>): Runtime => ({
    env,
    stdin: { on: () => undefined, removeListener: () => undefined, resume: () => undefined, pause: () => undefined },
    stderr: { write: () => true },
  });
  const settingsOf = (env: Record<string, string>) => resolveCliSettings({ schema: SCHEMA }, env);

  it('is not opened when reaping is off', async () => {
    const env = { SME_NO_REAP: '1', AWS_REGION: 'eu-central-1' };
    const { output, stderr } = capture();
    expect(await openAwsForReaping(settingsOf(env), output, runtime(env))).toBeUndefined();
    expect(stderr()).toBe('');
  });

  it('cannot be opened: a warning, and the command goes on without reaping', async () => {
    const env = { AWS_REGION: 'eu-central-1', AWS_MAX_ATTEMPTS: 'many', AWS_CONFIG_FILE: '/nonexistent/config' };
    const { output, stderr } = capture();
    expect(await openAwsForReaping(settingsOf(env), output, runtime(env))).toBeUndefined();
    expect(stderr()).toMatch(/^warning: idle endpoints not reaped \(SME-E-AWS-OPTION-INVALID: .*AWS_MAX_ATTEMPTS/);
  });

  it('opens the adapters in the default case (nothing connects yet)', async () => {
    const env = { AWS_REGION: 'eu-central-1', AWS_CONFIG_FILE: '/nonexistent/config' };
    const { output } = capture();
    const aws = await openAwsForReaping(settingsOf(env), output, runtime(env));
    expect(aws?.options.region).toBe('eu-central-1');
    aws?.close();
  });
});
