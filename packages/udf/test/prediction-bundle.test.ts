import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PREDICTION_UDF_BUNDLE, predictionUdfBundle } from '../src/index.js';
import { itTier } from '@sme/test-tiers';
import { luaBundleText } from './support/lua-build.js';

describe('prediction UDF bundle', () => {
  it('is the built prediction-udf.lua', () => {
    expect(PREDICTION_UDF_BUNDLE).toBe('prediction-udf.lua');
    expect(predictionUdfBundle()).toBe(luaBundleText('prediction-udf.lua'));
  });

  itTier('native-lua', 'loads under lua5.4 and exposes runPrediction, the entry the generated UDF calls', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sme-prediction-bundle-'));
    const file = join(dir, 'bundle.lua');
    writeFileSync(file, predictionUdfBundle());
    const r = spawnSync(
      'lua5.4',
      ['-e', `local m = dofile(${JSON.stringify(file)}); io.write(type(m.runPrediction))`],
      {
        encoding: 'utf8',
      },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('function');
  });
});
