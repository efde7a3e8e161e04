/** A path cited in a comment or a Markdown text that names no file of the repository. */
export interface OutsidePath {
  readonly file: string;
  readonly line: number;
  readonly path: string;
}
export declare function findOutsidePaths(
  root: string,
  files: readonly string[],
  tracked: readonly string[],
  read?: (file: string) => string,
): OutsidePath[];
export declare function checkedFiles(tracked: readonly string[]): string[];
