import type { InferencePort } from './core-api.js';
import type { AwsClients } from './sagemaker-clients.js';
import { sageMakerError } from './sagemaker-error-codes.js';
import { awsCall } from './sagemaker-errors.js';

/**
 * Largest request body sent to InvokeEndpoint. The API model says 5 MiB, current AWS docs 6 MB
 * (packages/sandbox/src/aws/api-model/README.md): the smaller one is safe with both.
 */
export const MAX_INVOKE_BODY_BYTES = 5 * 1024 * 1024;

/** {@link InferencePort} over SageMaker runtime's InvokeEndpoint in one region, CSV in and out. */
export class SageMakerInference implements InferencePort {
  readonly #clients: AwsClients;
  readonly #region: string;

  constructor(clients: AwsClients, region: string) {
    this.#clients = clients;
    this.#region = region;
  }

  async invoke(endpointName: string, csvBody: string): Promise<string> {
    const body = new TextEncoder().encode(csvBody);
    if (body.byteLength > MAX_INVOKE_BODY_BYTES) {
      throw sageMakerError(
        'SME-E-AWS-BODY-TOO-LARGE',
        `InvokeEndpoint body for '${endpointName}' is ${body.byteLength} bytes, more than ${MAX_INVOKE_BODY_BYTES}`,
        { key: 'csvBody', value: `${body.byteLength} bytes` },
      );
    }
    const ctx = {
      ...this.#clients.context('SageMaker runtime', this.#region),
      operation: 'InvokeEndpoint',
      resource: endpointName,
    };
    return awsCall(ctx, async () => {
      const [client, { InvokeEndpointCommand }] = await Promise.all([
        this.#clients.runtime(this.#region),
        import('@aws-sdk/client-sagemaker-runtime'),
      ]);
      const out = await client.send(
        new InvokeEndpointCommand({
          EndpointName: endpointName,
          ContentType: 'text/csv',
          Accept: 'text/csv',
          Body: body,
        }),
      );
      return new TextDecoder().decode(out.Body);
    });
  }
}
