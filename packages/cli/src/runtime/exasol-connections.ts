import { maskUserinfo, quoteLiteral, type ConnectionPort, type SqlPort } from '@sme/core';

/**
 * `ConnectionPort` over `EXA_DBA_CONNECTIONS` (the only system view with a CONNECTION's address; it never shows the
 * secret). Reading it needs the SELECT ANY DICTIONARY privilege.
 */
export class ExasolConnections implements ConnectionPort {
  constructor(private readonly sql: SqlPort) {}

  async address(connectionName: string): Promise<string | undefined> {
    const result = await this.sql.query(
      'SELECT CONNECTION_STRING FROM EXA_DBA_CONNECTIONS WHERE UPPER(CONNECTION_NAME) = UPPER(' +
        quoteLiteral(connectionName) +
        ')',
    );
    const value = result.rows[0]?.[0];
    // A secret written into the address (https://KEY:SECRET@…) never travels further than here.
    return typeof value === 'string' ? maskUserinfo(value) : undefined;
  }
}

/**
 * The connection port when the session may read `EXA_DBA_CONNECTIONS`, else undefined: the training then skips
 * the bucket check and says so (the core's documented warning) instead of failing for a missing privilege.
 */
export async function readableConnections(sql: SqlPort): Promise<ConnectionPort | undefined> {
  try {
    await sql.query('SELECT CONNECTION_NAME FROM EXA_DBA_CONNECTIONS WHERE FALSE');
    return new ExasolConnections(sql);
  } catch {
    return undefined;
  }
}
