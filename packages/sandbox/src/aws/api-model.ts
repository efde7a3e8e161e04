// JSON modules: tsc copies them to dist, Node loads them at run time (so the packed package carries them).
import sagemakerModelFile from './api-model/sagemaker-2017-07-24.subset.json' with { type: 'json' };
import runtimeModelFile from './api-model/sagemaker-runtime-2017-05-13.subset.json' with { type: 'json' };

/** One shape of a botocore-style service model (only the keys validation needs). */
export interface ApiShape {
  readonly type:
    | 'structure'
    | 'list'
    | 'map'
    | 'string'
    | 'integer'
    | 'long'
    | 'float'
    | 'double'
    | 'boolean'
    | 'timestamp'
    | 'blob';
  readonly required?: readonly string[];
  readonly members?: Readonly<Record<string, { readonly shape: string }>>;
  readonly member?: { readonly shape: string };
  readonly key?: { readonly shape: string };
  readonly value?: { readonly shape: string };
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly exception?: boolean;
}

/** A botocore-style service model: operations name their input/output shapes. */
export interface ApiModel {
  readonly metadata: { readonly targetPrefix?: string; readonly signingName: string };
  readonly operations: Readonly<
    Record<string, { readonly name: string; readonly input?: { shape: string }; readonly output?: { shape: string } }>
  >;
  readonly shapes: Readonly<Record<string, ApiShape>>;
}

/** The SageMaker control-plane model subset (botocore `sagemaker/2017-07-24`). */
export const SAGEMAKER_MODEL: ApiModel = sagemakerModelFile as unknown as ApiModel;
/** The SageMaker runtime model subset (botocore `sagemaker-runtime/2017-05-13`). */
export const SAGEMAKER_RUNTIME_MODEL: ApiModel = runtimeModelFile as unknown as ApiModel;

/** The request body did not have the JSON types the model declares (AWS answers SerializationException). */
export class SerializationProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SerializationProblem';
  }
}

const patternCache = new Map<string, RegExp>();

/** AWS matches the whole value (Java `matches()`), so the model's patterns are anchored here. */
function compilePattern(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${pattern})$`, 'u');
    } catch {
      re = new RegExp(`^(?:${pattern})$`);
    }
    patternCache.set(pattern, re);
  }
  return re;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return `'${String(value)}'`;
  return 'null';
}

/**
 * Validates a decoded JSON 1.1 request against the model the way the AWS front end does: the constraint
 * violations are collected (required members, enum, min/max for lengths and values, pattern), in the wording
 * AWS uses ("Value 'x' at 'autoMLJobName' failed to satisfy constraint: Member must …"). Members the model
 * does not know are ignored, as AWS does. JSON type mismatches throw {@link SerializationProblem}.
 *
 * @example
 * validateInput(SAGEMAKER_MODEL, 'CreateAutoMLJobV2Request', body) // → [] or ["Value null at 'roleArn' …"]
 */
export function validateInput(model: ApiModel, shapeName: string, value: unknown): string[] {
  const problems: string[] = [];
  visit(model, shapeName, value, '', problems);
  return problems;
}

function visit(model: ApiModel, shapeName: string, value: unknown, path: string, problems: string[]): void {
  const shape = model.shapes[shapeName];
  if (shape === undefined) throw new Error(`API model has no shape ${shapeName}`);
  if (value === null || value === undefined) return;
  const where = path === '' ? shapeName : path;
  const violation = (text: string): void => {
    problems.push(`Value ${show(value)} at '${where}' failed to satisfy constraint: Member must ${text}`);
  };
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) {
        throw new SerializationProblem(`Expected a structure at '${where}'`);
      }
      const record = value as Record<string, unknown>;
      for (const req of shape.required ?? []) {
        if (record[req] === undefined || record[req] === null) {
          const memberPath = path === '' ? lowerFirst(req) : `${path}.${lowerFirst(req)}`;
          problems.push(`Value null at '${memberPath}' failed to satisfy constraint: Member must not be null`);
        }
      }
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        if (!(name in record)) continue;
        const memberPath = path === '' ? lowerFirst(name) : `${path}.${lowerFirst(name)}`;
        visit(model, member.shape, record[name], memberPath, problems);
      }
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) throw new SerializationProblem(`Expected a list at '${where}'`);
      checkLength(shape, value.length, violation);
      value.forEach((item, i) => {
        if (shape.member) visit(model, shape.member.shape, item, `${where}.${i + 1}.member`, problems);
      });
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) {
        throw new SerializationProblem(`Expected a map at '${where}'`);
      }
      const entries = Object.entries(value as Record<string, unknown>);
      checkLength(shape, entries.length, violation);
      for (const [k, v] of entries) {
        if (shape.key) visit(model, shape.key.shape, k, `${where}.key`, problems);
        if (shape.value) visit(model, shape.value.shape, v, `${where}.${k}.member`, problems);
      }
      return;
    }
    case 'string': {
      if (typeof value !== 'string') throw new SerializationProblem(`Expected a string at '${where}'`);
      if (shape.enum && !shape.enum.includes(value)) {
        violation(`satisfy enum value set: [${shape.enum.join(', ')}]`);
        return;
      }
      // Java's String.length() counts UTF-16 units, as does JavaScript's.
      checkLength(shape, value.length, violation);
      if (shape.pattern !== undefined && !compilePattern(shape.pattern).test(value)) {
        violation(`satisfy regular expression pattern: ${shape.pattern}`);
      }
      return;
    }
    case 'integer':
    case 'long': {
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        throw new SerializationProblem(`Expected an integer at '${where}'`);
      }
      checkRange(shape, value, violation);
      return;
    }
    case 'float':
    case 'double': {
      if (typeof value !== 'number') throw new SerializationProblem(`Expected a number at '${where}'`);
      checkRange(shape, value, violation);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw new SerializationProblem(`Expected a boolean at '${where}'`);
      return;
    case 'timestamp':
      // JSON 1.1 sends timestamps as epoch seconds.
      if (typeof value !== 'number') throw new SerializationProblem(`Expected epoch seconds at '${where}'`);
      return;
    case 'blob':
      if (typeof value !== 'string') throw new SerializationProblem(`Expected base64 at '${where}'`);
      return;
  }
}

function checkLength(shape: ApiShape, length: number, violation: (text: string) => void): void {
  if (shape.min !== undefined && length < shape.min) violation(`have length greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && length > shape.max) violation(`have length less than or equal to ${shape.max}`);
}

function checkRange(shape: ApiShape, value: number, violation: (text: string) => void): void {
  if (shape.min !== undefined && value < shape.min) violation(`have value greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && value > shape.max) violation(`have value less than or equal to ${shape.max}`);
}

/** Joins constraint violations the way AWS words a ValidationException. */
export function validationMessage(problems: readonly string[]): string {
  const n = problems.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${problems.join('; ')}`;
}
