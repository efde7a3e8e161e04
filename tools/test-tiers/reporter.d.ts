import type { Tier, TierCounts } from './tiers.js';

interface TaskLike {
  readonly type: string;
  readonly name: string;
  readonly parent?: TaskLike;
}
interface ModuleLike {
  readonly children: { allTests(): Iterable<TaskLike & { result(): { state: string } }> };
}

export declare function tierOfTest(test: TaskLike): Tier;
export declare function countByTier(testModules: readonly ModuleLike[]): Partial<Record<Tier, TierCounts>>;

/** Counts tests by tier; writes them into the run directory, or prints them when it made the directory itself. */
export declare class TierReporter {
  constructor(env?: Record<string, string | undefined>);
  readonly ownsRunDir: boolean;
  readonly runDir: string;
  onTestRunEnd(testModules: readonly ModuleLike[]): void;
}
