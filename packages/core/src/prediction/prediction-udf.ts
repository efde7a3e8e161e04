/**
 * The per-endpoint prediction UDF: `<schema>."<endpoint>"([key columns…,] feature columns…) EMITS ([key columns…,]
 * feature columns…, PREDICTIONS, [PROBABILITY])`, a Lua SET script whose body is the prediction bundle (built by @sme/udf) plus
 * the settings of this endpoint. Core builds the statement so that Node (`sme endpoint deploy`) and the
 * in-database deploy script create byte-identical UDFs.
 */
import type { ProblemType } from '../ports/automl-port.js';
import { coreError } from '../error-codes.js';
import { quoteIdentifier } from '../identifiers.js';
import { describeValue, formatInteger } from '../text.js';
import { DEFAULT_BATCH_ROWS, MAX_BATCH_ROWS, MAX_INVOKE_BYTES } from './batcher.js';
import { parseColumnType, type ColumnType } from './column-types.js';

/** A column: its stored name and its Exasol type text. */
export interface NamedColumn {
  readonly name: string;
  readonly type: string;
}

export interface PredictionUdfSpec {
  /** Schema of the UDF (stored name). */
  readonly schema: string;
  /** The SageMaker endpoint; also the UDF's name unless `udfName` is given. */
  readonly endpointName: string;
  /** The UDF's name when it is not the endpoint's (a promoted model's stable `PREDICT_<NAME>`). */
  readonly udfName?: string;
  /** Training columns without the target, in ordinal order. */
  readonly features: readonly NamedColumn[];
  /**
   * Pass-through columns before the features (`parseKeyColumns`; types a Lua UDF takes): emitted unchanged so that
   * predictions join back to their rows. None when absent.
   */
  readonly keys?: readonly NamedColumn[];
  readonly target: NamedColumn;
  readonly problemType: ProblemType;
  /** CONNECTION with the AWS credentials, and the region of the endpoint. */
  readonly connectionName: string;
  readonly region: string;
  /** SageMaker runtime endpoint override (sandbox, VPC endpoints); AWS's regional endpoint when absent. */
  readonly awsEndpointUrl?: string;
  /** PEM root certificates the UDF's HTTPS check trusts besides AWS's own (`sme deploy --aws-ca-file`). */
  readonly extraRootsPem?: string;
  readonly maxRows?: number;
  readonly maxBytes?: number;
}

/** Output columns added after the inputs. */
export const PREDICTIONS_COLUMN = 'PREDICTIONS';
export const PROBABILITY_COLUMN = 'PROBABILITY';

export function isClassification(problemType: ProblemType): boolean {
  return problemType !== 'Regression';
}

/**
 * A Lua string literal for any text: double quotes, `\\` escaped, quotes, control characters and `:` as `\ddd`.
 * Other characters stay as they are (UTF-8 bytes are valid inside a Lua string literal). The colon is escaped
 * because a scripting program's `query()` treats `:name` in its SQL text as a parameter to bind, and the
 * prediction UDF is created through `query()` by SME_DEPLOY_SAGEMAKER_AUTOPILOT_ENDPOINT; quotes are escaped so
 * that an SQL tokenizer meeting the text sees no stray `'` or `"`.
 */
export function luaStringLiteral(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) out = out + '\\\\';
    else if (c < 32 || c === 127 || c === 58 || c === 34 || c === 39)
      out = out + '\\' + (c < 10 ? '00' : c < 100 ? '0' : '') + formatInteger(c);
    else out = out + text.charAt(i);
  }
  return out + '"';
}

function luaList(items: readonly string[]): string {
  return '{' + items.map((s) => luaStringLiteral(s)).join(', ') + '}';
}

/** The typed output of a prediction: DOUBLE for regression, the target's own type for classification. */
export function predictionsType(spec: { readonly problemType: ProblemType; readonly target: NamedColumn }): ColumnType {
  return isClassification(spec.problemType) ? parseColumnType(spec.target.type) : parseColumnType('DOUBLE');
}

/**
 * The type of a UDF parameter (and of the emitted copy of that input) for a feature column. Lua UDFs take only DOUBLE,
 * DECIMAL, BOOLEAN, VARCHAR and CHAR (Exasol's Lua rule L6, packages/sandbox/README.md): numeric features are declared
 * DOUBLE, so Exasol converts DECIMAL arguments and the script gets plain numbers (CSV text still follows the column's
 * own scale); DATE, TIMESTAMP and other types are declared VARCHAR, so the caller passes their text (Exasol converts,
 * or write `TO_CHAR(col)`).
 */
export function udfParameterType(type: ColumnType): string {
  if (type.kind === 'decimal' || type.kind === 'double') return 'DOUBLE';
  if (type.kind === 'boolean' || type.kind === 'text') return type.text;
  if (type.kind === 'date' || type.kind === 'timestamp') return 'VARCHAR(50) UTF8';
  return 'VARCHAR(2000000) UTF8';
}

/**
 * The type of the PREDICTIONS column: the target's own type where a Lua UDF can emit it (a DECIMAL value is built
 * with `decimal(v, p, s)` by the prediction bundle), VARCHAR for DATE, TIMESTAMP and other types.
 */
export function udfResultType(type: ColumnType): string {
  if (type.kind === 'date' || type.kind === 'timestamp' || type.kind === 'other') return 'VARCHAR(2000000) UTF8';
  return type.text;
}

function checkedLimit(value: number | undefined, fallback: number, max: number, key: string): number {
  const v = value ?? fallback;
  if (!(v >= 1 && v <= max) || v % 1 !== 0) {
    throw coreError('SME-E-ARGUMENT', key + ' must be a whole number from 1 to ' + formatInteger(max), {
      key,
      value: describeValue(v),
    });
  }
  return v;
}

/**
 * `CREATE OR REPLACE LUA SET SCRIPT "<schema>"."<endpoint>"([<keys>,] <features>) EMITS ([<keys>,] <features>,
 * "PREDICTIONS" <type> [, "PROBABILITY" DOUBLE]) AS <lua>`: one statement without the trailing `/`. `luaBundle` is the prediction
 * bundle text (a chunk returning a module with `runPrediction(ctx, config)`), embedded as code; it must hold no
 * `:name` when the statement goes through the scripting API's `query()` (@sme/udf's build ensures that).
 *
 * @example
 * predictionUdfSql({ schema: 'ML', endpointName: 'churn-ep', features: [{ name: 'AGE', type: 'DECIMAL(3,0)' }],
 *   target: { name: 'CHURNED', type: 'BOOLEAN' }, problemType: 'BinaryClassification',
 *   connectionName: 'AWS', region: 'eu-central-1' }, bundle);
 */
export function predictionUdfSql(spec: PredictionUdfSpec, luaBundle: string): string {
  if (spec.features.length === 0) {
    throw coreError('SME-E-ENDPOINT-COLUMNS', 'the training table has no feature columns besides the target', {
      key: 'COLUMN_NAMES',
    });
  }
  const outputNames = [PREDICTIONS_COLUMN, PROBABILITY_COLUMN];
  for (const f of spec.features) {
    if (outputNames.includes(f.name)) {
      throw coreError(
        'SME-E-ENDPOINT-COLUMNS',
        'feature column ' + describeValue(f.name) + ' has the name of an output column of the prediction UDF',
        { key: 'COLUMN_NAMES', value: describeValue(f.name) },
      );
    }
  }
  const keys = spec.keys ?? [];
  for (const k of keys) {
    const clash = outputNames.includes(k.name)
      ? 'the name of an output column of the prediction UDF'
      : spec.features.some((f) => f.name === k.name)
        ? 'the name of a feature column (the UDF emits features unchanged already)'
        : undefined;
    if (clash !== undefined) {
      throw coreError('SME-E-ENDPOINT-KEY-COLUMNS', 'key column ' + describeValue(k.name) + ' has ' + clash, {
        key: 'key_columns',
        value: describeValue(k.name),
      });
    }
  }
  const maxRows = checkedLimit(spec.maxRows, DEFAULT_BATCH_ROWS, MAX_BATCH_ROWS, 'maxRows');
  const maxBytes = checkedLimit(spec.maxBytes, MAX_INVOKE_BYTES, MAX_INVOKE_BYTES, 'maxBytes');
  const types = spec.features.map((f) => parseColumnType(f.type));
  const params = spec.features.map(
    (f, i) => quoteIdentifier(f.name) + ' ' + udfParameterType(types[i] ?? parseColumnType('DOUBLE')),
  );
  const keyParams = keys.map((k) => quoteIdentifier(k.name) + ' ' + parseColumnType(k.type).text);
  const outputs = [
    ...keyParams,
    ...params,
    quoteIdentifier(PREDICTIONS_COLUMN) + ' ' + udfResultType(predictionsType(spec)),
  ];
  if (isClassification(spec.problemType)) outputs.push(quoteIdentifier(PROBABILITY_COLUMN) + ' DOUBLE');
  const config = [
    'endpointName = ' + luaStringLiteral(spec.endpointName),
    'connectionName = ' + luaStringLiteral(spec.connectionName),
    'region = ' + luaStringLiteral(spec.region),
    'problemType = ' + luaStringLiteral(spec.problemType),
    'featureNames = ' + luaList(spec.features.map((f) => f.name)),
    'featureTypes = ' + luaList(types.map((t) => t.text)),
    'predictionsType = ' + luaStringLiteral(predictionsType(spec).text),
    'maxRows = ' + formatInteger(maxRows),
    'maxBytes = ' + formatInteger(maxBytes),
  ];
  // Only with keys, so that a UDF without keys stays byte-identical to the ones deployed before keys existed.
  if (keys.length > 0) config.push('keyNames = ' + luaList(keys.map((k) => k.name)));
  if (spec.awsEndpointUrl !== undefined) config.push('awsEndpointUrl = ' + luaStringLiteral(spec.awsEndpointUrl));
  if (spec.extraRootsPem !== undefined) config.push('extraRootsPem = ' + luaStringLiteral(spec.extraRootsPem));
  return (
    'CREATE OR REPLACE LUA SET SCRIPT ' +
    quoteIdentifier(spec.schema) +
    '.' +
    quoteIdentifier(spec.udfName ?? spec.endpointName) +
    '(' +
    [...keyParams, ...params].join(', ') +
    ') EMITS (' +
    outputs.join(', ') +
    ') AS\n' +
    // The bundle is the script body itself (Exasol's Lua has no `load`), run once per UDF instance. @sme/udf builds it
    // colon-safe (no `:name` in the text), so the deploy-endpoint program can send this statement through `query()`.
    'local SME_BUNDLE = (function(...)\n' +
    luaBundle +
    '\nend)()\n' +
    'local SME_CONFIG = { ' +
    config.join(', ') +
    ' }\n' +
    'function run(ctx)\n  SME_BUNDLE.runPrediction(ctx, SME_CONFIG)\nend\n'
  );
}

/**
 * A predicted label as the value emitted for PREDICTIONS: a number for DECIMAL/DOUBLE, a boolean for BOOLEAN,
 * else the text. Labels that do not read as the type become NULL rather than failing the whole query.
 */
export function predictionValue(label: string, type: ColumnType): string | number | boolean | null {
  if (label === '') return null;
  if (type.kind === 'decimal' || type.kind === 'double') {
    const n = Number(label);
    return n === n ? n : null;
  }
  if (type.kind === 'boolean') {
    const upper = label.toUpperCase();
    if (upper === 'TRUE' || upper === '1') return true;
    if (upper === 'FALSE' || upper === '0') return false;
    return null;
  }
  return label;
}
