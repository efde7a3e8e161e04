/**
 * The prediction UDF's loop, free of Lua globals so that Node tests can run it with a fake context: rows in →
 * batches → InvokeEndpoint (through the AWS-call code, so signing, endpoint override and error coding are the
 * same as the AWS-call UDF's) → rows out.
 */
import {
  PredictionBatcher,
  coreError,
  isClassification,
  isSmeError,
  parseColumnType,
  predictionValue,
  type ProblemType,
  type SqlValue,
} from '@sme/core';
import { callAws, type AwsCallDeps } from '../aws/aws-call.js';

/** Settings baked into each prediction UDF (see core's `predictionUdfSql`). */
export interface PredictionConfig {
  readonly endpointName: string;
  readonly connectionName: string;
  readonly region: string;
  readonly problemType: string;
  readonly featureNames: readonly string[];
  /** Pass-through columns before the features, emitted unchanged (absent: none). */
  readonly keyNames?: readonly string[];
  readonly featureTypes: readonly string[];
  readonly predictionsType: string;
  readonly maxRows: number;
  readonly maxBytes: number;
  readonly awsEndpointUrl?: string;
  readonly timeoutSeconds?: number;
  /** PEM roots trusted besides AWS's (`sme deploy --aws-ca-file`). */
  readonly extraRootsPem?: string;
}

/**
 * The SET UDF's rows as the loop sees them. Exasol positions a SET UDF on its first row; `next()` moves on and
 * says whether there is one; `value(name)` reads the current row's input (`ctx[name]`); `emit(values, n)` emits
 * the first n values (NULL as nil, so the Lua side must unpack with an explicit count).
 */
export interface PredictionRows {
  value(name: string): unknown;
  /** The current row's input exactly as the UDF received it (key columns; NULL as undefined). */
  raw?(name: string): unknown;
  next(): boolean;
  emit(values: readonly unknown[], n: number): void;
  /** A DECIMAL(p,s) result value (Lua: Exasol's `decimal(v, p, s)`; a plain number is refused, L6). */
  decimal?(value: number, precision: number, scale: number): unknown;
}

/** `DECIMAL(p,s)` → [p, s] (scale 0 when absent); undefined for other type texts. */
export function decimalShape(typeText: string): [number, number] | undefined {
  if (typeText.substring(0, 8) !== 'DECIMAL(') return undefined;
  const close = typeText.indexOf(')');
  const inner = typeText.substring(8, close < 0 ? typeText.length : close);
  const comma = inner.indexOf(',');
  const digits = (t: string): number | undefined => {
    if (t.length === 0 || t.length > 2) return undefined;
    let n = 0;
    for (let i = 0; i < t.length; i++) {
      const b = t.charCodeAt(i);
      if (b < 48 || b > 57) return undefined;
      n = n * 10 + (b - 48);
    }
    return n;
  };
  const p = digits(comma >= 0 ? inner.substring(0, comma) : inner);
  const scale = comma >= 0 ? digits(inner.substring(comma + 1)) : 0;
  return p === undefined || scale === undefined ? undefined : [p, scale];
}

function readRow(rows: PredictionRows, names: readonly string[]): (SqlValue | undefined)[] {
  const row: (SqlValue | undefined)[] = [];
  for (let i = 0; i < names.length; i++) {
    const v = rows.value(names[i] ?? '');
    // Index assignment keeps positions when a value is NULL (a Lua array cannot hold nil).
    row[i] = v === undefined || v === null ? undefined : (v as SqlValue);
  }
  return row;
}

function describeStatus(deps: AwsCallDeps, config: PredictionConfig): string | undefined {
  try {
    const answer = callAws(
      deps,
      {
        connectionName: config.connectionName,
        region: config.region,
        operation: 'DescribeEndpoint',
        payload: deps.json.encode({ EndpointName: config.endpointName }),
      },
      config.awsEndpointUrl === undefined ? {} : { awsEndpointUrl: config.awsEndpointUrl },
    );
    const body = deps.json.decode(answer.body) as { EndpointStatus?: unknown };
    return typeof body.EndpointStatus === 'string' ? body.EndpointStatus : undefined;
  } catch (e) {
    if (isSmeError(e) && e.kind === 'NotFound') return 'not existing';
    return undefined;
  }
}

/**
 * Reads every row of the SET, predicts in batches and emits inputs + PREDICTIONS [+ PROBABILITY]. An endpoint
 * that is not InService fails the query with `SME-E-ENDPOINT-NOT-IN-SERVICE`; other AWS failures keep their
 * `SME-E-AWS-…` code. The entry point raises {@link errorText}, which starts with the code: Exasol shows only the text.
 */
export function runPredictionSet(rows: PredictionRows, config: PredictionConfig, deps: AwsCallDeps): number {
  const types = config.featureTypes.map((t) => parseColumnType(t));
  const outType = parseColumnType(config.predictionsType);
  const outDecimal = decimalShape(outType.text);
  const classification = isClassification(config.problemType as ProblemType);
  const keyNames = config.keyNames ?? [];
  const keyCount = keyNames.length;
  const width = keyCount + config.featureNames.length;
  // Key values of the rows added but not emitted yet, oldest first: the batcher emits rows in the order they came.
  let pendingKeys: unknown[][] = [];
  let nextKeys = 0;
  const awsConfig = config.awsEndpointUrl === undefined ? {} : { awsEndpointUrl: config.awsEndpointUrl };
  const invoke = (body: string): string => {
    try {
      return callAws(
        deps,
        {
          connectionName: config.connectionName,
          region: config.region,
          operation: 'InvokeEndpoint',
          payload: deps.json.encode({ EndpointName: config.endpointName, Body: body, ContentType: 'text/csv' }),
        },
        awsConfig,
      ).body;
    } catch (e) {
      if (isSmeError(e) && (e.kind === 'Validation' || e.kind === 'NotFound')) {
        const status = describeStatus(deps, config);
        if (status !== undefined && status !== 'InService') {
          throw coreError(
            'SME-E-ENDPOINT-NOT-IN-SERVICE',
            'endpoint ' + config.endpointName + ' is ' + status + ', not InService',
            { key: 'endpoint_name', value: config.endpointName },
          );
        }
      }
      throw e;
    }
  };
  const batcher = new PredictionBatcher(
    { maxRows: config.maxRows, maxBytes: config.maxBytes },
    types,
    invoke,
    (row, prediction) => {
      const out: unknown[] = [];
      const keys = pendingKeys[nextKeys] ?? [];
      pendingKeys[nextKeys] = [];
      nextKeys++;
      if (nextKeys === pendingKeys.length) {
        pendingKeys = [];
        nextKeys = 0;
      }
      for (let i = 0; i < keyCount; i++) out[i] = keys[i];
      for (let i = keyCount; i < width; i++) out[i] = row[i - keyCount];
      const value = predictionValue(prediction.label, outType);
      out[width] =
        outDecimal !== undefined && typeof value === 'number' && rows.decimal !== undefined
          ? rows.decimal(value, outDecimal[0], outDecimal[1])
          : value;
      if (classification) out[width + 1] = prediction.probability;
      rows.emit(out, classification ? width + 2 : width + 1);
    },
  );
  do {
    if (keyCount > 0) {
      const keys: unknown[] = [];
      for (let i = 0; i < keyCount; i++) {
        const name = keyNames[i] ?? '';
        const v = rows.raw === undefined ? rows.value(name) : rows.raw(name);
        keys[i] = v === null ? undefined : v;
      }
      pendingKeys.push(keys);
    }
    batcher.add(readRow(rows, config.featureNames));
  } while (rows.next());
  batcher.flush();
  return batcher.stats.requests;
}

/** An error as the one line a failed UDF reports: `SME-E-…: message` (the code once, never a secret). */
export function errorText(e: unknown): string {
  if (isSmeError(e)) {
    const message = e.message.startsWith(e.code) ? e.message : e.code + ': ' + e.message;
    const remedy = e.details.remedy;
    if (remedy === undefined || message.includes(remedy)) return message;
    return message + (message.endsWith('.') ? ' ' : '. ') + remedy;
  }
  if (typeof e === 'string') return 'SME-E-UDF-INTERNAL: ' + e;
  return 'SME-E-UDF-INTERNAL: ' + (e instanceof Error ? e.message : 'unexpected error');
}
