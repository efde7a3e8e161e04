/**
 * Reads an Exasol CONNECTION's address (never its secret). Used to check that the CONNECTION exports into
 * the bucket the training reads from. Node: `EXA_DBA_CONNECTIONS`/`EXA_ALL_…`; Lua: `exa.get_connection` in a UDF.
 */
export interface ConnectionPort {
  /** The address (`TO '…'`) of the connection, or undefined when it does not exist or is not visible. */
  address(connectionName: string): Promise<string | undefined>;
}
