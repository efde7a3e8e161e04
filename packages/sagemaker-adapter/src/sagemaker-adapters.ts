import type { AutoMLPortFactory, AwsTarget, EndpointPort, InferencePort, TransformPort } from './core-api.js';
import { S3ObjectStore } from './s3-object-store.js';
import type { ObjectStore } from './s3-object-store.js';
import { SageMakerAutoML } from './sagemaker-automl.js';
import { AwsClients } from './sagemaker-clients.js';
import type { ResolvedSageMakerOptions } from './sagemaker-config.js';
import { SageMakerEndpoints } from './sagemaker-endpoints.js';
import { StsIdentity } from './sagemaker-identity.js';
import type { AwsIdentity } from './sagemaker-identity.js';
import { SageMakerInference } from './sagemaker-inference.js';
import { SageMakerTransforms } from './sagemaker-transforms.js';

/** Every port this package implements, sharing one set of lazily created SDK clients. */
export interface SageMakerAdapters {
  /** AutoML port per target; the Node adapter ignores `target.connectionName` (it uses the AWS credential chain). */
  readonly automl: AutoMLPortFactory;
  readonly endpoints: EndpointPort;
  /** Batch transform (the region of the clients, like `endpoints`). */
  readonly transforms: TransformPort;
  readonly inference: InferencePort;
  readonly objects: ObjectStore;
  readonly identity: AwsIdentity;
  /** The options the adapters were made with (credentials are non-enumerable). */
  readonly options: ResolvedSageMakerOptions;
  /** Closes the SDK clients' sockets; the adapters fail with `SME-E-AWS-CLOSED` afterwards. */
  close(): void;
}

/**
 * Creates the SageMaker, S3 and STS adapters. Nothing is loaded or connected until the first call, so creating
 * them is cheap.
 *
 * @example
 * const aws = createSageMakerAdapters(await loadSageMakerOptions({ profile: 'ml' }));
 * try {
 *   const job = await aws.automl({ connectionName: '', region: aws.options.region }).describeJob('churn-20250101');
 * } finally {
 *   aws.close();
 * }
 */
export function createSageMakerAdapters(options: ResolvedSageMakerOptions): SageMakerAdapters {
  const clients = new AwsClients(options);
  const automl = new Map<string, SageMakerAutoML>();
  return Object.freeze({
    automl: (target: AwsTarget) => {
      const region = target.region === '' ? options.region : target.region;
      let port = automl.get(region);
      if (port === undefined) {
        port = new SageMakerAutoML(clients, region);
        automl.set(region, port);
      }
      return port;
    },
    endpoints: new SageMakerEndpoints(clients),
    transforms: new SageMakerTransforms(clients),
    inference: new SageMakerInference(clients),
    objects: new S3ObjectStore(clients),
    identity: new StsIdentity(clients),
    options,
    close: () => {
      clients.close();
    },
  });
}
