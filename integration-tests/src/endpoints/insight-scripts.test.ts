/**
 * Model insight through EXECUTE SCRIPT in both Lua runtimes: a job trained on data where one column (DECIDER)
 * alone sets the label; SME_LIST_SAGEMAKER_AUTOPILOT_CANDIDATES, SME_EVALUATE_SAGEMAKER_AUTOPILOT_JOB and
 * SME_EXPLAIN_SAGEMAKER_AUTOPILOT_JOB read the sandbox's candidates and report files (through the AWS-call UDF),
 * cache them once final, and answer coded errors for an unknown job, a running job and missing reports.
 */
import { quoteLiteral } from '@sme/core';
import { ExasolDeployer } from '@sme/exasol-adapter';
import { deploymentStatements } from '@sme/udf';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeTier, luaTier } from '@sme/test-tiers';
import { BUCKET, startEnvironment } from './environment.js';
import { rng } from './scenario.js';

type Env = Awaited<ReturnType<typeof startEnvironment>>;

/**
 * 700 rows: LABEL is 'yes' when DECIDER > 0.5, flipped for one row in ten (so candidates differ); NOISE_A, NOISE_B
 * and COLOR carry no signal.
 */
function signalRows(): (string | number)[][] {
  const r = rng(5);
  return Array.from({ length: 700 }, (_v, i) => {
    const decider = r();
    const flipped = r() < 0.1;
    const label = decider > 0.5 !== flipped ? 'yes' : 'no';
    return [decider, r(), r() * 100, ['red', 'green', 'blue'][i % 3] ?? 'red', label];
  });
}

for (const lua of ['native', 'wasm'] as const)
  describeTier(luaTier(lua), `model insight through EXECUTE SCRIPT (${lua} Lua)`, () => {
    let env: Env;
    const region = (): string => quoteLiteral(env.aws.region);
    const run = (sql: string) => env.sql.query(sql);
    const script = (name: string, job: string) =>
      run(`EXECUTE SCRIPT "SME"."${name}"(${quoteLiteral(job)}, 'AWS', ${region()})`);
    const failure = (p: Promise<unknown>) =>
      p.then(
        () => 'no error',
        (e: unknown) => (e instanceof Error ? e.message : String(e)),
      );
    const train = async (model: string, maxCandidates: number): Promise<string> => {
      const params = {
        model_name: model,
        aws_credentials_connection_name: 'AWS',
        aws_region: env.aws.region,
        iam_sagemaker_role: 'arn:aws:iam::123456789012:role/SageMaker',
        s3_bucket_uri: `s3://${BUCKET}`,
        s3_output_path: `insight/${lua}`,
        input_schema_name: 'ML',
        input_table_or_view_name: 'SIGNAL',
        target_attribute_name: 'LABEL',
        problem_type: 'BinaryClassification',
        objective: 'F1',
        max_runtime_for_automl_job_in_seconds: 3600,
        max_candidates: maxCandidates,
        max_runtime_per_training_job_in_seconds: 600,
      };
      const started = await run(
        `EXECUTE SCRIPT "SME"."SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT"(${quoteLiteral(JSON.stringify(params))})`,
      );
      return String(started.rows[0]?.[0]);
    };
    const completed = async (job: string): Promise<void> => {
      for (let i = 0; i < 600; i++) {
        const r = await run(
          `EXECUTE SCRIPT "SME"."SME_POLL_SAGEMAKER_AUTOPILOT_JOB_STATUS"(${quoteLiteral(job)}, 'AWS', ${region()})`,
        );
        const status = String(r.rows[0]?.[0]);
        if (status !== 'InProgress') {
          expect(status).toBe('Completed');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`${job} did not complete`);
    };

    beforeAll(async () => {
      env = await startEnvironment(lua);
      await new ExasolDeployer(env.sql).deploy(
        deploymentStatements({
          schema: 'SME',
          awsEndpointUrl: env.aws.sagemakerEndpoint,
          s3EndpointUrl: env.aws.s3Endpoint,
        }),
      );
      await env.sql.execute('CREATE SCHEMA IF NOT EXISTS "ML"');
      await env.sql.execute(
        'CREATE OR REPLACE TABLE "ML"."SIGNAL" ("DECIDER" DOUBLE, "NOISE_A" DOUBLE, "NOISE_B" DOUBLE, "COLOR" VARCHAR(5) UTF8, "LABEL" VARCHAR(3) UTF8)',
      );
      await env.sql.insertRows('"ML"."SIGNAL"', ['DECIDER', 'NOISE_A', 'NOISE_B', 'COLOR', 'LABEL'], signalRows());
    }, 180_000);

    afterAll(async () => {
      await env.stop();
    });

    it('lists the candidates, evaluates and explains the best one: the deciding column ranks first; all cached', async () => {
      const job = await train('insight', 6);
      await completed(job);

      const candidates = await script('SME_LIST_SAGEMAKER_AUTOPILOT_CANDIDATES', job);
      expect(candidates.columns.map((c) => c.name)).toEqual([
        'CANDIDATE_NAME',
        'RANK',
        'OBJECTIVE_METRIC',
        'OBJECTIVE_VALUE',
        'CANDIDATE_STATUS',
        'ALGORITHM',
        'TRAINING_SECONDS',
        'IS_BEST',
      ]);
      expect(candidates.rows).toHaveLength(6);
      expect(candidates.rows.map((r) => Number(r[1]))).toEqual([1, 2, 3, 4, 5, 6]);
      const values = candidates.rows.map((r) => Number(r[3]));
      expect([...values].sort((a, b) => b - a)).toEqual(values);
      // Ties broken by name.
      const names = candidates.rows.map((r) => String(r[0]));
      for (let i = 1; i < values.length; i++)
        if (values[i] === values[i - 1]) expect((names[i - 1] ?? '') < (names[i] ?? '')).toBe(true);
      expect(candidates.rows.map((r) => r[7])).toEqual([true, false, false, false, false, false]);
      expect(new Set(candidates.rows.map((r) => r[5])).size).toBeGreaterThanOrEqual(3);
      for (const r of candidates.rows) {
        expect(r[2]).toBe('F1');
        expect(r[4]).toBe('Completed');
        expect(Number(r[6])).toBeGreaterThanOrEqual(0);
      }
      const described = await script('SME_DESCRIBE_SAGEMAKER_AUTOPILOT_JOB', job);
      const best = described.rows.find((r) => r[0] === 'BEST_CANDIDATE_NAME')?.[1];
      expect(candidates.rows[0]?.[0]).toBe(best);

      const evaluation = await script('SME_EVALUATE_SAGEMAKER_AUTOPILOT_JOB', job);
      expect(evaluation.columns.map((c) => c.name)).toEqual(['METRIC_NAME', 'VALUE', 'SET']);
      const metrics = Object.fromEntries(evaluation.rows.map((r) => [String(r[0]), Number(r[1])]));
      expect(Object.keys(metrics)).toEqual(expect.arrayContaining(['accuracy', 'f1', 'precision', 'recall', 'auc']));
      expect(metrics.accuracy).toBeGreaterThan(0.8);
      expect(metrics.f1).toBeCloseTo(Number(candidates.rows[0]?.[3]), 6);
      expect(new Set(evaluation.rows.map((r) => r[2]))).toEqual(new Set(['Validation']));

      const explanation = await script('SME_EXPLAIN_SAGEMAKER_AUTOPILOT_JOB', job);
      expect(explanation.columns.map((c) => c.name)).toEqual(['FEATURE', 'IMPORTANCE', 'RANK']);
      expect(explanation.rows.map((r) => r[0])[0]).toBe('DECIDER');
      expect(new Set(explanation.rows.map((r) => r[0]))).toEqual(new Set(['DECIDER', 'NOISE_A', 'NOISE_B', 'COLOR']));
      expect(explanation.rows.map((r) => Number(r[2]))).toEqual([1, 2, 3, 4]);
      expect(Number(explanation.rows[0]?.[1])).toBeGreaterThan(3 * Number(explanation.rows[1]?.[1]));

      // Final answers are cached: the same rows again, and one cache row per insight.
      const cached = await run(
        `SELECT "KIND" FROM "SME"."SME_METADATA_AUTOPILOT_INSIGHTS" WHERE "JOB_NAME" = ${quoteLiteral(job)} ORDER BY "KIND"`,
      );
      expect(cached.rows.map((r) => r[0])).toEqual(['candidates', 'evaluation', 'explanation']);
      expect((await script('SME_LIST_SAGEMAKER_AUTOPILOT_CANDIDATES', job)).rows).toEqual(candidates.rows);
      expect((await script('SME_EXPLAIN_SAGEMAKER_AUTOPILOT_JOB', job)).rows).toEqual(explanation.rows);
    });

    it('answers coded errors: unknown job, job still running, reports missing (evaluation falls back with a warning)', async () => {
      expect(await failure(script('SME_EXPLAIN_SAGEMAKER_AUTOPILOT_JOB', 'no-such-job-1'))).toContain(
        'SME-E-JOB-NOT-FOUND',
      );

      await new Promise((resolve) => setTimeout(resolve, 1000)); // job names carry seconds
      // 750 candidates (the most Autopilot allows) keep the job running for about 30 s at the sandbox's clock speed
      // of 50, so a loaded machine cannot let it end before the scripts below ask; it is stopped afterwards.
      const running = await train('busy', 750);
      expect(await failure(script('SME_EVALUATE_SAGEMAKER_AUTOPILOT_JOB', running))).toContain(
        'SME-E-INSIGHT-JOB-NOT-FINISHED',
      );
      const soFar = await run(
        `EXECUTE SCRIPT "SME"."SME_LIST_SAGEMAKER_AUTOPILOT_CANDIDATES"(${quoteLiteral(running)}, 'AWS', ${region()}) WITH OUTPUT`,
      );
      expect(soFar.rows.map((r) => String(r[0])).join('\n')).toContain('still InProgress');
      await run(
        `EXECUTE SCRIPT "SME"."SME_STOP_SAGEMAKER_AUTOPILOT_JOB"(${quoteLiteral(running)}, 'AWS', ${region()})`,
      );

      await new Promise((resolve) => setTimeout(resolve, 1000));
      const job = await train('gone', 2);
      await completed(job);
      const described = await script('SME_DESCRIBE_SAGEMAKER_AUTOPILOT_JOB', job);
      const location = (key: string) => String(described.rows.find((r) => r[0] === key)?.[1]);
      expect(await env.objects.deletePrefix(`${location('EXPLAINABILITY')}/`)).toBeGreaterThan(0);
      expect(await env.objects.deletePrefix(`${location('MODEL_INSIGHTS')}/`)).toBeGreaterThan(0);
      const missing = await failure(script('SME_EXPLAIN_SAGEMAKER_AUTOPILOT_JOB', job));
      expect(missing).toContain('SME-E-INSIGHT-REPORT-MISSING');
      expect(missing).toContain('analysis.json');
      const fallback = await script('SME_EVALUATE_SAGEMAKER_AUTOPILOT_JOB', job);
      expect(fallback.rows.map((r) => r[0])).toContain('F1');
      const warned = await run(
        `EXECUTE SCRIPT "SME"."SME_EVALUATE_SAGEMAKER_AUTOPILOT_JOB"(${quoteLiteral(job)}, 'AWS', ${region()}) WITH OUTPUT`,
      );
      expect(warned.rows.map((r) => String(r[0])).join('\n')).toContain('sme warning: ');
      const notCached = await run(
        `SELECT COUNT(*) FROM "SME"."SME_METADATA_AUTOPILOT_INSIGHTS" WHERE "JOB_NAME" = ${quoteLiteral(job)} AND "KIND" <> 'candidates'`,
      );
      expect(Number(notCached.rows[0]?.[0])).toBe(0);
    });
  });
