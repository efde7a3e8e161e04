/**
 * In-memory SageMaker hosting and S3 prefixes: models, endpoint configs and endpoints with AWS's NotFound /
 * AlreadyExists behaviour (names case-insensitive), plus failure injection per method.
 */
import { SmeError } from '../errors.js';
import type { AutoMLContainer, AwsTarget } from '../ports/automl-port.js';
import type { EndpointDescription, EndpointPort, EndpointStatus, ObjectStorePort } from '../ports/endpoint-port.js';
import type { EndpointPortFactory, ObjectStorePortFactory } from '../ports/endpoint-factories.js';

type Method = keyof EndpointPort;

export class FakeEndpoints {
  readonly calls: string[] = [];
  readonly targets: AwsTarget[] = [];
  readonly models = new Map<string, { name: string; role: string; containers: readonly AutoMLContainer[] }>();
  readonly configs = new Map<
    string,
    {
      name: string;
      model: string;
      instanceType?: string;
      count?: number;
      serverless?: { MemorySizeInMB: number; MaxConcurrency: number };
    }
  >();
  readonly endpoints = new Map<string, { name: string; config: string; status: EndpointStatus; created: number }>();
  private readonly failures = new Map<Method, Error>();

  constructor(private readonly nowMillis: () => number = () => 0) {}

  readonly factory: EndpointPortFactory = (target) => {
    this.targets.push(target);
    return this.port();
  };

  failOn(method: Method, error: Error): this {
    this.failures.set(method, error);
    return this;
  }

  setStatus(name: string, status: EndpointStatus): void {
    const e = this.endpoints.get(name.toLowerCase());
    if (e === undefined) throw new Error('no endpoint ' + name);
    e.status = status;
  }

  private enter<T>(method: Method, name: string, fn: () => T): Promise<T> {
    this.calls.push(`${method} ${name}`);
    return Promise.resolve().then(() => {
      const failure = this.failures.get(method);
      if (failure !== undefined) throw failure;
      return fn();
    });
  }

  private static notFound(what: string): SmeError {
    return new SmeError('SME-E-AWS-NOT-FOUND', 'NotFound', `Could not find ${what}.`);
  }

  private static exists(what: string): SmeError {
    return new SmeError('SME-E-AWS-ALREADY-EXISTS', 'AlreadyExists', `Cannot create already existing ${what}.`);
  }

  private describe(name: string): EndpointDescription {
    const e = this.endpoints.get(name.toLowerCase());
    if (e === undefined) throw FakeEndpoints.notFound('endpoint ' + name);
    return {
      EndpointName: e.name,
      EndpointArn: 'arn:aws:sagemaker:eu-central-1:123456789012:endpoint/' + e.name.toLowerCase(),
      EndpointConfigName: e.config,
      EndpointStatus: e.status,
      CreationTime: e.created,
    };
  }

  private port(): EndpointPort {
    return {
      createModel: (r) =>
        this.enter('createModel', r.ModelName, () => {
          if (this.models.has(r.ModelName.toLowerCase())) throw FakeEndpoints.exists('model ' + r.ModelName);
          this.models.set(r.ModelName.toLowerCase(), {
            name: r.ModelName,
            role: r.ExecutionRoleArn,
            containers: r.Containers,
          });
        }),
      deleteModel: (name) =>
        this.enter('deleteModel', name, () => {
          if (!this.models.delete(name.toLowerCase())) throw FakeEndpoints.notFound('model ' + name);
        }),
      createEndpointConfig: (r) =>
        this.enter('createEndpointConfig', r.EndpointConfigName, () => {
          const key = r.EndpointConfigName.toLowerCase();
          if (this.configs.has(key)) throw FakeEndpoints.exists('endpoint configuration ' + r.EndpointConfigName);
          const v = r.ProductionVariants[0];
          if (v === undefined || !this.models.has(v.ModelName.toLowerCase()))
            throw FakeEndpoints.notFound('model ' + String(v?.ModelName));
          this.configs.set(key, {
            name: r.EndpointConfigName,
            model: v.ModelName,
            ...('ServerlessConfig' in v
              ? { serverless: { ...v.ServerlessConfig } }
              : { instanceType: v.InstanceType, count: v.InitialInstanceCount }),
          });
        }),
      deleteEndpointConfig: (name) =>
        this.enter('deleteEndpointConfig', name, () => {
          if (!this.configs.delete(name.toLowerCase())) throw FakeEndpoints.notFound('endpoint configuration ' + name);
        }),
      createEndpoint: (r) =>
        this.enter('createEndpoint', r.EndpointName, () => {
          const key = r.EndpointName.toLowerCase();
          if (this.endpoints.has(key)) throw FakeEndpoints.exists('endpoint ' + r.EndpointName);
          if (!this.configs.has(r.EndpointConfigName.toLowerCase()))
            throw FakeEndpoints.notFound('endpoint configuration ' + r.EndpointConfigName);
          this.endpoints.set(key, {
            name: r.EndpointName,
            config: r.EndpointConfigName,
            status: 'Creating',
            created: this.nowMillis(),
          });
        }),
      describeEndpoint: (name) => this.enter('describeEndpoint', name, () => this.describe(name)),
      deleteEndpoint: (name) =>
        this.enter('deleteEndpoint', name, () => {
          if (!this.endpoints.delete(name.toLowerCase())) throw FakeEndpoints.notFound('endpoint ' + name);
        }),
      listEndpoints: () =>
        this.enter('listEndpoints', '*', () => [...this.endpoints.values()].map((e) => this.describe(e.name))),
    };
  }
}

/** S3 keys in memory, addressed by `s3://bucket/key`. */
export class FakeObjectStore {
  readonly objects = new Set<string>();
  readonly calls: string[] = [];
  private readonly failures = new Map<'list' | 'deletePrefix', Error>();

  /** Makes every later call of `method` reject with `error` (until `heal`). */
  failOn(method: 'list' | 'deletePrefix', error: Error): this {
    this.failures.set(method, error);
    return this;
  }

  heal(method: 'list' | 'deletePrefix'): this {
    this.failures.delete(method);
    return this;
  }

  readonly factory: ObjectStorePortFactory = () => this.port();

  put(...uris: string[]): this {
    for (const u of uris) this.objects.add(u);
    return this;
  }

  private port(): ObjectStorePort {
    return {
      list: (prefix) => {
        this.calls.push('list ' + prefix);
        const failure = this.failures.get('list');
        if (failure !== undefined) return Promise.reject(failure);
        return Promise.resolve([...this.objects].filter((u) => u.startsWith(prefix)).sort());
      },
      deletePrefix: (prefix) => {
        this.calls.push('deletePrefix ' + prefix);
        const failure = this.failures.get('deletePrefix');
        if (failure !== undefined) return Promise.reject(failure);
        const gone = [...this.objects].filter((u) => u.startsWith(prefix));
        for (const u of gone) this.objects.delete(u);
        return Promise.resolve(gone.length);
      },
    };
  }
}
