import type { Tier } from './tiers.js';
export type { Tier } from './tiers.js';
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

/** A tier, or several that must all be present (the tests count for the first). */
export type Tiers = Tier | readonly [Tier, ...Tier[]];

/** The tier of a sandbox Lua runtime kind: `native` → `native-lua`, `wasm` → `wasm`. */
export declare function luaTier(kind: 'native' | 'wasm'): Tier;

/**
 * A suite titled `[tier] name`. Missing tier: with CI=true one failing test says what is missing and how to
 * install it; otherwise the suite is skipped and the reason printed once per run.
 */
export declare function describeTier(tier: Tiers, name: string, fn: () => void): void;

/** One test titled `[tier] name`, failing (CI=true) or skipped (otherwise) when the tier is missing. */
export declare function itTier(tier: Tiers, name: string, fn: () => unknown, timeout?: number): void;
