/**
 * The sandbox keeps Exasol's catalog facts DuckDB cannot hold (declared column types, script and connection
 * objects, view texts) in tables of a hidden `SYS` schema, so they commit and roll back with the data and
 * persist with `dataDir`. Exasol's system views are DuckDB views over those tables and DuckDB's own catalog.
 * Column lists follow https://docs.exasol.com/db/latest/sql_references/system_tables/metadata_system_tables.htm.
 */
import { ownerOf, PRIVILEGE_TABLES, PRIVILEGE_VIEWS, SESSION_USER_SQL, visibleSql } from './privilege-catalog.js';

/** Schemas that exist in DuckDB but not in the emulated Exasol. */
export const HIDDEN_SCHEMAS = ['main', 'SYS', 'pg_catalog', 'information_schema'];
const hidden = HIDDEN_SCHEMAS.map((s) => `'${s}'`).join(',');

const D18 = 'DECIMAL(18,0)';

/** The Exasol release the sandbox imitates: the login's `releaseVersion` and EXA_METADATA's product version. */
export const SANDBOX_RELEASE_VERSION = '8.34.0';

const TABLE_ANY = ['SELECT ANY TABLE', 'INSERT ANY TABLE', 'UPDATE ANY TABLE', 'DELETE ANY TABLE', 'ALTER ANY TABLE'];
const SCRIPT_ANY = ['EXECUTE ANY SCRIPT', 'EXECUTE ANY FUNCTION'];

/** DuckDB type text → Exasol type text, for columns without a declared type (e.g. CREATE TABLE AS). */
const exaTypeText = (col: string): string => `CASE
  WHEN ${col} LIKE 'DECIMAL(%' THEN ${col}
  WHEN ${col} IN ('TINYINT','SMALLINT','INTEGER','BIGINT','UTINYINT','USMALLINT','UINTEGER') THEN 'DECIMAL(18,0)'
  WHEN ${col} IN ('HUGEINT','UBIGINT','UHUGEINT') THEN 'DECIMAL(36,0)'
  WHEN ${col} IN ('DOUBLE','FLOAT') THEN 'DOUBLE'
  WHEN ${col} IN ('BOOLEAN','DATE') THEN ${col}
  WHEN ${col} LIKE 'TIMESTAMP WITH TIME ZONE' THEN 'TIMESTAMP WITH LOCAL TIME ZONE'
  WHEN ${col} LIKE 'TIMESTAMP%' THEN 'TIMESTAMP'
  ELSE 'VARCHAR(2000000) UTF8' END`;

export const CATALOG_TABLES = `
CREATE SCHEMA IF NOT EXISTS "SYS";
CREATE TABLE IF NOT EXISTS "SYS"."_COLUMNS" ("SCHEMA_NAME" VARCHAR, "TABLE_NAME" VARCHAR, "COLUMN_NAME" VARCHAR,
  "TYPE_TEXT" VARCHAR, "TYPE_JSON" VARCHAR, "MAXSIZE" ${D18}, "NUM_PREC" ${D18}, "NUM_SCALE" ${D18});
CREATE TABLE IF NOT EXISTS "SYS"."_VIEWS" ("SCHEMA_NAME" VARCHAR, "VIEW_NAME" VARCHAR, "VIEW_TEXT" VARCHAR);
CREATE TABLE IF NOT EXISTS "SYS"."_SCRIPTS" ("SCRIPT_SCHEMA" VARCHAR, "SCRIPT_NAME" VARCHAR, "SCRIPT_TYPE" VARCHAR,
  "SCRIPT_LANGUAGE" VARCHAR, "SCRIPT_INPUT_TYPE" VARCHAR, "SCRIPT_RESULT_TYPE" VARCHAR, "SCRIPT_TEXT" VARCHAR,
  "DEFINITION" VARCHAR, "CREATED" TIMESTAMP);
CREATE TABLE IF NOT EXISTS "SYS"."_CONNECTIONS" ("CONNECTION_NAME" VARCHAR, "CONNECTION_STRING" VARCHAR,
  "USER_NAME" VARCHAR, "PASSWORD" VARCHAR, "CREATED" TIMESTAMP);
CREATE OR REPLACE TABLE "SYS"."DUAL" ("DUMMY" VARCHAR);
INSERT INTO "SYS"."DUAL" VALUES ('X');
${PRIVILEGE_TABLES}`;

export const SYSTEM_VIEWS: Readonly<Record<string, string>> = {
  EXA_ALL_SCHEMAS: `SELECT schema_name AS "SCHEMA_NAME", ${ownerOf('s.schema_name')} AS "SCHEMA_OWNER", CAST(oid AS ${D18}) AS "SCHEMA_OBJECT_ID",
    FALSE AS "SCHEMA_IS_VIRTUAL", CAST(NULL AS VARCHAR) AS "SCHEMA_COMMENT"
    FROM duckdb_schemas() s WHERE database_name = current_database() AND schema_name NOT IN (${hidden})`,
  EXA_ALL_TABLES: `SELECT schema_name AS "TABLE_SCHEMA", table_name AS "TABLE_NAME", ${ownerOf('t.schema_name')} AS "TABLE_OWNER",
    CAST(table_oid AS ${D18}) AS "TABLE_OBJECT_ID", FALSE AS "TABLE_IS_VIRTUAL", FALSE AS "TABLE_HAS_DISTRIBUTION_KEY",
    FALSE AS "TABLE_HAS_PARTITION_KEY", CAST(estimated_size AS ${D18}) AS "TABLE_ROW_COUNT",
    CAST(0 AS DECIMAL(9,1)) AS "DELETE_PERCENTAGE", comment AS "TABLE_COMMENT"
    FROM duckdb_tables() t WHERE database_name = current_database() AND schema_name NOT IN (${hidden})
      AND ${visibleSql('t.schema_name', 't.table_name', TABLE_ANY)}`,
  EXA_ALL_VIEWS: `SELECT v.schema_name AS "VIEW_SCHEMA", v.view_name AS "VIEW_NAME", v.schema_name AS "SCOPE_SCHEMA",
    ${ownerOf('v.schema_name')} AS "VIEW_OWNER", CAST(v.view_oid AS ${D18}) AS "VIEW_OBJECT_ID", COALESCE(x."VIEW_TEXT", v.sql) AS "VIEW_TEXT",
    v.comment AS "VIEW_COMMENT"
    FROM duckdb_views() v LEFT JOIN "SYS"."_VIEWS" x ON x."SCHEMA_NAME" = v.schema_name AND x."VIEW_NAME" = v.view_name
    WHERE v.database_name = current_database() AND NOT v.internal AND v.schema_name NOT IN (${hidden})
      AND ${visibleSql('v.schema_name', 'v.view_name', TABLE_ANY)}`,
  EXA_ALL_COLUMNS: `SELECT c.schema_name AS "COLUMN_SCHEMA", c.table_name AS "COLUMN_TABLE",
    CASE WHEN EXISTS (SELECT 1 FROM duckdb_views() v WHERE v.schema_name = c.schema_name AND v.view_name = c.table_name
      AND v.database_name = c.database_name) THEN 'VIEW' ELSE 'TABLE' END AS "COLUMN_OBJECT_TYPE",
    c.column_name AS "COLUMN_NAME", COALESCE(x."TYPE_TEXT", ${exaTypeText('c.data_type')}) AS "COLUMN_TYPE",
    COALESCE(x."MAXSIZE", CAST(c.numeric_precision AS ${D18})) AS "COLUMN_MAXSIZE",
    COALESCE(x."NUM_PREC", CAST(c.numeric_precision AS ${D18})) AS "COLUMN_NUM_PREC",
    COALESCE(x."NUM_SCALE", CAST(c.numeric_scale AS ${D18})) AS "COLUMN_NUM_SCALE",
    CAST(c.column_index AS ${D18}) AS "COLUMN_ORDINAL_POSITION", c.is_nullable AS "COLUMN_IS_NULLABLE",
    FALSE AS "COLUMN_IS_DISTRIBUTION_KEY", c.column_default AS "COLUMN_DEFAULT",
    ${ownerOf('c.schema_name')} AS "COLUMN_OWNER",
    c.comment AS "COLUMN_COMMENT"
    FROM duckdb_columns() c LEFT JOIN "SYS"."_COLUMNS" x ON x."SCHEMA_NAME" = c.schema_name
      AND x."TABLE_NAME" = c.table_name AND x."COLUMN_NAME" = c.column_name
    WHERE c.database_name = current_database() AND NOT c.internal AND c.schema_name NOT IN (${hidden})
      AND ${visibleSql('c.schema_name', 'c.table_name', TABLE_ANY)}`,
  EXA_ALL_SCRIPTS: `SELECT "SCRIPT_SCHEMA", "SCRIPT_NAME", ${ownerOf('s."SCRIPT_SCHEMA"')} AS "SCRIPT_OWNER",
    CAST(NULL AS ${D18}) AS "SCRIPT_OBJECT_ID", "SCRIPT_TYPE", "SCRIPT_LANGUAGE", "SCRIPT_INPUT_TYPE",
    "SCRIPT_RESULT_TYPE", "SCRIPT_TEXT", CAST(NULL AS VARCHAR) AS "SCRIPT_COMMENT" FROM "SYS"."_SCRIPTS" s
    WHERE ${visibleSql('s."SCRIPT_SCHEMA"', 's."SCRIPT_NAME"', SCRIPT_ANY)}`,
  EXA_DBA_CONNECTIONS: `SELECT "CONNECTION_NAME", "CONNECTION_STRING", "USER_NAME", "CREATED",
    CAST(NULL AS VARCHAR) AS "CONNECTION_COMMENT" FROM "SYS"."_CONNECTIONS"`,
  EXA_ALL_CONNECTIONS: `SELECT "CONNECTION_NAME", "CREATED", CAST(NULL AS VARCHAR) AS "CONNECTION_COMMENT"
    FROM "SYS"."_CONNECTIONS"`,
  // A few rows of Exasol's EXA_METADATA (PARAM_NAME, PARAM_VALUE, IS_STATIC): what tools read the version from.
  EXA_METADATA: `SELECT * FROM (VALUES ('databaseProductName', 'EXASolution', TRUE),
    ('databaseProductVersion', '${SANDBOX_RELEASE_VERSION}', TRUE),
    ('databaseMajorVersion', '${SANDBOX_RELEASE_VERSION.split('.')[0] ?? ''}', TRUE),
    ('databaseMinorVersion', '${SANDBOX_RELEASE_VERSION.split('.')[1] ?? ''}', TRUE))
    AS m("PARAM_NAME", "PARAM_VALUE", "IS_STATIC")`,
  ...PRIVILEGE_VIEWS,
};

/**
 * Exasol's DBA_/USER_ variants of the views: EXA_DBA_* list everything (the EXA_ALL_* query run without a
 * session user), EXA_USER_* what the session's user owns; with the owner column of each.
 */
export const SYSTEM_VIEW_ALIASES: Readonly<Record<string, readonly [string, string | null]>> = {
  EXA_SCHEMAS: ['EXA_ALL_SCHEMAS', null],
  EXA_DBA_SCHEMAS: ['EXA_ALL_SCHEMAS', null],
  EXA_USER_SCHEMAS: ['EXA_ALL_SCHEMAS', 'SCHEMA_OWNER'],
  EXA_DBA_TABLES: ['EXA_ALL_TABLES', null],
  EXA_USER_TABLES: ['EXA_ALL_TABLES', 'TABLE_OWNER'],
  EXA_DBA_VIEWS: ['EXA_ALL_VIEWS', null],
  EXA_USER_VIEWS: ['EXA_ALL_VIEWS', 'VIEW_OWNER'],
  EXA_DBA_COLUMNS: ['EXA_ALL_COLUMNS', null],
  EXA_USER_COLUMNS: ['EXA_ALL_COLUMNS', 'COLUMN_OWNER'],
  EXA_DBA_SCRIPTS: ['EXA_ALL_SCRIPTS', null],
  EXA_USER_SCRIPTS: ['EXA_ALL_SCRIPTS', 'SCRIPT_OWNER'],
};

export function systemViewsSql(): string {
  const views = Object.entries(SYSTEM_VIEWS).map(([n, q]) => `CREATE OR REPLACE VIEW "SYS"."${n}" AS ${q};`);
  const aliases = Object.entries(SYSTEM_VIEW_ALIASES).map(([n, [target, ownerColumn]]) => {
    // EXA_DBA_*: the EXA_ALL_* query with the visibility filter off (it is on only with a session user).
    const query = (SYSTEM_VIEWS[target] ?? '').replaceAll(SESSION_USER_SQL, 'CAST(NULL AS VARCHAR)');
    return ownerColumn === null
      ? `CREATE OR REPLACE VIEW "SYS"."${n}" AS ${query};`
      : `CREATE OR REPLACE VIEW "SYS"."${n}" AS SELECT * FROM "SYS"."${target}" WHERE ${SESSION_USER_SQL} IS NULL OR "${ownerColumn}" = ${SESSION_USER_SQL};`;
  });
  return [...views, ...aliases].join('\n');
}

/** True for a name the server resolves to `SYS.<name>` when written unqualified. */
export function isSystemObject(name: string): boolean {
  return name in SYSTEM_VIEWS || name in SYSTEM_VIEW_ALIASES || name === 'DUAL';
}
