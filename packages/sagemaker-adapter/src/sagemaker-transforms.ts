import type { CreateTransformJobRequest, TransformJobDescription, TransformPort } from './core-api.js';
import type { AwsClients } from './sagemaker-clients.js';
import { awsCall } from './sagemaker-errors.js';

/** {@link TransformPort} over the SageMaker control plane of one region: CreateTransformJob, DescribeTransformJob, StopTransformJob. */
export class SageMakerTransforms implements TransformPort {
  readonly #clients: AwsClients;
  readonly #region: string;

  constructor(clients: AwsClients, region: string) {
    this.#clients = clients;
    this.#region = region;
  }

  async createTransformJob(request: CreateTransformJobRequest): Promise<void> {
    await this.#call('CreateTransformJob', request.TransformJobName, async (client, sdk) => {
      await client.send(
        new sdk.CreateTransformJobCommand({
          TransformJobName: request.TransformJobName,
          ModelName: request.ModelName,
          TransformInput: {
            DataSource: { S3DataSource: { ...request.TransformInput.DataSource.S3DataSource } },
            ContentType: request.TransformInput.ContentType,
            SplitType: request.TransformInput.SplitType,
            ...(request.TransformInput.CompressionType === undefined
              ? {}
              : { CompressionType: request.TransformInput.CompressionType }),
          },
          TransformOutput: { ...request.TransformOutput },
          // The SDK types the instance type as a closed union; AWS adds types faster than SDK releases.
          TransformResources: {
            InstanceType: request.TransformResources.InstanceType as never,
            InstanceCount: request.TransformResources.InstanceCount,
          },
          ...(request.DataProcessing === undefined ? {} : { DataProcessing: { ...request.DataProcessing } }),
          ...(request.BatchStrategy === undefined ? {} : { BatchStrategy: request.BatchStrategy }),
        }),
      );
    });
  }

  async describeTransformJob(transformJobName: string): Promise<TransformJobDescription> {
    return this.#call('DescribeTransformJob', transformJobName, async (client, sdk) => {
      const r = await client.send(new sdk.DescribeTransformJobCommand({ TransformJobName: transformJobName }));
      const ended = r.TransformEndTime?.getTime();
      return {
        TransformJobName: r.TransformJobName ?? transformJobName,
        TransformJobStatus: r.TransformJobStatus ?? 'InProgress',
        ...(r.FailureReason === undefined || r.FailureReason === '' ? {} : { FailureReason: r.FailureReason }),
        CreationTime: r.CreationTime?.getTime() ?? 0,
        ...(ended === undefined ? {} : { TransformEndTime: ended }),
      };
    });
  }

  async stopTransformJob(transformJobName: string): Promise<void> {
    await this.#call('StopTransformJob', transformJobName, async (client, sdk) => {
      await client.send(new sdk.StopTransformJobCommand({ TransformJobName: transformJobName }));
    });
  }

  async #call<T>(
    operation: string,
    resource: string,
    run: (
      client: Awaited<ReturnType<AwsClients['sagemaker']>>,
      sdk: typeof import('@aws-sdk/client-sagemaker'),
    ) => Promise<T>,
  ): Promise<T> {
    const ctx = { ...this.#clients.context('SageMaker', this.#region), operation, resource };
    return awsCall(ctx, async () => {
      const [client, sdk] = await Promise.all([
        this.#clients.sagemaker(this.#region),
        import('@aws-sdk/client-sagemaker'),
      ]);
      return run(client, sdk);
    });
  }
}
