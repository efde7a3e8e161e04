import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { S3Client } from '@aws-sdk/client-s3';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, RetryStrategyV2 } from '@smithy/types';
import { defaultRegionOf, type ResolvedSageMakerOptions } from './sagemaker-config.js';
import { sageMakerError } from './sagemaker-error-codes.js';
import type { AwsCallContext } from './sagemaker-errors.js';
import { backoffDelay, withoutThrottlingRetries } from './sagemaker-retry.js';

interface CommonClientConfig {
  readonly region: string;
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  readonly retryStrategy: RetryStrategyV2;
  readonly endpoint?: string;
}

/** The services sme calls, as users know them (error messages name them). */
export type AwsService = 'SageMaker' | 'SageMaker runtime' | 'S3' | 'STS';

/**
 * Creates the SDK clients on first use, one per service and region. The SDK modules are imported dynamically so
 * that a program that imports this package (the `sme` CLI answering `--help`) does not pay for loading them.
 */
export class AwsClients {
  readonly #options: ResolvedSageMakerOptions;
  readonly #clients = new Map<string, Promise<{ destroy(): void }>>();
  #credentials: Promise<AwsCredentialIdentity | AwsCredentialIdentityProvider> | undefined;
  #closed = false;
  readonly #created: { destroy(): void }[] = [];

  constructor(options: ResolvedSageMakerOptions) {
    this.#options = options;
  }

  get options(): ResolvedSageMakerOptions {
    return this.#options;
  }

  /**
   * The region a call goes to: `region` when given, else the resolved default.
   *
   * @throws SmeError `SME-E-AWS-REGION-MISSING` when neither is set.
   */
  regionOf(region: string | undefined): string {
    if (region !== undefined && region !== '') return region;
    return defaultRegionOf(this.#options);
  }

  /** Facts for error messages about a call to `service` in `region` (never secrets). */
  context(service: AwsService, region: string): AwsCallContext {
    const endpoint = this.#endpointOf(service);
    return {
      service,
      region,
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(this.#options.profile === undefined ? {} : { profile: this.#options.profile }),
    };
  }

  /** SageMaker control plane of `region`. */
  sagemaker(region: string): Promise<SageMakerClient> {
    return this.#client('SageMaker', region, async (config) => {
      const { SageMakerClient } = await import('@aws-sdk/client-sagemaker');
      return new SageMakerClient(config);
    });
  }

  /** SageMaker runtime (InvokeEndpoint) of `region`. */
  runtime(region: string): Promise<SageMakerRuntimeClient> {
    return this.#client('SageMaker runtime', region, async (config) => {
      const { SageMakerRuntimeClient } = await import('@aws-sdk/client-sagemaker-runtime');
      return new SageMakerRuntimeClient(config);
    });
  }

  /** S3 of `region`. */
  s3(region: string): Promise<S3Client> {
    return this.#client('S3', region, async (config) => {
      const { S3Client } = await import('@aws-sdk/client-s3');
      const overridden = this.#options.endpoints.s3 !== undefined;
      return new S3Client({
        ...config,
        forcePathStyle: this.#options.s3ForcePathStyle,
        // S3-compatible servers (s3rver, older MinIO) store the aws-chunked framing of default checksums inside the
        // object (seen with s3rver 3.7 and AWS SDK v3); checksums only where the API demands one is what they
        // understand.
        ...(overridden
          ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }
          : {}),
      });
    });
  }

  /** STS of `region`. */
  sts(region: string): Promise<STSClient> {
    return this.#client('STS', region, async (config) => {
      const { STSClient } = await import('@aws-sdk/client-sts');
      return new STSClient(config);
    });
  }

  /** Destroys every client made so far (closes their sockets); later calls fail with `SME-E-AWS-CLOSED`. */
  close(): void {
    this.#closed = true;
    for (const c of this.#created.splice(0)) c.destroy();
  }

  #endpointOf(service: AwsService): string | undefined {
    const endpoints = this.#options.endpoints;
    switch (service) {
      case 'SageMaker':
        return endpoints.sagemaker;
      case 'SageMaker runtime':
        return endpoints.runtime;
      case 'S3':
        return endpoints.s3;
      case 'STS':
        return endpoints.sts;
    }
  }

  #client<T extends { destroy(): void }>(
    service: AwsService,
    region: string,
    create: (config: CommonClientConfig) => Promise<T>,
  ): Promise<T> {
    this.#assertOpen();
    const key = `${service}\u0000${region}`;
    let client = this.#clients.get(key) as Promise<T> | undefined;
    if (client === undefined) {
      client = this.#make(async () => create(await this.#common(region, this.#endpointOf(service))));
      this.#clients.set(key, client);
      // A client that could not be made (closed meanwhile) is not kept: the next call tries again and fails itself.
      client.catch(() => {
        this.#clients.delete(key);
      });
    }
    return client;
  }

  async #make<T extends { destroy(): void }>(create: () => Promise<T>): Promise<T> {
    this.#assertOpen();
    const client = await create();
    if (this.#closed) {
      client.destroy();
      this.#assertOpen();
    }
    this.#created.push(client);
    return client;
  }

  #assertOpen(): void {
    if (this.#closed) throw sageMakerError('SME-E-AWS-CLOSED', 'the SageMaker adapters were closed');
  }

  async #common(region: string, endpoint: string | undefined): Promise<CommonClientConfig> {
    const o = this.#options;
    const { ConfiguredRetryStrategy } = await import('@smithy/core/retry');
    const retryStrategy = new ConfiguredRetryStrategy(o.maxAttempts, (attempt: number) =>
      backoffDelay(attempt, o.retryBaseDelayMs, o.retryMaxDelayMs),
    );
    return {
      region,
      credentials: await this.#credentialSource(),
      retryStrategy: o.retryThrottling ? retryStrategy : withoutThrottlingRetries(retryStrategy),
      ...(endpoint === undefined ? {} : { endpoint }),
    };
  }

  /** One provider for all clients, so that an SSO or assume-role lookup happens once. */
  #credentialSource(): Promise<AwsCredentialIdentity | AwsCredentialIdentityProvider> {
    this.#credentials ??= (async () => {
      const explicit = this.#options.credentials;
      // A mutable copy: the SDK records on the credentials object where they came from ($source).
      if (explicit !== undefined) return { ...explicit };
      const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
      return fromNodeProviderChain(this.#options.profile === undefined ? {} : { profile: this.#options.profile });
    })();
    return this.#credentials;
  }
}
