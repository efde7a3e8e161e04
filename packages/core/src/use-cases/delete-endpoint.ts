import { isSmeError } from '../errors.js';
import { dropScriptSql, updateEndpointSql } from '../sql/endpoints-sql.js';
import { endpointTarget, now, type EndpointContext, type EndpointDeps, type EndpointRef } from './endpoint-shared.js';
import { textOf } from './metadata-rows.js';

export interface DeleteEndpointResult {
  readonly endpointName: string;
  /** What existed at AWS and was deleted now (false: it was already gone). */
  readonly deleted: { readonly endpoint: boolean; readonly endpointConfig: boolean; readonly model: boolean };
  readonly udfDropped: boolean;
  readonly recorded: boolean;
}

async function deleteIfPresent(run: () => Promise<void>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (e: unknown) {
    // Deleting is idempotent: AWS saying it does not exist means the work is done.
    if (isSmeError(e) && e.kind === 'NotFound') return false;
    throw e;
  }
}

/**
 * Deletes an endpoint, its endpoint config and model (already-gone parts are fine), drops its prediction UDF
 * and marks its row (STATUS `Deleted`, DELETED_AT).
 *
 * @example
 * await deleteEndpoint({ endpointName: 'churn-ep' }, deps, { metadataSchema: 'SME' });
 */
export async function deleteEndpoint(
  ref: EndpointRef,
  deps: EndpointDeps,
  context: EndpointContext,
): Promise<DeleteEndpointResult> {
  const { port, row } = await endpointTarget(ref, deps, context);
  const configName = textOf(row, 'ENDPOINT_CONFIG_NAME') ?? ref.endpointName;
  const modelName = textOf(row, 'MODEL_NAME') ?? ref.endpointName;
  const endpoint = await deleteIfPresent(() => port.deleteEndpoint(ref.endpointName));
  const endpointConfig = await deleteIfPresent(() => port.deleteEndpointConfig(configName));
  const model = await deleteIfPresent(() => port.deleteModel(modelName));
  let udfDropped = false;
  let recorded = false;
  const udfSchema = textOf(row, 'UDF_SCHEMA');
  const udfName = textOf(row, 'PREDICTION_UDF');
  if (udfSchema !== undefined && udfName !== undefined) {
    await deps.sql.execute(dropScriptSql(udfSchema, udfName));
    udfDropped = true;
  }
  if (row !== undefined) {
    const updated = await deps.sql.execute(
      updateEndpointSql(context.metadataSchema, ref.endpointName, {
        STATUS: { kind: 'text', value: 'Deleted' },
        LAST_STATUS_UPDATE: now(deps),
        DELETED_AT: now(deps),
      }),
    );
    recorded = updated > 0;
  }
  deps.log.info('deleted endpoint ' + ref.endpointName);
  return { endpointName: ref.endpointName, deleted: { endpoint, endpointConfig, model }, udfDropped, recorded };
}
