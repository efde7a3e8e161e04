import type { DescribeEndpointCommandOutput, EndpointSummary } from '@aws-sdk/client-sagemaker';
import type { AutoMLContainer, EndpointDescription, EndpointPort, ProductionVariant } from './core-api.js';
import type { AwsClients } from './sagemaker-clients.js';
import { awsCall } from './sagemaker-errors.js';

/** How many DescribeEndpoint calls {@link SageMakerEndpoints.listEndpoints} runs at once. */
const DESCRIBE_CONCURRENCY = 4;

export function toEndpointDescription(r: DescribeEndpointCommandOutput): EndpointDescription {
  return {
    EndpointName: r.EndpointName ?? '',
    EndpointArn: r.EndpointArn ?? '',
    EndpointConfigName: r.EndpointConfigName ?? '',
    EndpointStatus: r.EndpointStatus ?? 'Creating',
    ...(r.FailureReason === undefined || r.FailureReason === '' ? {} : { FailureReason: r.FailureReason }),
    CreationTime: r.CreationTime?.getTime() ?? 0,
  };
}

/** Runs `fn` over `items` with at most `limit` calls in flight, keeping the order of `items`. */
async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) {
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** {@link EndpointPort} over the SageMaker control plane of one region: model → endpoint config → endpoint. */
export class SageMakerEndpoints implements EndpointPort {
  readonly #clients: AwsClients;
  readonly #region: string;

  constructor(clients: AwsClients, region: string) {
    this.#clients = clients;
    this.#region = region;
  }

  async createModel(request: {
    readonly ModelName: string;
    readonly ExecutionRoleArn: string;
    readonly Containers: readonly AutoMLContainer[];
  }): Promise<void> {
    await this.#call('CreateModel', request.ModelName, async (client, sdk) => {
      await client.send(
        new sdk.CreateModelCommand({
          ModelName: request.ModelName,
          ExecutionRoleArn: request.ExecutionRoleArn,
          Containers: request.Containers.map((c) => ({
            Image: c.Image,
            ...(c.ModelDataUrl === undefined ? {} : { ModelDataUrl: c.ModelDataUrl }),
            ...(c.Environment === undefined ? {} : { Environment: { ...c.Environment } }),
          })),
        }),
      );
    });
  }

  async deleteModel(modelName: string): Promise<void> {
    await this.#call('DeleteModel', modelName, async (client, sdk) => {
      await client.send(new sdk.DeleteModelCommand({ ModelName: modelName }));
    });
  }

  async createEndpointConfig(request: {
    readonly EndpointConfigName: string;
    readonly ProductionVariants: readonly ProductionVariant[];
  }): Promise<void> {
    await this.#call('CreateEndpointConfig', request.EndpointConfigName, async (client, sdk) => {
      await client.send(
        new sdk.CreateEndpointConfigCommand({
          EndpointConfigName: request.EndpointConfigName,
          ProductionVariants: request.ProductionVariants.map((v) =>
            'ServerlessConfig' in v
              ? { VariantName: v.VariantName, ModelName: v.ModelName, ServerlessConfig: { ...v.ServerlessConfig } }
              : {
                  VariantName: v.VariantName,
                  ModelName: v.ModelName,
                  // The SDK types the instance type as a closed union; AWS adds types faster than SDK releases.
                  InstanceType: v.InstanceType as never,
                  InitialInstanceCount: v.InitialInstanceCount,
                },
          ),
        }),
      );
    });
  }

  async deleteEndpointConfig(endpointConfigName: string): Promise<void> {
    await this.#call('DeleteEndpointConfig', endpointConfigName, async (client, sdk) => {
      await client.send(new sdk.DeleteEndpointConfigCommand({ EndpointConfigName: endpointConfigName }));
    });
  }

  async createEndpoint(request: { readonly EndpointName: string; readonly EndpointConfigName: string }): Promise<void> {
    await this.#call('CreateEndpoint', request.EndpointName, async (client, sdk) => {
      await client.send(
        new sdk.CreateEndpointCommand({
          EndpointName: request.EndpointName,
          EndpointConfigName: request.EndpointConfigName,
        }),
      );
    });
  }

  async describeEndpoint(endpointName: string): Promise<EndpointDescription> {
    return this.#call('DescribeEndpoint', endpointName, async (client, sdk) =>
      toEndpointDescription(await client.send(new sdk.DescribeEndpointCommand({ EndpointName: endpointName }))),
    );
  }

  async deleteEndpoint(endpointName: string): Promise<void> {
    await this.#call('DeleteEndpoint', endpointName, async (client, sdk) => {
      await client.send(new sdk.DeleteEndpointCommand({ EndpointName: endpointName }));
    });
  }

  /**
   * Every endpoint of the region. ListEndpoints does not return the endpoint config name the port promises,
   * so each endpoint is described (a few at a time); an endpoint deleted in between is left out.
   */
  async listEndpoints(): Promise<readonly EndpointDescription[]> {
    const summaries = await this.#call('ListEndpoints', undefined, async (client, sdk) => {
      const all: EndpointSummary[] = [];
      let next: string | undefined;
      do {
        const page = await client.send(
          new sdk.ListEndpointsCommand({ MaxResults: 100, ...(next === undefined ? {} : { NextToken: next }) }),
        );
        all.push(...(page.Endpoints ?? []));
        next = page.NextToken === '' ? undefined : page.NextToken;
      } while (next !== undefined);
      return all;
    });
    const described = await mapBounded(summaries, DESCRIBE_CONCURRENCY, async (s) => {
      try {
        return await this.describeEndpoint(s.EndpointName ?? '');
      } catch (e) {
        if ((e as { kind?: unknown }).kind === 'NotFound') return undefined;
        throw e;
      }
    });
    return described.filter((d) => d !== undefined);
  }

  async #call<T>(
    operation: string,
    resource: string | undefined,
    run: (
      client: Awaited<ReturnType<AwsClients['sagemaker']>>,
      sdk: typeof import('@aws-sdk/client-sagemaker'),
    ) => Promise<T>,
  ): Promise<T> {
    const ctx = {
      ...this.#clients.context('SageMaker', this.#region),
      operation,
      ...(resource === undefined ? {} : { resource }),
    };
    return awsCall(ctx, async () => {
      const [client, sdk] = await Promise.all([
        this.#clients.sagemaker(this.#region),
        import('@aws-sdk/client-sagemaker'),
      ]);
      return run(client, sdk);
    });
  }
}
