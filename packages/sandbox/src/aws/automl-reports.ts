/**
 * The explainability and model-insights reports of AutoML candidates, written where DescribeAutoMLJobV2
 * names them (`CandidateProperties.CandidateArtifactLocations.Explainability` / `.ModelInsights`).
 * Layout and formats: packages/sandbox/README.md ("Reports").
 */
import { stringify } from 'csv-stringify/sync';
import { shapleyValues } from './automl/explain.js';
import { loadTrainedModel } from './automl/model.js';
import type { SandboxModelFile } from './automl/model.js';
import { modelQualityStatistics } from './automl/quality.js';
import type { PreparedData } from './automl/trainer.js';
import type { ObjectStore } from './s3-store.js';

/** S3 prefixes (no trailing slash) of one candidate's reports. */
export interface ReportLocations {
  readonly explainability: string;
  readonly modelInsights: string;
}

/** Model predictions one explainability report may spend (tens of milliseconds for the sandbox's models). */
const SHAP_BUDGET = 6000;

/** The explainability report of a candidate: Clarify's `analysis.json` and per-row `explanations_shap/out.csv`. */
export const EXPLAINABILITY_FILES = ['analysis.json', 'explanations_shap/out.csv'] as const;
/** The model-insights report of a candidate: Model Monitor's model-quality `statistics.json`. */
export const MODEL_INSIGHTS_FILES = ['statistics.json'] as const;

/**
 * Where a candidate's reports go, under the job's output prefix `<S3OutputPath>/<job name>`: Autopilot's
 * `documentation/explainability/output/<candidate>` and `documentation/model_monitor/output/<candidate>`.
 */
export function reportLocations(bucket: string, jobPrefix: string, candidate: string): ReportLocations {
  const base = `s3://${bucket}/${jobPrefix}/documentation`;
  return {
    explainability: `${base}/explainability/output/${candidate}`,
    modelInsights: `${base}/model_monitor/output/${candidate}`,
  };
}

function keyOf(uri: string, bucket: string, file: string): string {
  return `${uri.slice(`s3://${bucket}/`.length)}/${file}`;
}

/**
 * Computes the Shapley values of the candidate's model on the validation split and writes, under
 * `location`: `analysis.json` (`{"version":"1.0","explanations":{"kernel_shap":{"label0":{"global_shap_values":
 * {column: mean |SHAP|}, "expected_value": f(baseline)}}}}`) and `explanations_shap/out.csv` (header = the
 * input columns, one row of SHAP values per explained row, first output).
 */
export async function writeExplainabilityReport(
  objects: ObjectStore,
  bucket: string,
  location: string,
  data: PreparedData,
  file: SandboxModelFile,
  seed: number,
): Promise<void> {
  const shap = shapleyValues(data, loadTrainedModel(file), { budget: SHAP_BUDGET, seed });
  const kernelShap: Record<string, unknown> = {};
  for (const o of shap.outputs) {
    kernelShap[o.name] = { global_shap_values: o.global, expected_value: o.expected };
  }
  const analysis = { version: '1.0', explanations: { kernel_shap: kernelShap } };
  await objects.put(
    bucket,
    keyOf(location, bucket, 'analysis.json'),
    JSON.stringify(analysis, null, 2),
    'application/json',
  );
  const first = shap.outputs[0]?.local ?? [];
  const csv = stringify([[...data.columns], ...first.map((row) => row.map((v) => String(v)))]);
  await objects.put(bucket, keyOf(location, bucket, 'explanations_shap/out.csv'), csv, 'text/csv');
}

/**
 * Evaluates the candidate's model on the validation split and writes `statistics.json` under `location`
 * in Model Monitor's model-quality format (confusion matrix, ROC and precision-recall curves, AUC, … for
 * classification; MAE/MSE/RMSE/R2 plus a residual histogram for regression).
 */
export async function writeModelInsightsReport(
  objects: ObjectStore,
  bucket: string,
  location: string,
  data: PreparedData,
  file: SandboxModelFile,
  now: Date,
): Promise<void> {
  const model = loadTrainedModel(file);
  const base = { problemType: data.problemType, labels: data.labels, positive: data.positive, actual: data.yVal };
  const statistics = modelQualityStatistics(
    data.problemType === 'Regression'
      ? { ...base, predicted: model.predictValue(data.xVal) }
      : { ...base, proba: model.predictProba(data.xVal) },
    now,
  );
  await objects.put(
    bucket,
    keyOf(location, bucket, 'statistics.json'),
    JSON.stringify(statistics, null, 2),
    'application/json',
  );
}

/** What the report phases need: the store, the job's output prefix and its prepared data. */
export interface ReportContext {
  readonly objects: ObjectStore;
  readonly bucket: string;
  /** `<S3OutputPath key>/<job name>`, without the bucket. */
  readonly jobPrefix: string;
  readonly data: PreparedData;
  readonly seed: number;
}

/** A candidate as the job keeps it: its response record (mutated here) and, when it trained, its model. */
export interface ReportedCandidate {
  readonly record: Record<string, unknown>;
  readonly file?: SandboxModelFile;
}

/**
 * Writes one kind of report for every completed candidate and only then names it in the candidate's
 * `CandidateProperties.CandidateArtifactLocations`, so a location in a response always holds its files
 * (Explainability first: the API model makes it required once the structure is there). Yields to the event
 * loop between candidates so requests are served meanwhile. Throws naming the candidate when a write fails.
 */
export async function writeReports(
  kind: 'explainability' | 'modelInsights',
  context: ReportContext,
  candidates: readonly ReportedCandidate[],
): Promise<void> {
  const { objects, bucket, jobPrefix, data } = context;
  for (const [i, c] of candidates.entries()) {
    if (c.file === undefined) continue;
    await new Promise((resolve) => setImmediate(resolve));
    const name = String(c.record.CandidateName);
    const at = reportLocations(bucket, jobPrefix, name);
    const props = (c.record.CandidateProperties ?? {}) as Record<string, unknown>;
    try {
      if (kind === 'explainability') {
        await writeExplainabilityReport(objects, bucket, at.explainability, data, c.file, context.seed + i);
        props.CandidateArtifactLocations = { Explainability: at.explainability };
      } else {
        await writeModelInsightsReport(objects, bucket, at.modelInsights, data, c.file, new Date());
        props.CandidateArtifactLocations = { Explainability: at.explainability, ModelInsights: at.modelInsights };
      }
    } catch (e) {
      const where = kind === 'explainability' ? at.explainability : at.modelInsights;
      throw new Error(
        `Could not write the ${kind === 'explainability' ? 'explainability' : 'model insights'} report of ${name} to ${where}: ${e instanceof Error ? e.message : String(e)}`,
        { cause: e },
      );
    }
    c.record.CandidateProperties = props;
  }
}
