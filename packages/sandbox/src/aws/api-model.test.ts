import { DescribeAutoMLJobV2Command, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { describe, expect, it } from 'vitest';
import { SAGEMAKER_MODEL, SAGEMAKER_RUNTIME_MODEL, validateInput, validateOutput } from './api-model.js';
import type { AutoMLJobs } from './automl-jobs.js';
import { SANDBOX_CREDENTIALS } from './aws-sandbox.js';
import type { Endpoints } from './endpoints.js';
import type { TransformJobs } from './transform-jobs.js';
import { FaultInjector, seededRandom } from './faults.js';
import { checkResponse, startSageMakerServer } from './sagemaker-server.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const ROLE = 'arn:aws:iam::123456789012:role/sme-sandbox';

function createRequest(problemTypeConfig: Record<string, unknown>): Record<string, unknown> {
  return {
    AutoMLJobName: 'job-1',
    AutoMLJobInputDataConfig: [
      { ChannelType: 'training', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://b/in/' } } },
    ],
    OutputDataConfig: { S3OutputPath: 's3://b/out' },
    AutoMLProblemTypeConfig: problemTypeConfig,
    RoleArn: ROLE,
  };
}

/** A minimal DescribeAutoMLJobV2 response that satisfies the output shape. */
function describeResponse(): Record<string, unknown> {
  return {
    AutoMLJobName: 'job-1',
    AutoMLJobArn: 'arn:aws:sagemaker:eu-central-1:123456789012:automl-job/job-1',
    AutoMLJobInputDataConfig: createRequest({}).AutoMLJobInputDataConfig,
    OutputDataConfig: { S3OutputPath: 's3://b/out' },
    RoleArn: ROLE,
    CreationTime: 1_700_000_000.5,
    LastModifiedTime: 1_700_000_001,
    AutoMLJobStatus: 'InProgress',
    AutoMLJobSecondaryStatus: 'Starting',
    AutoMLProblemTypeConfig: { TabularJobConfig: { TargetAttributeName: 'label' } },
  };
}

describe('requests: unions', () => {
  it('accept exactly one member of AutoMLProblemTypeConfig', () => {
    const ok = createRequest({ TabularJobConfig: { TargetAttributeName: 'label' } });
    expect(validateInput(SAGEMAKER_MODEL, 'CreateAutoMLJobV2Request', ok)).toEqual([]);
  });

  it('refuse two job configs and none, naming the union', () => {
    const two = createRequest({
      TabularJobConfig: { TargetAttributeName: 'label' },
      ImageClassificationJobConfig: {},
    });
    const p2 = validateInput(SAGEMAKER_MODEL, 'CreateAutoMLJobV2Request', two);
    expect(p2).toHaveLength(1);
    expect(p2[0]).toMatch(
      /^Value '\{ImageClassificationJobConfig, TabularJobConfig\}' at 'autoMLProblemTypeConfig' failed to satisfy constraint: Member must have exactly one member set/,
    );
    const none = validateInput(SAGEMAKER_MODEL, 'CreateAutoMLJobV2Request', createRequest({}));
    expect(none.join('\n')).toMatch(/Value null at 'autoMLProblemTypeConfig' .*exactly one member set/);
  });

  it('still check the members inside the chosen union member', () => {
    const bad = createRequest({ TabularJobConfig: { TargetAttributeName: '', ProblemType: 'Clustering' } });
    const problems = validateInput(SAGEMAKER_MODEL, 'CreateAutoMLJobV2Request', bad).join('\n');
    expect(problems).toMatch(/autoMLProblemTypeConfig\.tabularJobConfig\.targetAttributeName' .*length greater/);
    expect(problems).toMatch(/autoMLProblemTypeConfig\.tabularJobConfig\.problemType' .*enum value set/);
  });
});

describe('requests: the other constraint kinds', () => {
  it('check required members, enums, lengths, patterns, ranges and list lengths', () => {
    const req = {
      ...createRequest({
        TabularJobConfig: { TargetAttributeName: 'label', CompletionCriteria: { MaxCandidates: 0 } },
      }),
      AutoMLJobName: 'bad_name',
      RoleArn: undefined,
      AutoMLJobInputDataConfig: [],
      AutoMLJobObjective: { MetricName: 'Speed' },
    };
    const text = validateInput(SAGEMAKER_MODEL, 'CreateAutoMLJobV2Request', req).join('\n');
    expect(text).toMatch(/Value null at 'roleArn' failed to satisfy constraint: Member must not be null/);
    expect(text).toMatch(/Value 'bad_name' at 'autoMLJobName' .*regular expression pattern/);
    expect(text).toMatch(/at 'autoMLJobInputDataConfig' .*length greater than or equal to 1/);
    expect(text).toMatch(/Value 'Speed' at 'autoMLJobObjective\.metricName' .*enum value set/);
    expect(text).toMatch(/Value '0' at .*maxCandidates' .*value greater than or equal to 1/);
  });

  it('throw a serialization problem for wrong JSON types, timestamps and blobs included', () => {
    expect(() => validateInput(SAGEMAKER_MODEL, 'ListAutoMLJobsRequest', { CreationTimeAfter: 'yesterday' })).toThrow(
      /Expected epoch seconds at 'creationTimeAfter'/,
    );
    expect(() => validateInput(SAGEMAKER_MODEL, 'ListAutoMLJobsRequest', { MaxResults: 1.5 })).toThrow(
      /Expected an integer/,
    );
    expect(() =>
      validateInput(SAGEMAKER_RUNTIME_MODEL, 'InvokeEndpointInput', { EndpointName: 'e', Body: 'not base64!' }),
    ).toThrow(/Expected base64 at 'body'/);
    expect(validateInput(SAGEMAKER_RUNTIME_MODEL, 'InvokeEndpointInput', { EndpointName: 'e', Body: 'MSwy' })).toEqual(
      [],
    );
  });
});

describe('responses', () => {
  it('accept a well-formed DescribeAutoMLJobV2 response', () => {
    expect(validateOutput(SAGEMAKER_MODEL, 'DescribeAutoMLJobV2Response', describeResponse())).toEqual([]);
  });

  it('catch a missing required member, a wrong enum value, a wrong type and an unknown member', () => {
    const out = describeResponse();
    delete out.RoleArn;
    out.AutoMLJobStatus = 'Running';
    out.CreationTime = '2024-01-01T00:00:00Z';
    out.Extra = 1;
    const text = validateOutput(SAGEMAKER_MODEL, 'DescribeAutoMLJobV2Response', out).join('\n');
    expect(text).toMatch(/Value null at 'roleArn' failed to satisfy constraint: Member must not be null/);
    expect(text).toMatch(/Value 'Running' at 'autoMLJobStatus' .*enum value set/);
    expect(text).toMatch(/Expected epoch seconds at 'creationTime'/);
    expect(text).toMatch(/Member 'extra' is not in the model/);
  });

  it('catch a union with two members and a candidate without its required explainability location', () => {
    const out = describeResponse();
    out.ResolvedAttributes = {
      AutoMLProblemTypeResolvedAttributes: {
        TabularResolvedAttributes: { ProblemType: 'Regression' },
        TextGenerationResolvedAttributes: { BaseModelName: 'x' },
      },
    };
    out.BestCandidate = {
      CandidateName: 'c',
      ObjectiveStatus: 'Succeeded',
      CandidateSteps: [],
      CandidateStatus: 'Completed',
      CreationTime: 1,
      LastModifiedTime: 2,
      CandidateProperties: { CandidateArtifactLocations: { ModelInsights: 's3://b/insights' } },
    };
    const text = validateOutput(SAGEMAKER_MODEL, 'DescribeAutoMLJobV2Response', out).join('\n');
    expect(text).toMatch(/autoMLProblemTypeResolvedAttributes' .*exactly one member set/);
    expect(text).toMatch(
      /Value null at 'bestCandidate\.candidateProperties\.candidateArtifactLocations\.explainability'/,
    );
  });

  it('checkResponse throws a message naming the operation, the shape and the violation', () => {
    const out = describeResponse();
    out.AutoMLJobSecondaryStatus = 'Thinking';
    expect(() => {
      checkResponse('DescribeAutoMLJobV2', out);
    }).toThrow(
      /^Sandbox bug: the DescribeAutoMLJobV2 response violates the API model \(DescribeAutoMLJobV2Response\): 1 validation error detected: Value 'Thinking' at 'autoMLJobSecondaryStatus'/,
    );
    expect(() => {
      checkResponse('StopAutoMLJob', { Unexpected: true });
    }).toThrow(/StopAutoMLJob has no output shape/);
    expect(() => {
      checkResponse('StopAutoMLJob', {});
    }).not.toThrow();
  });
});

describe('the server with a handler that answers a malformed response', () => {
  it('sends 500 InternalFailure naming the violation and reports it', async () => {
    const reported: string[] = [];
    const broken = { ...describeResponse(), AutoMLJobStatus: 'Running' };
    const server = await startSageMakerServer({
      host: '127.0.0.1',
      region: 'eu-central-1',
      credentials: [SANDBOX_CREDENTIALS],
      jobs: { describe: () => broken } as unknown as AutoMLJobs,
      endpoints: {} as unknown as Endpoints,
      transforms: {} as unknown as TransformJobs,
      faults: new FaultInjector({}, seededRandom(1)),
      onResponseViolation: (m) => reported.push(m),
    });
    try {
      const sm = new SageMakerClient({
        region: 'eu-central-1',
        endpoint: server.endpoint,
        credentials: { ...SANDBOX_CREDENTIALS },
        maxAttempts: 1,
      });
      const error = await sm.send(new DescribeAutoMLJobV2Command({ AutoMLJobName: 'job-1' })).then(
        () => undefined,
        (e: unknown) => e as { name: string; message: string; $metadata: { httpStatusCode?: number } },
      );
      expect(error?.$metadata.httpStatusCode).toBe(500);
      expect(error?.name).toBe('InternalFailure');
      expect(error?.message).toMatch(/Sandbox bug: .*Value 'Running' at 'autoMLJobStatus'/);
      expect(reported).toHaveLength(1);

      // InvokeEndpoint: the members bound to the URI and headers are validated as InvokeEndpointInput.
      const rt = new SageMakerRuntimeClient({
        region: 'eu-central-1',
        endpoint: server.endpoint,
        credentials: { ...SANDBOX_CREDENTIALS },
        maxAttempts: 1,
      });
      const invoke = new InvokeEndpointCommand({
        EndpointName: 'e-1',
        ContentType: 'text/csv',
        Accept: 'x'.repeat(1025),
        Body: '1,2',
      });
      const refused = await rt.send(invoke).then(
        () => undefined,
        (e: unknown) => e as { name: string; message: string },
      );
      expect(refused?.name).toBe('ValidationError');
      expect(refused?.message).toMatch(/at 'accept' failed to satisfy constraint: .*less than or equal to 1024/);
    } finally {
      await server.stop();
    }
  });
});
