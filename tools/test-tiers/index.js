// describeTier / itTier: one place that decides whether a test of a tier runs, is skipped (outside CI, reason
// printed once per run) or fails (CI=true: a green CI cannot hide a skipped tier).
import process from 'node:process';
import { describe, it } from 'vitest';
import {
  missingTierFails,
  missingTierMessage,
  recordMissingTier,
  tierLabel,
  tierTitle,
  tierUnavailableReason,
} from './tiers.js';

export {
  TIERS,
  ciOptionalTiers,
  findOnPath,
  isCi,
  missingTierFails,
  missingTierMessage,
  tierAvailable,
  tierInstallHint,
  tierLabel,
  tierUnavailableReason,
} from './tiers.js';

/** The tier of a sandbox Lua runtime kind. */
export function luaTier(kind) {
  if (kind === 'native') return 'native-lua';
  if (kind === 'wasm') return 'wasm';
  throw new Error(`no test tier for Lua runtime ${JSON.stringify(kind)}`);
}

/** Missing tiers among `tiers` (the first is the one the tests are counted for), with reasons. */
function missing(tiers) {
  return tiers.flatMap((tier) => {
    const reason = tierUnavailableReason(tier);
    return reason === undefined ? [] : [{ tier, reason }];
  });
}

function announce(gaps) {
  for (const { tier, reason } of gaps) {
    if (recordMissingTier(tier, reason))
      process.stderr.write(
        `[tiers] skipping the ${tierLabel(tier)} tier: ${missingTierMessage(tier, reason)}${
          missingTierFails(tier, { ...process.env, CI: 'true' }) ? '. With CI=true this fails.' : ''
        }\n`,
      );
  }
}

function failure(gaps) {
  for (const { tier, reason } of gaps) recordMissingTier(tier, reason);
  return new Error(
    `CI is set and a required test tier is missing: ${gaps.map((g) => missingTierMessage(g.tier, g.reason)).join('; ')}`,
  );
}

function asList(tier) {
  const tiers = Array.isArray(tier) ? tier : [tier];
  if (tiers.length === 0) throw new Error('describeTier/itTier: name at least one tier');
  return tiers;
}

/**
 * A suite of `tier` (or of several: counted for the first, run only when all are present), titled `[tier] name`.
 * Missing tier: under CI the suite is one failing test that says what is missing and how to install it;
 * elsewhere the suite is skipped and the reason printed once per run.
 */
export function describeTier(tier, name, fn) {
  const tiers = asList(tier);
  const title = tierTitle(tiers[0], name);
  const gaps = missing(tiers);
  if (gaps.length === 0) {
    describe(title, fn);
  } else if (gaps.some((g) => missingTierFails(g.tier))) {
    const error = failure(gaps);
    describe(title, () => {
      it('has the tier it needs', () => {
        throw error;
      });
    });
  } else {
    announce(gaps);
    describe.skip(title, fn);
  }
}

/** One test of `tier`, titled `[tier] name`; a missing tier fails it under CI and skips it elsewhere. */
export function itTier(tier, name, fn, timeout) {
  const tiers = asList(tier);
  const title = tierTitle(tiers[0], name);
  const gaps = missing(tiers);
  if (gaps.length === 0) {
    it(title, fn, timeout);
  } else if (gaps.some((g) => missingTierFails(g.tier))) {
    const error = failure(gaps);
    it(title, () => {
      throw error;
    });
  } else {
    announce(gaps);
    it.skip(title, fn, timeout);
  }
}
