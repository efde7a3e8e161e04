import { SmeError } from './core-api.js';
import type { InferencePort } from './core-api.js';
import type { AwsClients } from './sagemaker-clients.js';
import { awsCall } from './sagemaker-errors.js';

/**
 * Largest request body sent to InvokeEndpoint. The API model says 5 MiB, current AWS docs 6 MB
 * (packages/sandbox/src/aws/api-model/README.md): the smaller one is safe with both.
 */
export const MAX_INVOKE_BODY_BYTES = 5 * 1024 * 1024;

/** {@link InferencePort} over SageMaker runtime's InvokeEndpoint, CSV in and out. */
export class SageMakerInference implements InferencePort {
  readonly #clients: AwsClients;

  constructor(clients: AwsClients) {
    this.#clients = clients;
  }

  async invoke(endpointName: string, csvBody: string): Promise<string> {
    const body = new TextEncoder().encode(csvBody);
    if (body.byteLength > MAX_INVOKE_BODY_BYTES) {
      const remedy = `Send fewer rows per call (at most ${MAX_INVOKE_BODY_BYTES} bytes of CSV).`;
      throw new SmeError(
        'SME-E-AWS-BODY-TOO-LARGE',
        'InvalidInput',
        `SME-E-AWS-BODY-TOO-LARGE: InvokeEndpoint body for '${endpointName}' is ${body.byteLength} bytes. ${remedy}`,
        { key: 'csvBody', value: `${body.byteLength} bytes`, remedy },
      );
    }
    const ctx = { ...this.#clients.context('SageMaker runtime'), operation: 'InvokeEndpoint', resource: endpointName };
    return awsCall(ctx, async () => {
      const [client, { InvokeEndpointCommand }] = await Promise.all([
        this.#clients.runtime(),
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
