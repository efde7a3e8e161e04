import type { AutoMLPort, AwsTarget, EndpointPort, InferencePort, TransformPort } from './core-api.js';
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

/**
 * A port per AWS target, as core's `…PortFactory` types ask. A target's empty or absent region means the default
 * region of the options (`SME-E-AWS-REGION-MISSING` when there is none). The Node adapters ignore
 * `connectionName`: they take credentials from the AWS credential chain (or the options), not from an Exasol
 * CONNECTION. One port per region is made and kept.
 */
export type RegionalPortFactory<P> = (target?: Partial<AwsTarget>) => P;

/** Every port this package implements, per (connection, region), sharing one set of lazily created SDK clients. */
export interface SageMakerAdapters {
  readonly automl: RegionalPortFactory<AutoMLPort>;
  readonly endpoints: RegionalPortFactory<EndpointPort>;
  /** Batch transform. */
  readonly transforms: RegionalPortFactory<TransformPort>;
  /** SageMaker runtime's InvokeEndpoint. */
  readonly inference: RegionalPortFactory<InferencePort>;
  /** S3: core's `ObjectStorePort` plus upload and read. */
  readonly objects: RegionalPortFactory<ObjectStore>;
  /** STS: the account, and role names made into ARNs of the region's partition. */
  readonly identity: RegionalPortFactory<AwsIdentity>;
  /** The options the adapters were made with (credentials are non-enumerable). */
  readonly options: ResolvedSageMakerOptions;
  /** Closes the SDK clients' sockets; the adapters fail with `SME-E-AWS-CLOSED` afterwards. */
  close(): void;
}

/** One port per region, made on first use. */
function perRegion<P>(clients: AwsClients, make: (region: string) => P): RegionalPortFactory<P> {
  const ports = new Map<string, P>();
  return (target) => {
    const region = clients.regionOf(target?.region);
    let port = ports.get(region);
    if (port === undefined) {
      port = make(region);
      ports.set(region, port);
    }
    return port;
  };
}

/**
 * Creates the SageMaker, S3 and STS adapters. Nothing is loaded or connected until the first call, so creating
 * them is cheap.
 *
 * @example
 * const aws = createSageMakerAdapters(await loadSageMakerOptions({ profile: 'ml' }));
 * try {
 *   const job = await aws.automl({ connectionName: '', region: 'eu-central-1' }).describeJob('churn-20250101');
 *   const endpoints = await aws.endpoints().listEndpoints(); // the default region
 * } finally {
 *   aws.close();
 * }
 */
export function createSageMakerAdapters(options: ResolvedSageMakerOptions): SageMakerAdapters {
  const clients = new AwsClients(options);
  return Object.freeze({
    automl: perRegion(clients, (region) => new SageMakerAutoML(clients, region)),
    endpoints: perRegion(clients, (region) => new SageMakerEndpoints(clients, region)),
    transforms: perRegion(clients, (region) => new SageMakerTransforms(clients, region)),
    inference: perRegion(clients, (region) => new SageMakerInference(clients, region)),
    objects: perRegion(clients, (region) => new S3ObjectStore(clients, region)),
    identity: perRegion(clients, (region) => new StsIdentity(clients, region)),
    options,
    close: () => {
      clients.close();
    },
  });
}
