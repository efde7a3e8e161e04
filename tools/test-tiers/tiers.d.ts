/** The external judges a test can need. `sandbox` (the default) needs nothing outside npm. */
export type Tier = 'sandbox' | 'native-lua' | 'wasm' | 'moto' | 'containers' | 'luacheck' | 'chromium' | 'pty';
export interface TierCounts {
  ran: number;
  skipped: number;
  failed: number;
}
export declare const TIERS: readonly Tier[];
export declare const RUN_DIR_VARIABLE: 'SME_TIER_RUN_DIR';
export declare function findOnPath(name: string, path?: string): string | undefined;
export declare function tierLabel(tier: Tier): string;
export declare function tierInstallHint(tier: Tier): string;
export declare function tierUnavailableReason(tier: Tier): string | undefined;
export declare function tierAvailable(tier: Tier): boolean;
export declare function isCi(env?: Readonly<Record<string, string | undefined>>): boolean;
/** Tiers CI may skip: SME_CI_OPTIONAL_TIERS (default `containers`), minus the one SME_TEST_ENV asks for. */
export declare function ciOptionalTiers(env?: Readonly<Record<string, string | undefined>>): Tier[];
/** True when a missing tier fails this run (CI, and not CI-optional). */
export declare function missingTierFails(tier: Tier, env?: Readonly<Record<string, string | undefined>>): boolean;
export declare function missingTierMessage(tier: Tier, reason?: string): string;
export declare function recordMissingTier(tier: Tier, reason: string, runDir?: string): boolean;
export declare function missingTierReasons(runDir: string): Partial<Record<Tier, string>>;
export declare function tierTitle(tier: Tier, name: string): string;
export declare function tierOfTitle(title: string): Tier | undefined;
export declare function summaryLines(
  counts: Partial<Record<Tier, TierCounts>>,
  reasons: Partial<Record<Tier, string>>,
): string[];
