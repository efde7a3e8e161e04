/**
 * Checks a request object against a shape of an AWS API model (botocore JSON, as in
 * packages/sandbox/src/aws/api-model/, cut from https://github.com/boto/botocore/tree/develop/botocore/data):
 * required members, unknown members, types, enums, patterns
 * (anchored, as AWS applies them to the whole value), min/max lengths, values and list sizes, unions.
 */

export interface ApiShape {
  readonly type: string;
  readonly members?: Readonly<Record<string, { readonly shape: string }>>;
  readonly required?: readonly string[];
  readonly member?: { readonly shape: string };
  readonly key?: { readonly shape: string };
  readonly value?: { readonly shape: string };
  readonly enum?: readonly string[];
  readonly pattern?: string;
  readonly min?: number;
  readonly max?: number;
  readonly union?: boolean;
}

export interface ApiModel {
  readonly shapes: Readonly<Record<string, ApiShape>>;
}

export interface ModelViolation {
  readonly path: string;
  readonly problem: string;
}

function compilePattern(pattern: string): RegExp {
  // botocore patterns use Java syntax; `\p{…}` needs the `u` flag in JS.
  return new RegExp(`^(?:${pattern})$`, 'u');
}

/** All violations of `value` against shape `shapeName` (empty when valid). */
export function validateAgainstShape(model: ApiModel, shapeName: string, value: unknown, path = '$'): ModelViolation[] {
  const shape = model.shapes[shapeName];
  if (shape === undefined) return [{ path, problem: `unknown shape ${shapeName}` }];
  const out: ModelViolation[] = [];
  const fail = (problem: string) => out.push({ path, problem });
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        fail(`expected a structure (${shapeName})`);
        break;
      }
      const record = value as Record<string, unknown>;
      for (const name of shape.required ?? []) {
        if (record[name] === undefined) fail(`missing required member ${name}`);
      }
      const members = shape.members ?? {};
      const present = Object.keys(record).filter((k) => record[k] !== undefined);
      for (const key of present) {
        const member = members[key];
        if (member === undefined) fail(`unknown member ${key}`);
        else out.push(...validateAgainstShape(model, member.shape, record[key], `${path}.${key}`));
      }
      if (shape.union === true && present.length !== 1) fail(`a union needs exactly one member, got ${present.length}`);
      break;
    }
    case 'list': {
      if (!Array.isArray(value)) {
        fail('expected a list');
        break;
      }
      if (shape.min !== undefined && value.length < shape.min) fail(`list shorter than ${shape.min}`);
      if (shape.max !== undefined && value.length > shape.max) fail(`list longer than ${shape.max}`);
      value.forEach((item, i) =>
        out.push(...validateAgainstShape(model, shape.member?.shape ?? '', item, `${path}[${i}]`)),
      );
      break;
    }
    case 'map': {
      if (typeof value !== 'object' || value === null) {
        fail('expected a map');
        break;
      }
      for (const [k, v] of Object.entries(value)) {
        out.push(...validateAgainstShape(model, shape.key?.shape ?? '', k, `${path}{key}`));
        out.push(...validateAgainstShape(model, shape.value?.shape ?? '', v, `${path}.${k}`));
      }
      break;
    }
    case 'string': {
      if (typeof value !== 'string') {
        fail('expected a string');
        break;
      }
      // AWS counts characters (code points), not UTF-16 units.
      const length = Array.from(value).length;
      if (shape.min !== undefined && length < shape.min) fail(`shorter than ${shape.min}`);
      if (shape.max !== undefined && length > shape.max) fail(`longer than ${shape.max}`);
      if (shape.enum !== undefined && !shape.enum.includes(value)) fail(`not one of ${shape.enum.join('|')}`);
      if (shape.pattern !== undefined && !compilePattern(shape.pattern).test(value))
        fail(`does not match ${shape.pattern}`);
      break;
    }
    case 'integer':
    case 'long': {
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        fail('expected an integer');
        break;
      }
      if (shape.min !== undefined && value < shape.min) fail(`below ${shape.min}`);
      if (shape.max !== undefined && value > shape.max) fail(`above ${shape.max}`);
      break;
    }
    case 'float':
    case 'double':
      if (typeof value !== 'number') fail('expected a number');
      break;
    case 'boolean':
      if (typeof value !== 'boolean') fail('expected a boolean');
      break;
    case 'timestamp':
      if (typeof value !== 'number' && typeof value !== 'string') fail('expected a timestamp');
      break;
    default:
      fail(`unsupported shape type ${shape.type}`);
  }
  return out;
}
