/* global module */
/**
 * Layer rules (docs/ARCHITECTURE.md): demo → {cli, sandbox}; cli → {adapters, udf} → core; sandbox → core; core
 * imports nothing of the project.
 *
 * AWS vocabulary: S3 URIs and bucket names, regions and partitions, IAM role names and ARNs, SageMaker names, and
 * the one table of what an AWS error answer means (with its codes, kinds and remedies) live in core
 * (packages/core/src/aws/). The front doors (sagemaker-adapter for the CLI, udf for SQL, exasol-adapter, cli) only
 * extract an error's name, status and request id and look it up, and make errors with core's factories, so a
 * failure reads the same from SQL and from the CLI. dependency-cruiser sees imports, not definitions: what a front
 * door may not define (its own S3-URI parser, region or role rule, AWS error table) is checked by
 * tools/check-aws-vocabulary.mjs, which `npm run layers` runs after this configuration.
 *
 * The sandbox is different: it is a stand-in for AWS, not a client of it. Where it plays AWS (packages/sandbox/src/aws/)
 * it parses S3 URIs, names and requests as AWS would and answers with AWS's own error shapes; it keeps that parsing
 * of its own and must not use sme's core to decide what AWS would accept (else a bug in core's vocabulary would be
 * mirrored by the stand-in and pass every test). The rule sandbox-aws-plays-aws-itself enforces that.
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
      name: 'sandbox-aws-plays-aws-itself',
      comment:
        "the sandbox's AWS stand-in decides what AWS accepts on its own, never with sme's core (see the comment at the top)",
      severity: 'error',
      from: { path: '^packages/sandbox/src/aws/', pathNot: '\\.test\\.ts$' },
      to: { path: '^packages/core/|node_modules/@sme/core' },
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
