import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { isSmeError } from '@sme/core';
import { describe, expect, it } from 'vitest';
import { connectionCredentials, parseEndpointUrl } from '../src/lua/aws/aws-call.js';
import { decodeAwsCallEnvelope } from '../src/lua/aws/aws-call-envelope.js';
import { awsErrorCode, awsErrorName } from '../src/lua/aws/aws-errors.js';
import { awsCallUdfScript } from '../src/deploy/aws-call-udf-script.js';
import { luaStringLiteral } from '../src/deploy/lua-literal.js';
import { describeTier } from '@sme/test-tiers';

const json = { decode: (t: string): unknown => JSON.parse(t), encode: (v: unknown) => JSON.stringify(v) };

describe('AWS error mapping', () => {
  it.each([
    ['ThrottlingException', '', 400, 'SME-E-AWS-THROTTLED'],
    ['ResourceNotFound', '', 400, 'SME-E-AWS-NOT-FOUND'],
    ['ValidationException', 'Could not find model "m".', 400, 'SME-E-AWS-NOT-FOUND'],
    ['ValidationException', 'Endpoint e of account 1 not found.', 400, 'SME-E-AWS-NOT-FOUND'],
    ['ValidationException', 'Cannot create already existing endpoint', 400, 'SME-E-AWS-ALREADY-EXISTS'],
    ['ValidationException', 'Value x at y failed', 400, 'SME-E-AWS-VALIDATION'],
    ['ResourceInUse', '', 400, 'SME-E-AWS-ALREADY-EXISTS'],
    ['AccessDeniedException', '', 400, 'SME-E-AWS-ACCESS-DENIED'],
    ['UnrecognizedClientException', '', 400, 'SME-E-AWS-CREDENTIALS'],
    ['ExpiredTokenException', '', 400, 'SME-E-AWS-CREDENTIALS'],
    ['ResourceLimitExceeded', '', 400, 'SME-E-AWS-LIMIT-EXCEEDED'],
    ['InternalFailure', '', 500, 'SME-E-AWS-SERVICE'],
    ['', '', 429, 'SME-E-AWS-THROTTLED'],
    ['', '', 403, 'SME-E-AWS-CREDENTIALS'],
    ['', '', 503, 'SME-E-AWS-SERVICE'],
    ['SomethingNew', '', 400, 'SME-E-AWS-VALIDATION'],
  ])('%s %s (HTTP %i) → %s', (name, message, status, code) => {
    expect(awsErrorCode(name, message, status)).toBe(code);
  });

  it.each([
    ['ValidationException', 'ValidationException'],
    ['com.amazonaws.sagemaker#ResourceNotFound', 'ResourceNotFound'],
    ['ThrottlingException:http://internal.amazon.com/coral/', 'ThrottlingException'],
  ])('__type %s names %s', (type, name) => {
    expect(awsErrorName(type)).toBe(name);
  });
});

describe('CONNECTION credentials', () => {
  it('reads key id, secret and optional session token; ignores other ;parameters', () => {
    expect(connectionCredentials('C', ' AKIA1 ', 'sec/ret+1')).toEqual({
      accessKeyId: 'AKIA1',
      secretAccessKey: 'sec/ret+1',
    });
    expect(connectionCredentials('C', 'ASIA1', 'sec;sse_type=AES256;session_token=to/k+en==')).toEqual({
      accessKeyId: 'ASIA1',
      secretAccessKey: 'sec',
      sessionToken: 'to/k+en==',
    });
  });
  it.each([
    ['', 'pw-S3cr3tValue'],
    ['AKIA', ''],
    ['AKIA', ';session_token=x'],
    ['AKIA', 'pw-S3cr3tValue;session_token='],
  ])('USER %j IDENTIFIED BY %j is refused with SME-E-AWS-CONNECTION, without echoing it', (user, password) => {
    let caught: unknown;
    try {
      connectionCredentials('C', user, password);
    } catch (e) {
      caught = e;
    }
    expect(isSmeError(caught) && caught.code).toBe('SME-E-AWS-CONNECTION');
    if (password.length > 3) expect((caught as Error).message).not.toContain(password);
  });
});

describe('endpoint override', () => {
  it.each([
    [
      'https://api.sagemaker.eu-west-1.amazonaws.com',
      { scheme: 'https', authority: 'api.sagemaker.eu-west-1.amazonaws.com', basePath: '' },
    ],
    ['http://127.0.0.1:4566/', { scheme: 'http', authority: '127.0.0.1:4566', basePath: '' }],
    ['http://localhost:8080/sagemaker/', { scheme: 'http', authority: 'localhost:8080', basePath: '/sagemaker' }],
  ])('%s parses', (url, expected) => {
    expect(parseEndpointUrl(url)).toEqual(expected);
  });
  it.each(['ftp://x', 'http://', 'http://a b', 'http://h:99999999', 'https://h/p?q=1', "http://h/'"])(
    '%s is refused',
    (url) => {
      expect(parseEndpointUrl(url)).toBeUndefined();
      expect(() => awsCallUdfScript({ schema: 'SME', awsEndpointUrl: url })).toThrow(
        expect.objectContaining({ code: 'SME-E-AWS-ENDPOINT-INVALID' }),
      );
      expect(() => awsCallUdfScript({ schema: 'SME', awsEndpointUrl: url })).toThrow('--aws-endpoint-url: ');
    },
  );
});

describe('envelope', () => {
  it('gives the body on success and rethrows the coded error otherwise', () => {
    expect(decodeAwsCallEnvelope(json, '{"ok":true,"httpStatus":200,"requestId":"r","body":"{}"}')).toEqual({
      httpStatus: 200,
      requestId: 'r',
      body: '{}',
    });
    let caught: unknown;
    try {
      decodeAwsCallEnvelope(
        json,
        '{"ok":false,"code":"SME-E-AWS-THROTTLED","kind":"Throttled","message":"m","requestId":"r","httpStatus":400}',
      );
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({
      code: 'SME-E-AWS-THROTTLED',
      kind: 'Throttled',
      details: { requestId: 'r', httpStatus: 400 },
    });
    expect(() => decodeAwsCallEnvelope(json, 'not json')).toThrow(/SME-E-AWS-UDF-INTERNAL/);
  });
});

describeTier('native-lua', 'luaStringLiteral', () => {
  it('means exactly the UTF-8 bytes of the text under lua5.4 (one process for the batch)', () => {
    const samples = fc.sample(fc.string({ unit: 'binary', maxLength: 40 }), { numRuns: 300, seed: 7 });
    samples.push('"\\\n\r\0]]==]', "'; DROP TABLE x; --", '\u0000\u007f\u0080');
    const program =
      'local t = {' +
      samples.map(luaStringLiteral).join(',\n') +
      "}\nfor _, s in ipairs(t) do io.write((s:gsub('.', function(c) return string.format('%02x', c:byte()) end)), '\\n') end";
    const out = execFileSync('lua5.4', ['-'], { input: program, encoding: 'utf8' });
    expect(out.split('\n').slice(0, -1)).toEqual(samples.map((s) => Buffer.from(s, 'utf8').toString('hex')));
    for (const s of samples) expect(luaStringLiteral(s)).not.toMatch(/[\n\r]/);
  });
});
