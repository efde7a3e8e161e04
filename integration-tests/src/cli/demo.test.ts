import { describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS } from '@sme/sandbox';
import { smeInstall } from './sme-binary.js';
import { spawn } from 'node:child_process';

function runDemo(
  bin: string,
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['demo', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

describe('sme demo (the packed binary, no configuration)', () => {
  it('trains through EXECUTE SCRIPT, beats the baseline, predicts from SQL and cleans up', async () => {
    const { bin } = smeInstall();
    const run = await runDemo(bin, ['--rows', '2000']);
    expect(run.stderr).not.toContain('error');
    expect(run.code).toBe(0);
    // The user guide's statement, printed as run.
    expect(run.stdout).toContain('EXECUTE SCRIPT SME.SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT(');
    expect(run.stdout).toContain('"target_attribute_name"');
    const metric = /Accuracy (\d\.\d+) \(baseline, always predicting the majority class: (\d\.\d+)\)/.exec(run.stdout);
    expect(metric).not.toBeNull();
    expect(Number(metric?.[1])).toBeGreaterThan(Number(metric?.[2]) + 0.05);
    const accuracy = /accuracy on (\d+) new customers: (\d\.\d+) \(baseline (\d\.\d+)\)/.exec(run.stdout);
    expect(accuracy?.[1]).toBe('1000');
    expect(Number(accuracy?.[2])).toBeGreaterThan(Number(accuracy?.[3]) + 0.05);
    expect(run.stdout).toContain('prediction UDF dropped');
    expect(run.stdout).toMatch(/dropped churn-\d{12}: \d+ objects deleted, metadata row marked/);
    expect(run.stdout).toContain('✔ demo finished');
    expect(run.stdout + run.stderr).not.toContain(SANDBOX_CREDENTIALS.secretAccessKey);
    // The whole flow takes ~10 s alone; a busy 2-core CI machine can triple that.
  }, 120_000);

  it('refuses a sample table below the Autopilot minimum with a usage error', async () => {
    const { bin } = smeInstall();
    const run = await runDemo(bin, ['--rows', '100']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('SME-E-CLI-USAGE');
  }, 120_000);
});
