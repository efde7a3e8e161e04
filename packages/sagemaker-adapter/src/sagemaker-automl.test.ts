import {
  CreateAutoMLJobV2Command,
  DescribeAutoMLJobV2Command,
  ListCandidatesForAutoMLJobCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SageMakerAutoML } from './sagemaker-automl.js';
import { AwsClients } from './sagemaker-clients.js';
import { resolveSageMakerOptions } from './sagemaker-config.js';

// moto lacks ListCandidatesForAutoMLJob and never completes a job: these shapes are checked with a mocked client.
const sm = mockClient(SageMakerClient);
afterEach(() => sm.reset());

const automl = () =>
  new SageMakerAutoML(
    new AwsClients(
      resolveSageMakerOptions({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
    ),
    'eu-west-1',
  );

const candidate = (i: number) => ({
  CandidateName: `c${i}`,
  CandidateStatus: 'Completed' as const,
  ObjectiveStatus: 'Succeeded' as const,
  CandidateSteps: [],
  CreationTime: new Date(Date.UTC(2025, 0, 1, 0, 0, i)),
  LastModifiedTime: new Date(Date.UTC(2025, 0, 1)),
  FinalAutoMLJobObjectiveMetric: { MetricName: 'MSE' as const, Value: i / 10, Type: 'Minimize' as const },
  InferenceContainers: [{ Image: 'img', ModelDataUrl: `s3://b/m${i}.tar.gz`, Environment: { K: 'v' } }],
});

describe('SageMakerAutoML mapping', () => {
  it('maps a completed job: dates to epoch millis, best candidate, resolved problem type, no empty strings', async () => {
    sm.on(DescribeAutoMLJobV2Command).resolves({
      AutoMLJobName: 'j',
      AutoMLJobArn: 'arn:aws:sagemaker:eu-west-1:1:automl-job/j',
      AutoMLJobInputDataConfig: [
        {
          ChannelType: 'training',
          ContentType: 'text/csv;header=present',
          DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://b/j/attempt-7-1/input/' } },
        },
      ],
      AutoMLProblemTypeConfig: { TabularJobConfig: { TargetAttributeName: 'Y', ProblemType: 'Regression' } },
      OutputDataConfig: { S3OutputPath: 's3://b/out/' },
      RoleArn: 'arn:aws:iam::1:role/r',
      CreationTime: new Date(Date.UTC(2025, 0, 1)),
      EndTime: new Date(Date.UTC(2025, 0, 1, 1)),
      LastModifiedTime: new Date(Date.UTC(2025, 0, 1, 1)),
      FailureReason: '',
      AutoMLJobStatus: 'Completed',
      AutoMLJobSecondaryStatus: 'Completed',
      BestCandidate: candidate(3),
      ResolvedAttributes: {
        AutoMLJobObjective: { MetricName: 'MSE' },
        AutoMLProblemTypeResolvedAttributes: { TabularResolvedAttributes: { ProblemType: 'Regression' } },
      },
      AutoMLJobArtifacts: { DataExplorationNotebookLocation: 's3://b/nb' },
    });
    const d = await automl().describeJob('j');
    expect(d).toEqual({
      AutoMLJobName: 'j',
      AutoMLJobArn: 'arn:aws:sagemaker:eu-west-1:1:automl-job/j',
      AutoMLJobStatus: 'Completed',
      AutoMLJobSecondaryStatus: 'Completed',
      CreationTime: Date.UTC(2025, 0, 1),
      EndTime: Date.UTC(2025, 0, 1, 1),
      LastModifiedTime: Date.UTC(2025, 0, 1, 1),
      BestCandidate: {
        CandidateName: 'c3',
        CandidateStatus: 'Completed',
        ObjectiveStatus: 'Succeeded',
        FinalAutoMLJobObjectiveMetric: { MetricName: 'MSE', Value: 0.3, Type: 'Minimize' },
        InferenceContainers: [{ Image: 'img', ModelDataUrl: 's3://b/m3.tar.gz', Environment: { K: 'v' } }],
        CreationTime: Date.UTC(2025, 0, 1, 0, 0, 3),
      },
      OutputDataConfig: { S3OutputPath: 's3://b/out/' },
      // What start-training compares before adopting a job whose create answer was lost.
      AutoMLJobInputDataConfig: [
        {
          ChannelType: 'training',
          ContentType: 'text/csv;header=present',
          DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://b/j/attempt-7-1/input/' } },
        },
      ],
      AutoMLProblemTypeConfig: { TabularJobConfig: { TargetAttributeName: 'Y', ProblemType: 'Regression' } },
      RoleArn: 'arn:aws:iam::1:role/r',
      ResolvedAttributes: {
        AutoMLJobObjective: { MetricName: 'MSE' },
        AutoMLProblemTypeResolvedAttributes: { TabularResolvedAttributes: { ProblemType: 'Regression' } },
      },
      AutoMLJobArtifacts: { DataExplorationNotebookLocation: 's3://b/nb' },
    });
    expect(sm.commandCalls(DescribeAutoMLJobV2Command)[0]?.args[0].input).toEqual({ AutoMLJobName: 'j' });
  });

  it('sends the V2 request with every member the core gave', async () => {
    sm.on(CreateAutoMLJobV2Command).resolves({ AutoMLJobArn: 'arn:x' });
    const request = {
      AutoMLJobName: 'j',
      AutoMLJobInputDataConfig: [
        {
          ChannelType: 'training' as const,
          ContentType: 'text/csv;header=present',
          CompressionType: 'None' as const,
          DataSource: { S3DataSource: { S3DataType: 'S3Prefix' as const, S3Uri: 's3://b/in/' } },
        },
      ],
      OutputDataConfig: { S3OutputPath: 's3://b/out/' },
      AutoMLProblemTypeConfig: {
        TabularJobConfig: {
          TargetAttributeName: 'y',
          ProblemType: 'BinaryClassification' as const,
          CompletionCriteria: { MaxCandidates: 5, MaxAutoMLJobRuntimeInSeconds: 3600 },
          Mode: 'ENSEMBLING' as const,
        },
      },
      RoleArn: 'arn:aws:iam::1:role/r',
      AutoMLJobObjective: { MetricName: 'F1' },
      Tags: [{ Key: 'sme', Value: '1' }],
    };
    expect(await automl().createJob(request)).toEqual({ AutoMLJobArn: 'arn:x' });
    expect(sm.commandCalls(CreateAutoMLJobV2Command)[0]?.args[0].input).toEqual(request);
  });

  it('follows NextToken across pages and stops at maxResults', async () => {
    sm.on(ListCandidatesForAutoMLJobCommand, { NextToken: undefined })
      .resolves({ Candidates: [candidate(1), candidate(2)], NextToken: 't2' })
      .on(ListCandidatesForAutoMLJobCommand, { NextToken: 't2' })
      .resolves({ Candidates: [candidate(3), candidate(4)], NextToken: 't3' })
      .on(ListCandidatesForAutoMLJobCommand, { NextToken: 't3' })
      .resolves({ Candidates: [candidate(5)] });

    const all = await automl().listCandidates('j', { sortBy: 'FinalObjectiveMetricValue' });
    expect(all.map((c) => c.CandidateName)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    expect(all[0]?.FinalAutoMLJobObjectiveMetric).toEqual({ MetricName: 'MSE', Value: 0.1, Type: 'Minimize' });
    expect(sm.commandCalls(ListCandidatesForAutoMLJobCommand)[0]?.args[0].input).toMatchObject({
      AutoMLJobName: 'j',
      SortBy: 'FinalObjectiveMetricValue',
      MaxResults: 100,
    });

    sm.resetHistory();
    const three = await automl().listCandidates('j', { maxResults: 3 });
    expect(three.map((c) => c.CandidateName)).toEqual(['c1', 'c2', 'c3']);
    expect(sm.commandCalls(ListCandidatesForAutoMLJobCommand).map((c) => c.args[0].input.MaxResults)).toEqual([3, 1]);
  });
});
