import { coreError } from './error-codes.js';
import type { SmeError } from './errors.js';
import { modelNameProblem } from './params.js';
import { describeValue, isAllDigits, isIntegral, padInteger } from './text.js';

/** A UTC instant split into calendar fields. */
export interface UtcDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

const MILLIS_PER_DAY = 86400000;
/** 9999-12-31T23:59:59.999Z: beyond it a four-digit year no longer holds. */
const LAST_SUPPORTED_MILLIS = 253402300799999;

/**
 * UTC calendar fields of epoch milliseconds, by arithmetic (no `Date`, which Lua lacks).
 * Days-to-civil conversion after Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms"
 * (https://howardhinnant.github.io/date_algorithms.html#civil_from_days).
 *
 * @example
 * utcDateTime(0); // { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 }
 */
export function utcDateTime(epochMillis: number): UtcDateTime {
  if (!isIntegral(Math.floor(epochMillis)) || epochMillis < 0 || epochMillis > LAST_SUPPORTED_MILLIS) {
    throw coreError(
      'SME-E-ARGUMENT',
      'epoch milliseconds must be a number from 0 to 253402300799999; received ' + describeValue(epochMillis),
      { key: 'epochMillis', value: describeValue(epochMillis) },
    );
  }
  const millis = Math.floor(epochMillis);
  const days = Math.floor(millis / MILLIS_PER_DAY);
  const inDay = millis - days * MILLIS_PER_DAY;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return {
    year,
    month,
    day,
    hour: Math.floor(inDay / 3600000),
    minute: Math.floor(inDay / 60000) % 60,
    second: Math.floor(inDay / 1000) % 60,
    millisecond: inDay % 1000,
  };
}

/** `yyMMddHHmmss` of an instant, UTC. */
export function compactUtcStamp(epochMillis: number): string {
  const t = utcDateTime(epochMillis);
  return (
    padInteger(t.year % 100, 2) +
    padInteger(t.month, 2) +
    padInteger(t.day, 2) +
    padInteger(t.hour, 2) +
    padInteger(t.minute, 2) +
    padInteger(t.second, 2)
  );
}

/**
 * Exasol TIMESTAMP literal text `YYYY-MM-DD HH:MM:SS.mmm` of an instant, UTC.
 *
 * @example
 * exasolTimestamp(1700000000123); // '2023-11-14 22:13:20.123'
 */
export function exasolTimestamp(epochMillis: number): string {
  const t = utcDateTime(epochMillis);
  return (
    padInteger(t.year, 4) +
    '-' +
    padInteger(t.month, 2) +
    '-' +
    padInteger(t.day, 2) +
    ' ' +
    padInteger(t.hour, 2) +
    ':' +
    padInteger(t.minute, 2) +
    ':' +
    padInteger(t.second, 2) +
    '.' +
    padInteger(t.millisecond, 3)
  );
}

/**
 * The AutoML job name of a training run: `<model_name>-<yyMMddHHmmss>` (UTC), at most 32 characters, matching AWS's
 * AutoMLJobName pattern. The original extension's user guide: the model name "will be internally concatenated with the
 * execution datetime".
 *
 * @example
 * jobNameFor('churn', 1700000000000); // 'churn-231114221320'
 */
export function jobNameFor(modelName: string, nowMillis: number): string {
  const reason = modelNameProblem(modelName);
  if (reason !== undefined) {
    throw coreError('SME-E-JOB-NAME-INVALID', 'model name ' + reason + '; received ' + describeValue(modelName), {
      key: 'model_name',
      value: describeValue(modelName),
    });
  }
  if (typeof nowMillis !== 'number' || nowMillis !== nowMillis || nowMillis < 0 || nowMillis > LAST_SUPPORTED_MILLIS) {
    throw coreError('SME-E-JOB-NAME-INVALID', 'the current time is not usable; received ' + describeValue(nowMillis), {
      key: 'nowMillis',
      value: describeValue(nowMillis),
    });
  }
  return modelName + '-' + compactUtcStamp(nowMillis);
}

/**
 * The model name of a job name `<model_name>-<yyMMddHHmmss>` ({@link jobNameFor}); undefined for a name of another
 * shape.
 *
 * @example
 * modelNameOfJob('churn-231114221320'); // 'churn'
 * modelNameOfJob('churn2-231114221320'); // 'churn2'
 */
export function modelNameOfJob(jobName: string): string | undefined {
  const cut = jobName.length - 13;
  if (cut < 1 || jobName.charAt(cut) !== '-' || !isAllDigits(jobName.slice(cut + 1))) return undefined;
  return jobName.slice(0, cut);
}

/**
 * The error for a job name that exists already (metadata table or AWS `ResourceInUse`). Never overwrite:
 * the caller fails and the user retries, which gives a new timestamp.
 *
 * @example
 * throw jobNameTakenError('churn-231114221320', 'the metadata table');
 */
export function jobNameTakenError(jobName: string, where: string, cause?: unknown): SmeError {
  return coreError(
    'SME-E-JOB-NAME-TAKEN',
    'job name ' + describeValue(jobName) + ' is already taken (' + where + '); retry in a second for a new name',
    { key: 'job_name', value: describeValue(jobName) },
    cause,
  );
}
