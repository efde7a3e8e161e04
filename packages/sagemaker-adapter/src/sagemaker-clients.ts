import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { S3Client } from '@aws-sdk/client-s3';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, RetryStrategyV2 } from '@smithy/types';
import { SmeError } from './core-api.js';
import type { ResolvedSageMakerOptions } from './sagemaker-config.js';
import type { AwsCallContext } from './sagemaker-errors.js';
import { backoffDelay } from './sagemaker-retry.js';

interface CommonClientConfig {
  readonly region: string;
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  readonly retryStrategy: RetryStrategyV2;
  readonly endpoint?: string;
}

/**
 * Creates the SDK clients on first use. The SDK modules are imported dynamically so that a program that imports
 * this package (the `sme` CLI answering `--help`) does not pay for loading them.
 */
export class AwsClients {
  readonly #options: ResolvedSageMakerOptions;
  readonly #sagemaker = new Map<string, Promise<SageMakerClient>>();
  #runtime: Promise<SageMakerRuntimeClient> | undefined;
  #s3: Promise<S3Client> | undefined;
  #sts: Promise<STSClient> | undefined;
  #credentials: Promise<AwsCredentialIdentity | AwsCredentialIdentityProvider> | undefined;
  #closed = false;
  readonly #created: { destroy(): void }[] = [];

  constructor(options: ResolvedSageMakerOptions) {
    this.#options = options;
  }

  get options(): ResolvedSageMakerOptions {
    return this.#options;
  }

  /** Facts for error messages about a call to `service` (never secrets). */
  context(service: 'SageMaker' | 'SageMaker runtime' | 'S3' | 'STS', region?: string): AwsCallContext {
    const endpoints = this.#options.endpoints;
    const endpoint =
      service === 'SageMaker'
        ? endpoints.sagemaker
        : service === 'SageMaker runtime'
          ? endpoints.runtime
          : service === 'S3'
            ? endpoints.s3
            : endpoints.sts;
    return {
      service,
      region: region ?? this.#options.region,
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(this.#options.profile === undefined ? {} : { profile: this.#options.profile }),
    };
  }

  /** SageMaker control plane of `region` (default: the resolved region); one client per region. */
  sagemaker(region?: string): Promise<SageMakerClient> {
    const r = region === undefined || region === '' ? this.#options.region : region;
    let client = this.#sagemaker.get(r);
    if (client === undefined) {
      client = this.#make(async () => {
        const { SageMakerClient } = await import('@aws-sdk/client-sagemaker');
        return new SageMakerClient(await this.#common(r, this.#options.endpoints.sagemaker));
      });
      this.#sagemaker.set(r, client);
    }
    return client;
  }

  runtime(): Promise<SageMakerRuntimeClient> {
    this.#runtime ??= this.#make(async () => {
      const { SageMakerRuntimeClient } = await import('@aws-sdk/client-sagemaker-runtime');
      return new SageMakerRuntimeClient(await this.#common(this.#options.region, this.#options.endpoints.runtime));
    });
    return this.#runtime;
  }

  s3(): Promise<S3Client> {
    this.#s3 ??= this.#make(async () => {
      const { S3Client } = await import('@aws-sdk/client-s3');
      const overridden = this.#options.endpoints.s3 !== undefined;
      return new S3Client({
        ...(await this.#common(this.#options.region, this.#options.endpoints.s3)),
        forcePathStyle: this.#options.s3ForcePathStyle,
        // S3-compatible servers (s3rver, older MinIO) store the aws-chunked framing of default checksums inside the
        // object (seen with s3rver 3.7 and AWS SDK v3); checksums only where the API demands one is what they
        // understand.
        ...(overridden
          ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }
          : {}),
      });
    });
    return this.#s3;
  }

  sts(): Promise<STSClient> {
    this.#sts ??= this.#make(async () => {
      const { STSClient } = await import('@aws-sdk/client-sts');
      return new STSClient(await this.#common(this.#options.region, this.#options.endpoints.sts));
    });
    return this.#sts;
  }

  /** Destroys every client made so far (closes their sockets); later calls fail with `SME-E-AWS-CLOSED`. */
  close(): void {
    this.#closed = true;
    for (const c of this.#created.splice(0)) c.destroy();
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
    if (this.#closed) {
      const remedy = 'Create new adapters with createSageMakerAdapters().';
      throw new SmeError(
        'SME-E-AWS-CLOSED',
        'Precondition',
        `SME-E-AWS-CLOSED: the SageMaker adapters were closed. ${remedy}`,
        {
          remedy,
        },
      );
    }
  }

  async #common(region: string, endpoint: string | undefined): Promise<CommonClientConfig> {
    const o = this.#options;
    const { ConfiguredRetryStrategy } = await import('@smithy/core/retry');
    return {
      region,
      credentials: await this.#credentialSource(),
      retryStrategy: new ConfiguredRetryStrategy(o.maxAttempts, (attempt: number) =>
        backoffDelay(attempt, o.retryBaseDelayMs, o.retryMaxDelayMs),
      ),
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
