/**
 * The demo in-process, as `sme demo --json` runs it (the packed binary's human output is proven in
 * integration-tests/src/cli/demo.test.ts). It runs the cli's command runners with the sandbox as their runtime:
 * settings of the process's own environment must neither redirect it nor be changed by it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createOutput, ExitCode } from '@sme/cli/runners';
import { SANDBOX_CREDENTIALS } from '@sme/sandbox';
import { run } from './demo.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const home = mkdtempSync(join(tmpdir(), 'sme-demo-test-'));
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

describe('sme demo --json (in-process)', () => {
  it('trains, predicts better than the baseline and cleans up, with the process environment untouched', async () => {
    // Each of these would send a command elsewhere if the runners read the process's environment.
    const hostile = {
      AWS_ENDPOINT_URL_SAGEMAKER: 'http://127.0.0.1:9',
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9',
      AWS_PROFILE: 'sme-demo-test-no-such-profile',
      AWS_REGION: 'ap-south-2',
      SME_CONFIG: join(home, 'no-such-config.json'),
      SME_SCHEMA: 'NOT_THE_DEMO_SCHEMA',
    };
    const saved = { ...process.env };
    Object.assign(process.env, hostile);
    let stdout = '';
    let stderr = '';
    try {
      const output = createOutput(true, {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text) },
      });
      const code = await run({ json: true, verbose: false, keep: false, rows: 600 }, output);
      expect(code).toBe(ExitCode.Ok);
      expect(process.env).toEqual({ ...saved, ...hostile });
    } finally {
      process.env = saved;
    }
    expect(stderr).toBe('');
    // One JSON document: the commands the demo runs print nothing of their own in JSON mode.
    const summary = JSON.parse(stdout) as {
      jobName: string;
      bestMetric: { name: string; value: number; baseline: number };
      prediction: { rows: number; accuracy: number };
    };
    expect(summary.jobName).toMatch(/^churn-\d{12}$/);
    expect(summary.bestMetric.name).toBe('Accuracy');
    expect(summary.bestMetric.value).toBeGreaterThan(summary.bestMetric.baseline);
    expect(summary.prediction.rows).toBe(1000);
    expect(summary.prediction.accuracy).toBeGreaterThan(summary.bestMetric.baseline);
    expect(stdout).not.toContain(SANDBOX_CREDENTIALS.secretAccessKey);
  }, 120_000);
});
