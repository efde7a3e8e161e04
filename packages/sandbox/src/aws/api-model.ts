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
  /** A Smithy union: exactly one member must be set. */
  readonly union?: boolean;
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

/** Which direction a value travels: requests are judged as AWS's front end does, responses strictly. */
type Direction = 'input' | 'output';

/**
 * Validates a decoded JSON 1.1 request against the model the way the AWS front end does: the constraint
 * violations are collected (required members, union members, enum, min/max for lengths and values,
 * pattern), in the wording AWS uses ("Value 'x' at 'autoMLJobName' failed to satisfy constraint: Member
 * must …"). Members the model does not know are ignored, as AWS does. JSON type mismatches throw
 * {@link SerializationProblem}.
 *
 * @example
 * validateInput(SAGEMAKER_MODEL, 'CreateAutoMLJobV2Request', body) // → [] or ["Value null at 'roleArn' …"]
 */
export function validateInput(model: ApiModel, shapeName: string, value: unknown): string[] {
  const problems: string[] = [];
  visit(model, shapeName, value, '', problems, 'input');
  return problems;
}

/**
 * Validates a response body against the operation's output shape, more strictly than requests: besides
 * the constraints of {@link validateInput}, a wrong JSON type and a member the model does not know are
 * violations too (the SDK would drop or mis-parse them). Any violation is a sandbox bug.
 *
 * @example
 * validateOutput(SAGEMAKER_MODEL, 'DescribeAutoMLJobV2Response', out) // → [] or ["Value null at 'roleArn' …"]
 */
export function validateOutput(model: ApiModel, shapeName: string, value: unknown): string[] {
  const problems: string[] = [];
  try {
    visit(model, shapeName, value, '', problems, 'output');
  } catch (e) {
    if (!(e instanceof SerializationProblem)) throw e;
    problems.push(e.message);
  }
  return problems;
}

/** The JSON protocol writes these strings for non-finite floats and doubles. */
const NON_FINITE = ['NaN', 'Infinity', '-Infinity'];

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function visit(
  model: ApiModel,
  shapeName: string,
  value: unknown,
  path: string,
  problems: string[],
  direction: Direction,
): void {
  const shape = model.shapes[shapeName];
  if (shape === undefined) throw new Error(`API model has no shape ${shapeName}`);
  if (value === null || value === undefined) return;
  const where = path === '' ? shapeName : path;
  const violation = (text: string): void => {
    problems.push(`Value ${show(value)} at '${where}' failed to satisfy constraint: Member must ${text}`);
  };
  /** A JSON type the model does not allow: AWS answers SerializationException; in a response it is a bug. */
  const wrongType = (text: string): void => {
    if (direction === 'input') throw new SerializationProblem(`${text} at '${where}'`);
    problems.push(`${text} at '${where}' (received ${Array.isArray(value) ? 'array' : typeof value})`);
  };
  const child = (name: string): string => (path === '' ? lowerFirst(name) : `${path}.${lowerFirst(name)}`);
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) {
        wrongType('Expected a structure');
        return;
      }
      const record = value as Record<string, unknown>;
      for (const req of shape.required ?? []) {
        if (record[req] === undefined || record[req] === null) {
          problems.push(`Value null at '${child(req)}' failed to satisfy constraint: Member must not be null`);
        }
      }
      const members = shape.members ?? {};
      if (shape.union === true) {
        // A Smithy union: exactly one member is set (AWS refuses none and several alike).
        const set = Object.keys(members).filter((m) => record[m] !== undefined && record[m] !== null);
        if (set.length !== 1) {
          problems.push(
            `Value ${set.length === 0 ? 'null' : `'{${set.join(', ')}}'`} at '${where}' failed to satisfy constraint: Member must have exactly one member set, of [${Object.keys(members).join(', ')}]`,
          );
        }
      }
      if (direction === 'output') {
        for (const name of Object.keys(record)) {
          if (!(name in members)) problems.push(`Member '${child(name)}' is not in the model's shape ${shapeName}`);
        }
      }
      for (const [name, member] of Object.entries(members)) {
        if (!(name in record)) continue;
        visit(model, member.shape, record[name], child(name), problems, direction);
      }
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) {
        wrongType('Expected a list');
        return;
      }
      checkLength(shape, value.length, violation);
      value.forEach((item, i) => {
        const itemPath = `${where}.${i + 1}.member`;
        if (item === null || item === undefined) {
          problems.push(`Value null at '${itemPath}' failed to satisfy constraint: Member must not be null`);
        } else if (shape.member) visit(model, shape.member.shape, item, itemPath, problems, direction);
      });
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) {
        wrongType('Expected a map');
        return;
      }
      const entries = Object.entries(value as Record<string, unknown>);
      checkLength(shape, entries.length, violation);
      for (const [k, v] of entries) {
        if (shape.key) visit(model, shape.key.shape, k, `${where}.key`, problems, direction);
        const valuePath = `${where}.${k}.member`;
        if (v === null) {
          problems.push(`Value null at '${valuePath}' failed to satisfy constraint: Member must not be null`);
        } else if (shape.value) visit(model, shape.value.shape, v, valuePath, problems, direction);
      }
      return;
    }
    case 'string': {
      if (typeof value !== 'string') {
        wrongType('Expected a string');
        return;
      }
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
        wrongType('Expected an integer');
        return;
      }
      if (shape.type === 'integer' && (value < -2147483648 || value > 2147483647)) {
        wrongType('Expected a 32-bit integer');
        return;
      }
      checkRange(shape, value, violation);
      return;
    }
    case 'float':
    case 'double': {
      if (typeof value === 'string' && NON_FINITE.includes(value)) return;
      if (typeof value !== 'number') {
        wrongType('Expected a number');
        return;
      }
      checkRange(shape, value, violation);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') wrongType('Expected a boolean');
      return;
    case 'timestamp':
      // JSON 1.1 sends timestamps as epoch seconds (fractions allowed).
      if (typeof value !== 'number' || !Number.isFinite(value)) wrongType('Expected epoch seconds');
      return;
    case 'blob': {
      if (typeof value !== 'string' || !BASE64.test(value)) {
        wrongType('Expected base64');
        return;
      }
      checkLength(shape, Buffer.from(value, 'base64').length, violation);
      return;
    }
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
