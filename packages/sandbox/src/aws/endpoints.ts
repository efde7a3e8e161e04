import { stringify } from 'csv-stringify/sync';
import { modelError, resourceLimitExceeded, runtimeValidation, validation } from './api-errors.js';
import { page, parseS3Uri } from './automl-jobs.js';
import type { Json } from './automl-jobs.js';
import { loadTrainedModel, parseCsv, predictWith } from './automl/model.js';
import type { SandboxModelFile, TrainedModel } from './automl/model.js';
import type { ObjectStore } from './s3-store.js';

export interface EndpointsOptions {
  readonly region: string;
  readonly accountId: string;
  readonly objects: ObjectStore;
  /** Real milliseconds an endpoint stays Creating before InService. */
  readonly creatingMs: number;
  readonly maxEndpoints: number;
}

interface Model {
  readonly name: string;
  readonly arn: string;
  readonly request: Json;
  readonly creationTime: number;
}
interface EndpointConfig {
  readonly name: string;
  readonly arn: string;
  readonly request: Json;
  readonly creationTime: number;
}
interface Endpoint {
  readonly name: string;
  readonly arn: string;
  readonly configName: string;
  readonly creationTime: number;
  status: 'Creating' | 'InService' | 'Failed';
  lastModified: number;
  failureReason?: string;
  timer?: NodeJS.Timeout;
  served?: Promise<Served>;
}
/** A loaded model as a container serves it: the artifact, the trained model and the columns it answers. */
export interface Served {
  readonly file: SandboxModelFile;
  readonly model: TrainedModel;
  readonly output: readonly string[];
  readonly variant: string;
}

/** The InvokeEndpoint body limit of the runtime model (5 MiB). */
export const MAX_INVOKE_BODY = 5 * 1024 * 1024;

/**
 * "The maximum request and response payload size for serverless invocations is 4 MB"
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints-invoke.html). Whether AWS counts 4 MB or
 * 4 MiB is not documented; the sandbox takes the smaller.
 */
export const MAX_SERVERLESS_INVOKE_BODY = 4 * 1000 * 1000;

/**
 * A production variant's capacity: instances (`InstanceType`, `InitialInstanceCount`) or serverless
 * (`ServerlessConfig`), exactly one of them. The API model checks types and ranges (MemorySizeInMB 1024–6144,
 * MaxConcurrency 1–200); its documentation adds what is checked here: "Valid values are in 1 GB increments: 1024 MB,
 * 2048 MB, 3072 MB, 4096 MB, 5120 MB, or 6144 MB", and ProvisionedConcurrency "should be less than or equal to
 * MaxConcurrency". AWS's exact messages for these are not documented; these say what is wrong.
 */
function checkVariantCapacity(v: Json, index: number): void {
  const at = `ProductionVariants.${String(index + 1)}`;
  const serverless = v.ServerlessConfig === undefined ? undefined : obj(v.ServerlessConfig);
  if (serverless === undefined) {
    if (v.InstanceType === undefined) {
      throw validation(`${at}: either InstanceType or ServerlessConfig must be specified.`);
    }
    return;
  }
  if (v.InstanceType !== undefined || v.InitialInstanceCount !== undefined) {
    throw validation(`${at}: a serverless variant (ServerlessConfig) takes no InstanceType or InitialInstanceCount.`);
  }
  const memory = Number(serverless.MemorySizeInMB);
  if (memory % 1024 !== 0) {
    throw validation(
      `${at}.ServerlessConfig.MemorySizeInMB ${String(serverless.MemorySizeInMB)} is not one of 1024, 2048, 3072, 4096, 5120, 6144.`,
    );
  }
  const provisioned = serverless.ProvisionedConcurrency;
  if (typeof provisioned === 'number' && provisioned > Number(serverless.MaxConcurrency)) {
    throw validation(`${at}.ServerlessConfig.ProvisionedConcurrency must be less than or equal to MaxConcurrency.`);
  }
}

const epoch = (ms: number): number => ms / 1000;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});

/** Models, endpoint configurations, endpoints and InvokeEndpoint. */
export class Endpoints {
  private readonly models = new Map<string, Model>();
  private readonly configs = new Map<string, EndpointConfig>();
  private readonly endpoints = new Map<string, Endpoint>();

  constructor(private readonly options: EndpointsOptions) {}

  close(): void {
    for (const e of this.endpoints.values()) clearTimeout(e.timer);
  }

  private arn(kind: string, name: string): string {
    return `arn:aws:sagemaker:${this.options.region}:${this.options.accountId}:${kind}/${name.toLowerCase()}`;
  }

  createModel(input: Json): Json {
    const name = String(input.ModelName);
    const arn = this.arn('model', name);
    if (this.models.has(name.toLowerCase())) throw validation(`Cannot create already existing model "${arn}".`);
    if (input.PrimaryContainer === undefined && input.Containers === undefined) {
      throw validation('Either PrimaryContainer or Containers must be specified.');
    }
    if (input.PrimaryContainer !== undefined && input.Containers !== undefined) {
      throw validation('PrimaryContainer and Containers cannot both be specified.');
    }
    this.models.set(name.toLowerCase(), { name, arn, request: input, creationTime: Date.now() });
    return { ModelArn: arn };
  }

  private model(name: unknown): Model {
    const m = this.models.get(String(name).toLowerCase());
    if (m === undefined) throw validation(`Could not find model "${this.arn('model', String(name))}".`);
    return m;
  }

  describeModel(input: Json): Json {
    const m = this.model(input.ModelName);
    const r = m.request;
    return {
      ModelName: m.name,
      ModelArn: m.arn,
      CreationTime: epoch(m.creationTime),
      ...(r.PrimaryContainer !== undefined ? { PrimaryContainer: r.PrimaryContainer } : {}),
      ...(r.Containers !== undefined ? { Containers: r.Containers } : {}),
      ...(r.ExecutionRoleArn !== undefined ? { ExecutionRoleArn: r.ExecutionRoleArn } : {}),
      ...(r.InferenceExecutionConfig !== undefined ? { InferenceExecutionConfig: r.InferenceExecutionConfig } : {}),
      EnableNetworkIsolation: r.EnableNetworkIsolation === true,
    };
  }

  deleteModel(input: Json): Json {
    const m = this.model(input.ModelName);
    this.models.delete(m.name.toLowerCase());
    return {};
  }

  createEndpointConfig(input: Json): Json {
    const name = String(input.EndpointConfigName);
    const arn = this.arn('endpoint-config', name);
    if (this.configs.has(name.toLowerCase())) {
      throw validation(`Cannot create already existing endpoint configuration "${arn}".`);
    }
    const variants = Array.isArray(input.ProductionVariants) ? input.ProductionVariants.map(obj) : [];
    variants.forEach((v, i) => {
      if (v.ModelName === undefined) throw validation('ProductionVariants.ModelName is required.');
      this.model(v.ModelName);
      checkVariantCapacity(v, i);
    });
    this.configs.set(name.toLowerCase(), { name, arn, request: input, creationTime: Date.now() });
    return { EndpointConfigArn: arn };
  }

  private config(name: unknown): EndpointConfig {
    const c = this.configs.get(String(name).toLowerCase());
    if (c === undefined) {
      throw validation(`Could not find endpoint configuration "${this.arn('endpoint-config', String(name))}".`);
    }
    return c;
  }

  describeEndpointConfig(input: Json): Json {
    const c = this.config(input.EndpointConfigName);
    return {
      EndpointConfigName: c.name,
      EndpointConfigArn: c.arn,
      ProductionVariants: c.request.ProductionVariants,
      CreationTime: epoch(c.creationTime),
    };
  }

  deleteEndpointConfig(input: Json): Json {
    const c = this.config(input.EndpointConfigName);
    this.configs.delete(c.name.toLowerCase());
    return {};
  }

  createEndpoint(input: Json): Json {
    const name = String(input.EndpointName);
    const arn = this.arn('endpoint', name);
    if (this.endpoints.has(name.toLowerCase())) throw validation(`Cannot create already existing endpoint "${arn}".`);
    const config = this.config(input.EndpointConfigName);
    if (this.endpoints.size >= this.options.maxEndpoints) {
      throw resourceLimitExceeded(
        `The account-level service limit 'Number of endpoints' is ${this.options.maxEndpoints} Endpoints, with current utilization of ${this.endpoints.size} Endpoints and a request delta of 1 Endpoints. Please use AWS Service Quotas to request an increase for this quota.`,
      );
    }
    const now = Date.now();
    const endpoint: Endpoint = {
      name,
      arn,
      configName: config.name,
      creationTime: now,
      status: 'Creating',
      lastModified: now,
    };
    // Load the model while "Creating", as SageMaker downloads ModelDataUrl; a bad artifact fails the endpoint.
    endpoint.served = this.serve(config);
    endpoint.served.catch(() => undefined);
    endpoint.timer = setTimeout(() => {
      void endpoint.served?.then(
        () => {
          endpoint.status = 'InService';
          endpoint.lastModified = Date.now();
        },
        (e: unknown) => {
          endpoint.status = 'Failed';
          endpoint.failureReason = e instanceof Error ? e.message : String(e);
          endpoint.lastModified = Date.now();
        },
      );
    }, this.options.creatingMs);
    this.endpoints.set(name.toLowerCase(), endpoint);
    return { EndpointArn: arn };
  }

  private async serve(config: EndpointConfig): Promise<Served> {
    const variant =
      (Array.isArray(config.request.ProductionVariants) ? config.request.ProductionVariants.map(obj) : [])[0] ?? {};
    return this.loadModel(String(variant.ModelName), String(variant.VariantName));
  }

  /** Whether a model of this name exists (names compare case-insensitively, as SageMaker's do). */
  hasModel(name: string): boolean {
    return this.models.has(name.toLowerCase());
  }

  /**
   * Downloads and loads a model's artifact as SageMaker does when it starts a container (endpoint or batch
   * transform). `environment` is merged over the containers' (a transform job's `Environment`). Rejects with a
   * plain Error whose message is the failure reason.
   */
  async loadModel(modelName: string, variant = '', environment: Json = {}): Promise<Served> {
    const model = this.model(modelName);
    const containers = (
      Array.isArray(model.request.Containers) ? model.request.Containers : [model.request.PrimaryContainer]
    ).map(obj);
    let file: SandboxModelFile | undefined;
    let output: string[] = ['predicted_label'];
    for (const c of containers) {
      const env = { ...obj(c.Environment), ...environment };
      if (typeof env.SAGEMAKER_INFERENCE_OUTPUT === 'string') {
        output = env.SAGEMAKER_INFERENCE_OUTPUT.split(',').map((s) => s.trim().toLowerCase());
      }
      if (typeof c.ModelDataUrl === 'string' && file === undefined) {
        const { bucket, key } = parseS3Uri(c.ModelDataUrl);
        const body = await this.options.objects.get(bucket, key);
        if (body === undefined) throw new Error(`Could not download model data from ${c.ModelDataUrl}.`);
        const parsed = JSON.parse(body.toString('utf8')) as { format?: unknown };
        if (parsed.format !== 'sme-sandbox-model/1') {
          throw new Error(`The model data at ${c.ModelDataUrl} is not a sandbox model.`);
        }
        file = parsed as SandboxModelFile;
      }
    }
    if (file === undefined) throw new Error('No container of the model has a ModelDataUrl.');
    for (const o of output) {
      if (o !== 'predicted_label' && o !== 'probability') {
        throw new Error(
          `SAGEMAKER_INFERENCE_OUTPUT '${o}' is not supported by the sandbox (predicted_label, probability).`,
        );
      }
    }
    return { file, model: loadTrainedModel(file), output, variant };
  }

  /** Whether the endpoint's (first) variant is serverless. */
  private isServerless(e: Endpoint): boolean {
    const config = this.configs.get(e.configName.toLowerCase());
    const first: unknown = Array.isArray(config?.request.ProductionVariants)
      ? (config.request.ProductionVariants as unknown[])[0]
      : undefined;
    return obj(first).ServerlessConfig !== undefined;
  }

  private endpoint(name: unknown): Endpoint {
    const e = this.endpoints.get(String(name).toLowerCase());
    if (e === undefined) throw validation(`Could not find endpoint "${this.arn('endpoint', String(name))}".`);
    return e;
  }

  describeEndpoint(input: Json): Json {
    const e = this.endpoint(input.EndpointName);
    const config = this.configs.get(e.configName.toLowerCase());
    const variants = Array.isArray(config?.request.ProductionVariants)
      ? config.request.ProductionVariants.map(obj)
      : [];
    return {
      EndpointName: e.name,
      EndpointArn: e.arn,
      EndpointConfigName: e.configName,
      EndpointStatus: e.status,
      CreationTime: epoch(e.creationTime),
      LastModifiedTime: epoch(e.lastModified),
      ...(e.failureReason !== undefined ? { FailureReason: e.failureReason } : {}),
      ...(e.status === 'InService'
        ? {
            ProductionVariants: variants.map((v) => ({
              VariantName: v.VariantName,
              CurrentWeight: v.InitialVariantWeight ?? 1,
              DesiredWeight: v.InitialVariantWeight ?? 1,
              // A serverless variant has no instances; it reports its serverless configuration instead.
              ...(v.ServerlessConfig !== undefined
                ? { CurrentServerlessConfig: v.ServerlessConfig, DesiredServerlessConfig: v.ServerlessConfig }
                : {
                    CurrentInstanceCount: v.InitialInstanceCount ?? 1,
                    DesiredInstanceCount: v.InitialInstanceCount ?? 1,
                  }),
            })),
          }
        : {}),
    };
  }

  deleteEndpoint(input: Json): Json {
    const e = this.endpoint(input.EndpointName);
    clearTimeout(e.timer);
    this.endpoints.delete(e.name.toLowerCase());
    return {};
  }

  listEndpoints(input: Json): Json {
    let list = [...this.endpoints.values()];
    const after = (v: unknown, t: number): boolean => typeof v !== 'number' || t > v * 1000;
    const before = (v: unknown, t: number): boolean => typeof v !== 'number' || t < v * 1000;
    list = list.filter(
      (e) =>
        after(input.CreationTimeAfter, e.creationTime) &&
        before(input.CreationTimeBefore, e.creationTime) &&
        after(input.LastModifiedTimeAfter, e.lastModified) &&
        before(input.LastModifiedTimeBefore, e.lastModified) &&
        (typeof input.NameContains !== 'string' || e.name.toLowerCase().includes(input.NameContains.toLowerCase())) &&
        (input.StatusEquals === undefined || e.status === input.StatusEquals),
    );
    const by = typeof input.SortBy === 'string' ? input.SortBy : 'CreationTime';
    const key = (e: Endpoint): string | number =>
      by === 'Name' ? e.name : by === 'Status' ? e.status : e.creationTime;
    list.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    if ((typeof input.SortOrder === 'string' ? input.SortOrder : 'Descending') === 'Descending') list.reverse();
    const { slice, next } = page(list, input.MaxResults, input.NextToken, 10);
    return {
      Endpoints: slice.map((e) => ({
        EndpointName: e.name,
        EndpointArn: e.arn,
        CreationTime: epoch(e.creationTime),
        LastModifiedTime: epoch(e.lastModified),
        EndpointStatus: e.status,
      })),
      ...(next !== undefined ? { NextToken: next } : {}),
    };
  }

  /**
   * InvokeEndpoint: CSV rows without header and without the target → `predicted_label[,probability]` rows.
   * Returns the body and the variant that answered.
   */
  async invoke(
    name: string,
    contentType: string | undefined,
    body: Buffer,
  ): Promise<{ body: string; variant: string }> {
    const e = this.endpoints.get(name.toLowerCase());
    if (e === undefined) {
      throw runtimeValidation(`Endpoint ${name} of account ${this.options.accountId} not found.`);
    }
    if (e.status !== 'InService' || e.served === undefined) {
      throw runtimeValidation(
        `Endpoint ${name} of account ${this.options.accountId} is not in service (status ${e.status}).`,
      );
    }
    const served = await e.served;
    if (this.isServerless(e) && body.length > MAX_SERVERLESS_INVOKE_BODY) {
      throw runtimeValidation(
        `Request payload of ${String(body.length)} bytes exceeds the ${String(MAX_SERVERLESS_INVOKE_BODY)}-byte limit of serverless endpoint ${name}.`,
      );
    }
    const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'text/csv') {
      throw modelError(
        415,
        `Content type ${contentType ?? '(none)'} is not supported by this container; use text/csv.`,
      );
    }
    let rows: string[][];
    try {
      rows = parseCsv(body.toString('utf8'));
    } catch (err) {
      throw modelError(400, `Could not parse the CSV payload: ${err instanceof Error ? err.message : String(err)}`);
    }
    let out: string[][];
    try {
      out = scoreRows(served, rows);
    } catch (err) {
      throw modelError(400, err instanceof Error ? err.message : String(err));
    }
    return { body: stringify(out), variant: served.variant };
  }
}

/**
 * What the sandbox's Autopilot container answers for CSV records (no header, target absent): one row of the
 * `SAGEMAKER_INFERENCE_OUTPUT` columns (`predicted_label[,probability]`) per record, in order. Throws an Error
 * naming the first record whose column count differs from the model's. InvokeEndpoint and batch transform
 * both score with this.
 */
export function scoreRows(served: Served, rows: readonly (readonly string[])[]): string[][] {
  const expected = served.file.columns.length;
  const bad = rows.findIndex((r) => r.length !== expected);
  if (bad !== -1) {
    throw new Error(
      `Row ${bad + 1} has ${rows[bad]?.length ?? 0} columns; the model expects ${expected} (${served.file.columns.join(', ')}) without the target column.`,
    );
  }
  const predictions = predictWith(served.file, served.model, rows);
  return predictions.map((p) =>
    served.output.map((o) => (o === 'probability' ? String(p.probability ?? '') : p.label)),
  );
}
