/**
 * Exasol functions DuckDB lacks, as DuckDB macros in the database's `main` schema (on DuckDB's search path
 * whatever schema a session opens, and hidden from Exasol's system tables).
 *
 * `HASH_MD5(expr)`: Exasol returns the MD5 of its argument as 32 hex characters
 * (https://docs.exasol.com/db/latest/sql_references/functions/alphabeticallistfunctions/hash_md5.htm). For a
 * VARCHAR/CHAR argument both give the MD5 of the text's UTF-8 bytes; for other types Exasol hashes its internal
 * representation and the sandbox the value as text, and only the one-argument form exists here.
 */
export const EXASOL_FUNCTION_MACROS = 'CREATE OR REPLACE MACRO main.HASH_MD5(x) AS md5(CAST(x AS VARCHAR))';
