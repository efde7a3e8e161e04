/* global module */
/**
 * Layer rules (docs/ARCHITECTURE.md): demo → {cli, sandbox}; cli → {adapters, udf} → core; sandbox → core; core
 * imports nothing of the project.
 */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'core imports no other package of the project and no vendor SDK (it must compile to Lua)',
      severity: 'error',
      from: { path: '^packages/core/src', pathNot: '\\.test\\.ts$|/testing/' },
      to: { pathNot: '^packages/core/src' },
    },
    {
      name: 'adapters-do-not-import-each-other',
      severity: 'error',
      from: { path: '^packages/(exasol-adapter)/' },
      to: {
        path: '^packages/(sagemaker-adapter|udf|cli|sandbox)/|node_modules/@sme/(sagemaker-adapter|udf|cli|sandbox)',
      },
    },
    {
      name: 'sagemaker-adapter-isolated',
      severity: 'error',
      from: { path: '^packages/sagemaker-adapter/' },
      to: { path: '^packages/(exasol-adapter|udf|cli|sandbox)/|node_modules/@sme/(exasol-adapter|udf|cli|sandbox)' },
    },
    {
      name: 'udf-isolated',
      severity: 'error',
      from: { path: '^packages/udf/' },
      to: {
        path: '^packages/(exasol-adapter|sagemaker-adapter|cli|sandbox)/|node_modules/@sme/(exasol-adapter|sagemaker-adapter|cli|sandbox)',
      },
    },
    {
      name: 'sandbox-is-a-server',
      comment: 'the sandbox does not import the adapters or the cli (it may use core pure data)',
      severity: 'error',
      from: { path: '^packages/sandbox/' },
      to: {
        path: '^packages/(exasol-adapter|sagemaker-adapter|udf|cli)/|node_modules/@sme/(exasol-adapter|sagemaker-adapter|udf|cli)',
      },
    },
    {
      name: 'nothing-imports-the-cli',
      severity: 'error',
      from: { path: '^packages/(core|exasol-adapter|sagemaker-adapter|udf|sandbox)/' },
      to: { path: '^packages/cli/|node_modules/@sme/cli' },
    },
    {
      name: 'cli-does-not-import-the-sandbox',
      comment:
        'the sandbox (an embedded DuckDB, ~70 MB) is no run-time dependency of the cli: sme demo lives in @sme/demo, ' +
        'which the cli loads only when installed; cli tests and benches may use the sandbox (a devDependency)',
      severity: 'error',
      from: { path: '^packages/cli/', pathNot: '\\.test\\.ts$|^packages/cli/bench/' },
      to: { path: '^packages/sandbox/|node_modules/@sme/sandbox' },
    },
    {
      name: 'nothing-imports-the-demo',
      comment: 'the demo is optional: the cli finds it at run time by package name, nothing imports it statically',
      severity: 'error',
      from: { path: '^packages/(core|exasol-adapter|sagemaker-adapter|udf|sandbox|cli)/' },
      to: { path: '^packages/demo/|node_modules/@sme/demo' },
    },
    {
      name: 'test-tiers-only-in-tests',
      comment: 'tools/test-tiers is a private test helper: only test files may import it, so it never ships',
      severity: 'error',
      from: { path: '^packages/', pathNot: '\\.test\\.ts$|^packages/[^/]+/test/' },
      to: { path: '^tools/test-tiers/|node_modules/@sme/test-tiers/' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^packages/[^/]+/dist/|^integration-tests/dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    combinedDependencies: true,
    preserveSymlinks: true,
  },
};
