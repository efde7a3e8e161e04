import { describe, expect, it } from 'vitest';
import { coreError, isSmeError } from '@sme/core';
import type { AwsCallDeps } from '../src/lua/aws/aws-call.js';
import type { HttpRequest, HttpResponse } from '../src/lua/aws/http-port.js';
import { errorText, runPredictionSet, type PredictionConfig } from '../src/lua/endpoints/prediction-run.js';
import { nodeSha256Crypto } from '../src/node/node-crypto.js';

/** AWS answering InvokeEndpoint with `invoke` and DescribeEndpoint with `describe`. */
function aws(invoke: HttpResponse, describe: HttpResponse): AwsCallDeps {
  return {
    http: { send: (request: HttpRequest) => (request.url.includes('runtime.sagemaker.') ? invoke : describe) },
    crypto: nodeSha256Crypto,
    clock: { nowMillis: () => 1700000000000 },
    json: { decode: (t: string): unknown => JSON.parse(t), encode: (v: unknown) => JSON.stringify(v) },
    getConnection: () => ({ user: 'AKIAX', password: 'secretsecret' }),
  };
}

const config: PredictionConfig = {
  endpointName: 'pred-ep',
  connectionName: 'C',
  region: 'eu-west-1',
  problemType: 'Regression',
  featureNames: ['X'],
  featureTypes: ['DOUBLE'],
  predictionsType: 'DOUBLE',
  maxRows: 10,
  maxBytes: 10_000,
};

function oneRow(): Parameters<typeof runPredictionSet>[0] {
  return { value: () => 1, next: () => false, emit: () => undefined };
}

function failure(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('runPredictionSet', () => {
  it('fails with SME-E-ENDPOINT-NOT-IN-SERVICE when the endpoint is still Creating, and the UDF text says what to do', () => {
    const rejected: HttpResponse = {
      status: 400,
      headers: {},
      body: JSON.stringify({ __type: 'ValidationError', message: 'Endpoint pred-ep is not in service' }),
    };
    const creating: HttpResponse = { status: 200, headers: {}, body: JSON.stringify({ EndpointStatus: 'Creating' }) };
    const e = failure(() => runPredictionSet(oneRow(), config, aws(rejected, creating)));
    expect(isSmeError(e) && { code: e.code, kind: e.kind, message: e.message }).toEqual({
      code: 'SME-E-ENDPOINT-NOT-IN-SERVICE',
      kind: 'Precondition',
      message: 'endpoint pred-ep is Creating, not InService',
    });
    expect(errorText(e)).toBe(
      'SME-E-ENDPOINT-NOT-IN-SERVICE: endpoint pred-ep is Creating, not InService. ' +
        'Wait until SME_SAGEMAKER_AUTOPILOT_ENDPOINT_STATUS says InService; if it Failed, delete and deploy again.',
    );
  });
});

describe('errorText (prediction UDF)', () => {
  it('puts the code first once and the remedy after a full stop', () => {
    const e = coreError('SME-E-SQL-RESULT', 'the count query answered no row.', { remedy: 'Deploy again.' });
    expect(errorText(e)).toBe('SME-E-SQL-RESULT: the count query answered no row. Deploy again.');
    const coded = coreError('SME-E-SQL-RESULT', 'SME-E-SQL-RESULT: no row. Deploy again.', { remedy: 'Deploy again.' });
    expect(errorText(coded)).toBe('SME-E-SQL-RESULT: no row. Deploy again.');
  });
});
