/**
 * The Lua bundle of the prediction UDF, from @sme/udf: the same text the in-database deploy script embeds, so
 * both create byte-identical UDFs (core's `predictionUdfSql` builds the statement around it).
 */
export async function predictionUdfBundle(): Promise<string> {
  const { luaBundle } = await import('@sme/udf');
  return luaBundle('prediction-udf.lua');
}
