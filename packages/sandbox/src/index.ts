/** Public API of this package: filled in by the issues that build it (see README.md). */
export {};
