/** The best candidate's explainability report: features ranked by mean |SHAP|. */
import { coreError } from '../error-codes.js';
import type { JobContext, JobRef } from './jobs.js';
import {
  bestCandidateReport,
  type InsightDeps,
  isFiniteNumber,
  isObject,
  listOf,
  numberField,
  readCache,
  reportMissing,
  textField,
  writeCache,
} from './insight-common.js';

/** The explainability report's file under the candidate's explainability location. */
const ANALYSIS_FILE = 'analysis.json';

const EXPLAINABILITY_REPORT = { artifact: 'Explainability', file: ANALYSIS_FILE, what: 'explainability' } as const;

export interface FeatureRow {
  readonly feature: string;
  readonly importance: number;
  /** 1 = most important; ties broken by name. */
  readonly rank: number;
}

export interface ExplanationResult {
  readonly jobName: string;
  readonly candidateName: string;
  readonly features: readonly FeatureRow[];
  /** The model output on the baseline row (first output), when the report has it. */
  readonly expectedValue?: number;
  readonly warnings: readonly string[];
  readonly cached: boolean;
}

/** Rows by importance, most important first, ties by name. */
export function rankFeatures(importance: Readonly<Record<string, number>>): FeatureRow[] {
  const names = Object.keys(importance);
  names.sort((a, b) => {
    const va = importance[a] ?? 0;
    const vb = importance[b] ?? 0;
    if (va !== vb) return vb - va;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return names.map((feature, i) => ({ feature, importance: importance[feature] ?? 0, rank: i + 1 }));
}

function cachedExplanation(value: unknown): ExplanationResult | undefined {
  if (!isObject(value)) return undefined;
  const jobName = textField(value, 'jobName');
  const candidateName = textField(value, 'candidateName');
  if (jobName === undefined || candidateName === undefined) return undefined;
  const features: FeatureRow[] = [];
  for (const raw of listOf(value.features)) {
    if (!isObject(raw)) return undefined;
    const feature = textField(raw, 'feature');
    const importance = numberField(raw, 'importance');
    const rank = numberField(raw, 'rank');
    if (feature === undefined || importance === undefined || rank === undefined) return undefined;
    features.push({ feature, importance, rank });
  }
  const expected = numberField(value, 'expectedValue');
  return {
    jobName,
    candidateName,
    features,
    ...(expected === undefined ? {} : { expectedValue: expected }),
    warnings: [],
    cached: true,
  };
}

/**
 * Feature importance of the best candidate from its explainability report (Clarify's `analysis.json` at
 * `CandidateArtifactLocations.Explainability`): the mean |SHAP| of each input column, averaged over the explained
 * outputs (one for regression and binary problems, one per class for multiclass).
 *
 * @example
 * const { features } = await explainJob({ jobName }, deps, { metadataSchema: 'SME' });
 */
export async function explainJob(ref: JobRef, deps: InsightDeps, context: JobContext): Promise<ExplanationResult> {
  const hit = cachedExplanation(await readCache(deps, context, ref.jobName, 'explanation'));
  if (hit !== undefined) return hit;
  const { job, best, uri, report: analysis } = await bestCandidateReport(ref, deps, context, EXPLAINABILITY_REPORT);
  const d = job.description;
  if (analysis === undefined || uri === undefined) throw reportMissing(job, 'explainability', uri);
  const explanations = analysis.explanations;
  const kernel = isObject(explanations) ? explanations.kernel_shap : undefined;
  const totals: Record<string, number> = {};
  let outputs = 0;
  let expectedValue: number | undefined;
  if (isObject(kernel)) {
    for (const label of Object.keys(kernel)) {
      const out = kernel[label];
      const global = isObject(out) ? out.global_shap_values : undefined;
      if (!isObject(global) || !isObject(out)) continue;
      outputs++;
      if (expectedValue === undefined || label === 'label0') expectedValue = numberField(out, 'expected_value');
      for (const feature of Object.keys(global)) {
        const v = global[feature];
        if (isFiniteNumber(v)) totals[feature] = (totals[feature] ?? 0) + (v < 0 ? -v : v);
      }
    }
  }
  if (outputs === 0) {
    throw coreError(
      'SME-E-INSIGHT-REPORT-INVALID',
      'the explainability report ' + uri + ' has no explanations.kernel_shap.<label>.global_shap_values',
      { key: 'uri', value: uri },
    );
  }
  const mean: Record<string, number> = {};
  for (const f of Object.keys(totals)) mean[f] = (totals[f] ?? 0) / outputs;
  const result = {
    jobName: d.AutoMLJobName,
    candidateName: best.CandidateName,
    features: rankFeatures(mean),
    ...(expectedValue === undefined ? {} : { expectedValue }),
  };
  const stored = cachedExplanation(await writeCache(deps, context, ref.jobName, 'explanation', result));
  return { ...(stored ?? result), warnings: [], cached: false };
}
