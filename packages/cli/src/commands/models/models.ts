import { listModels, MODELS_TABLE, quoteLiteral } from '@sme/core';
import { ExitCode, type ExitCodeValue } from '../../exit-codes.js';
import type { Output } from '../../output.js';
import { processRuntime, withExasol, type Runtime } from '../../runtime/session.js';
import { reapWithOwnAws } from '../endpoint/reap-hook.js';
import { resolveCliSettings } from '../../settings/settings.js';
import { modelsView } from '../../views.js';
import type { ModelsArgs } from './models-args.js';

export async function run(
  args: ModelsArgs,
  output: Output,
  runtime: Runtime = processRuntime(),
): Promise<ExitCodeValue> {
  const settings = resolveCliSettings(args, runtime.env);
  return withExasol(settings, output, runtime, async (sql) => {
    // Listing names needs no AWS; it is opened only to reap idle endpoints, as every command that connects does.
    await reapWithOwnAws(sql, settings, output, runtime);
    // A schema where nothing was promoted yet (or deployed by an older sme) has no models table: no models.
    const table = await sql.query(
      `SELECT TABLE_NAME FROM EXA_ALL_TABLES WHERE TABLE_SCHEMA = ${quoteLiteral(settings.schema)} AND TABLE_NAME = ${quoteLiteral(MODELS_TABLE)}`,
    );
    const models = table.rows.length === 0 ? [] : await listModels(sql, settings.schema);
    output.show(modelsView(models), () => {
      if (models.length === 0) output.note('no model names: promote a job with sme promote <job> --as NAME');
    });
    return ExitCode.Ok;
  });
}
