import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { awsCallUdfScript } from '../src/deploy/aws-call-udf-script.js';
import { maskUserinfo } from '@sme/core';
import { connectionAddressUdfScript } from '../src/deploy/connection-address-udf.js';
import { luaStringLiteral } from '../src/deploy/lua-literal.js';
import { describeTier } from '@sme/test-tiers';
import { startSigV4Server } from './support/sigv4-server.js';

const run = promisify(execFile);

const KEY = 'AKIAUDFTEST000000001';
const SECRET = 'udfSecret/With+Chars0123456789abcdefghij';
const SECRET_ADDRESS = 'https://K:S/+x@y@b.s3.amazonaws.com/ and https://u:p@c x';
const TEMP_KEY = 'ASIAUDFTEST000000002';
const TEMP_SECRET = 'tempSecret0123456789abcdefghijklmnopqrst';
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLETOKEN/+=abc123';

/** Connections as `exa.get_connection` would return them. */
const CONNECTIONS: Record<string, { user: string; password: string; noAccess?: boolean }> = {
  AWS_NO_ACCESS: { user: KEY, password: SECRET, noAccess: true },
  AWS_OK: { user: KEY, password: SECRET },
  AWS_TEMP: { user: TEMP_KEY, password: `${TEMP_SECRET};session_token=${TOKEN}` },
  AWS_WRONG: { user: KEY, password: 'wrongSecret0123456789abcdefghijklmnopqr' },
  AWS_EMPTY: { user: '', password: '' },
};

/** Emulates Exasol's UDF API around the deployed script body: `exa.get_connection`, `ctx`, `run(ctx)`. */
const DRIVER = `
local cjson = require('cjson')
local f = assert(io.open(arg[1], 'rb')); local body = f:read('a'); f:close()
f = assert(io.open(arg[2], 'rb')); local input = cjson.decode(f:read('a')); f:close()
-- Only the libraries Exasol documents: socket.http, ssl.https and ltn12 are refused (strict sandbox profile).
local documented = { 'socket', 'ssl', 'cjson', 'openssl.digest', 'openssl.hmac' }
local allowed = {}
for _, name in ipairs(documented) do require(name); allowed[name] = true end
require = function(name)
  if allowed[name] then return package.loaded[name] end
  error("module '" .. tostring(name) .. "' not found (not documented for Exasol)")
end
exa = { meta = { script_schema = 'SME', script_name = 'SME_AWS_SAGEMAKER_CALL', current_user = 'ANALYST' },
  get_connection = function(name)
  local c = input.connections[name]
  if c == nil then error('connection ' .. name .. ' does not exist') end
  if c.noAccess then error('insufficient privileges for using connection ' .. name .. ' in script SME_AWS_SAGEMAKER_CALL') end
  return { type = 'PASSWORD', address = '', user = c.user, password = c.password }
end }
assert(load(body, '=SME_AWS_SAGEMAKER_CALL'))()
local out = {}
for i, call in ipairs(input.calls) do out[i] = run(call) end
io.write(cjson.encode(out))
`;

interface Call {
  connection_name: string;
  aws_region: string;
  operation: string;
  payload: string;
}

async function runUdf(script: string, calls: Call[]): Promise<{ results: Record<string, unknown>[]; raw: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sme-udf-'));
  // The script body is what follows `AS\n` in the CREATE statement: exactly what Exasol runs.
  const body = script.slice(script.indexOf(' AS\n') + 4);
  writeFileSync(join(dir, 'body.lua'), body);
  writeFileSync(join(dir, 'driver.lua'), DRIVER);
  writeFileSync(join(dir, 'input.json'), JSON.stringify({ connections: CONNECTIONS, calls }));
  const { stdout, stderr } = await run('lua5.4', [
    join(dir, 'driver.lua'),
    join(dir, 'body.lua'),
    join(dir, 'input.json'),
  ]);
  expect(stderr).toBe('');
  const outer = JSON.parse(stdout) as string[];
  return { results: outer.map((t) => JSON.parse(t) as Record<string, unknown>), raw: stdout };
}

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) =>
    s.close(() => {
      r();
    }),
  );
  return port;
}

const call = (operation: string, payload: unknown, connection = 'AWS_OK'): Call => ({
  connection_name: connection,
  aws_region: 'eu-west-1',
  operation,
  payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
});

describeTier('native-lua', 'AWS-call UDF under real lua5.4 against a SigV4-checking server', () => {
  let server: Awaited<ReturnType<typeof startSigV4Server>>;
  beforeAll(async () => {
    server = await startSigV4Server({ [KEY]: { secret: SECRET }, [TEMP_KEY]: { secret: TEMP_SECRET, token: TOKEN } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('signs, calls and maps answers and errors; never shows a secret', async () => {
    const script = awsCallUdfScript({ schema: 'SME', awsEndpointUrl: server.url, timeoutSeconds: 5 });
    const calls: Call[] = [
      call('CreateAutoMLJobV2', { AutoMLJobName: 'job-1' }),
      call('DescribeAutoMLJobV2', { AutoMLJobName: 'job-1' }, 'AWS_TEMP'),
      call('DescribeAutoMLJobV2', { AutoMLJobName: 'job-1' }, 'AWS_WRONG'),
      call('StopAutoMLJob', { __respond: { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' } }),
      call('DescribeAutoMLJobV2', {
        __respond: { status: 400, type: 'com.amazonaws.sagemaker#ResourceNotFound', message: 'no job' },
      }),
      call('DescribeEndpoint', {
        __respond: { status: 400, type: 'ValidationException', message: 'Could not find endpoint "e".' },
      }),
      call('CreateAutoMLJobV2', { __respond: { status: 400, type: 'ResourceInUse', message: 'Job name exists' } }),
      call('ListAutoMLJobs', { __respond: { status: 500, type: 'InternalFailure', message: 'oops' } }),
      call('DeleteNotebookInstance', {}),
      call('ListEndpoints', {}, 'NO_SUCH_CONNECTION'),
      call('ListEndpoints', {}, 'AWS_EMPTY'),
      call('ListEndpoints', '[1,2]'),
      { ...call('ListEndpoints', {}), aws_region: 'mars' },
      call('InvokeEndpoint', { EndpointName: 'my-endpoint', Body: '1,2\n3,4\n', ContentType: 'text/csv' }),
      call('InvokeEndpoint', { EndpointName: '../../x', Body: '' }),
    ];
    const before = server.seen.length;
    const { results, raw } = await runUdf(script, calls);
    const codes = results.map((r) => (r.ok === true ? 'ok' : r.code));
    expect(codes).toEqual([
      'ok',
      'ok',
      'SME-E-AWS-CREDENTIALS',
      'SME-E-AWS-THROTTLED',
      'SME-E-AWS-NOT-FOUND',
      'SME-E-AWS-NOT-FOUND',
      'SME-E-AWS-ALREADY-EXISTS',
      'SME-E-AWS-SERVICE',
      'SME-E-AWS-OPERATION-NOT-ALLOWED',
      'SME-E-AWS-CONNECTION',
      'SME-E-AWS-CONNECTION',
      'SME-E-AWS-PAYLOAD-INVALID',
      'SME-E-AWS-REGION-INVALID',
      'ok',
      'SME-E-AWS-PAYLOAD-INVALID',
    ]);
    // Only the nine calls that passed the UDF's own checks reached the server; the always-throttled
    // StopAutoMLJob and the always-failing ListAutoMLJobs were tried 3 times each.
    const seen = server.seen.slice(before);
    expect(seen).toHaveLength(13);
    expect(seen.filter((s) => s.signatureValid)).toHaveLength(12);
    expect(seen[0]?.headers['x-amz-target']).toBe('SageMaker.CreateAutoMLJobV2');
    expect(seen[0]?.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(seen[1]?.headers['x-amz-security-token']).toBe(TOKEN);
    expect(seen[12]?.path).toBe('/endpoints/my-endpoint/invocations');

    expect(JSON.parse(String(results[0]?.body))).toMatchObject({ echo: 'SageMaker.CreateAutoMLJobV2' });
    expect(results[0]).toMatchObject({ ok: true, httpStatus: 200, requestId: `req-${String(before + 1)}` });
    expect(results[3]).toMatchObject({ kind: 'Throttled', httpStatus: 400, requestId: `req-${String(before + 6)}` });
    expect(String(results[3]?.message)).toContain('ThrottlingException: Rate exceeded');
    expect(String(results[3]?.message)).toContain('after 3 attempts');
    expect(String(results[7]?.message)).toContain('after 3 attempts');
    // A create is never retried.
    expect(String(results[6]?.message)).not.toContain('attempts');
    expect(results[2]).toMatchObject({ kind: 'AccessDenied', httpStatus: 403 });
    expect(results[9]).toMatchObject({ kind: 'BadCredentials', value: 'NO_SUCH_CONNECTION' });
    expect(results[13]).toMatchObject({ ok: true, body: 'predicted:1,2\n3,4\n' });

    for (const secret of [SECRET, TEMP_SECRET, TOKEN, 'wrongSecret0123456789abcdefghijklmnopqr']) {
      expect(raw).not.toContain(secret);
      expect(raw).not.toContain(JSON.stringify(secret).slice(1, -1));
    }
  });

  it('retries idempotent calls after 429 and 503 (Retry-After honoured) and succeeds; never retries a create', async () => {
    const script = awsCallUdfScript({ schema: 'SME', awsEndpointUrl: server.url, timeoutSeconds: 5 });
    const seq = (key: string, ...answers: unknown[]) => ({ AutoMLJobName: 'j', __sequence: { key, answers } });
    const throttled = { status: 429, type: 'TooManyRequestsException', message: 'slow down' };
    const unavailable = { status: 503, type: 'ServiceUnavailable', message: 'busy', retryAfter: '1' };
    const before = server.seen.length;
    const started = Date.now();
    const { results } = await runUdf(script, [
      call('DescribeAutoMLJobV2', seq('describe', throttled, unavailable)),
      call('ListCandidatesForAutoMLJob', seq('list', unavailable, unavailable, unavailable)),
      call('CreateAutoMLJobV2', seq('create', throttled)),
    ]);
    const elapsed = Date.now() - started;
    expect(results[0]).toMatchObject({ ok: true, httpStatus: 200, requestId: `req-${String(before + 3)}` });
    expect(results[1]).toMatchObject({ ok: false, code: 'SME-E-AWS-SERVICE', httpStatus: 503 });
    expect(String(results[1]?.message)).toContain('after 3 attempts');
    expect(results[2]).toMatchObject({ ok: false, code: 'SME-E-AWS-THROTTLED', httpStatus: 429 });
    const seen = server.seen.slice(before);
    expect(seen).toHaveLength(7);
    expect(seen.every((s) => s.signatureValid)).toBe(true);
    // Retry-After: 1 was honoured three times (socket.sleep), each delay at most 20 s.
    expect(elapsed).toBeGreaterThanOrEqual(3000);
  }, 60_000);

  it('tells a missing ACCESS privilege from a missing CONNECTION and names the exact GRANT', async () => {
    const script = awsCallUdfScript({ schema: 'SME', awsEndpointUrl: server.url, timeoutSeconds: 5 });
    const { results, raw } = await runUdf(script, [
      call('ListEndpoints', {}, 'AWS_NO_ACCESS'),
      call('ListEndpoints', {}, 'NO_SUCH_CONNECTION'),
    ]);
    expect(results[0]).toMatchObject({ ok: false, code: 'SME-E-CONNECTION-ACCESS', kind: 'AccessDenied' });
    expect(String(results[0]?.message)).toContain(
      'Run GRANT ACCESS ON CONNECTION "AWS_NO_ACCESS" FOR SCRIPT "SME"."SME_AWS_SAGEMAKER_CALL" TO "ANALYST"',
    );
    expect(results[0]?.remedy).toMatch(/^Run GRANT ACCESS ON CONNECTION "AWS_NO_ACCESS" FOR SCRIPT/);
    expect(results[1]).toMatchObject({ ok: false, code: 'SME-E-AWS-CONNECTION' });
    expect(raw).not.toContain(SECRET);
  });

  it('connection-address UDF: the address (user information masked as core does), NULL when missing, SME-E-CONNECTION-ACCESS without ACCESS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sme-addr-'));
    const script = connectionAddressUdfScript('SME');
    writeFileSync(join(dir, 'body.lua'), script.slice(script.indexOf(' AS\n') + 4));
    writeFileSync(
      join(dir, 'driver.lua'),
      `NULL = setmetatable({}, { __tostring = function() return 'NULL' end })
exa = { meta = { script_schema = 'SME', script_name = 'SME_CONNECTION_ADDRESS', current_user = 'ANALYST' },
  get_connection = function(name)
    if name == 'OK' then return { type = 'PASSWORD', address = 'https://b.s3.amazonaws.com', user = 'u', password = 'p' } end
    if name == 'SECRET' then return { type = 'PASSWORD', address = ${luaStringLiteral(SECRET_ADDRESS)}, user = '', password = '' } end
    if name == 'DENIED' then error('insufficient privileges for using connection DENIED in script SME_CONNECTION_ADDRESS') end
    error('connection ' .. name .. ' does not exist')
  end }
local f = assert(io.open(arg[1], 'rb')); assert(load(f:read('a'), '=SME_CONNECTION_ADDRESS'))(); f:close()
local out = {}
for _, name in ipairs({ 'OK', 'MISSING', 'DENIED', 'SECRET' }) do
  local ok, r = pcall(run, { connection_name = name })
  out[#out + 1] = tostring(ok) .. '|' .. tostring(r)
end
io.write(table.concat(out, '~~'))`,
    );
    const { stdout } = await run('lua5.4', [join(dir, 'driver.lua'), join(dir, 'body.lua')]);
    const [ok, missing, denied, secret] = stdout.split('~~');
    expect(ok).toBe('true|https://b.s3.amazonaws.com');
    expect(secret).toBe('true|' + maskUserinfo(SECRET_ADDRESS));
    expect(secret).toBe('true|https://***@b.s3.amazonaws.com/ and https://***@c x');
    expect(missing).toBe('true|NULL');
    expect(denied).toMatch(/^false\|SME-E-CONNECTION-ACCESS: connection DENIED: /);
    expect(denied).toContain(
      'Run GRANT ACCESS ON CONNECTION "DENIED" FOR SCRIPT "SME"."SME_CONNECTION_ADDRESS" TO "ANALYST"',
    );
  });

  it('reports an unreachable endpoint with a coded error', async () => {
    const port = await closedPort();
    const script = awsCallUdfScript({
      schema: 'SME',
      awsEndpointUrl: `http://127.0.0.1:${String(port)}`,
      timeoutSeconds: 2,
    });
    const { results } = await runUdf(script, [call('ListEndpoints', {})]);
    expect(results[0]).toMatchObject({ ok: false, code: 'SME-E-AWS-UNREACHABLE', kind: 'Unreachable' });
    expect(String(results[0]?.message)).toContain(`http://127.0.0.1:${String(port)}`);
  });
});
