import type { GlobalArgs } from '../options/global-options.js';

export interface DemoArgs extends GlobalArgs {
  readonly keep: boolean;
  readonly lua?: 'native' | 'wasm';
  readonly rows: number;
}
