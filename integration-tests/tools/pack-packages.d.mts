/** Where the packed packages were installed: a project directory and its `sme` binary. */
export interface SmeInstall {
  readonly project: string;
  readonly bin: string;
}
export declare const PACKAGES: readonly string[];
export declare function packAndInstall(options?: { log?: (message: string) => void }): SmeInstall;
export declare function setup(project: { provide(key: 'smeInstall', value: SmeInstall): void }): void;
