/**
 * Privilege checks of one session, with Exasol's rules
 * (https://docs.exasol.com/db/latest/database_concepts/privileges/details_rights_management.htm and the
 * "Prerequisites" of each statement's page under https://docs.exasol.com/db/latest/sql/):
 *
 * - the sandbox's admin user (`sys`) and every holder of the DBA role may do everything;
 * - objects belong to the owner of their schema, who may use them without grants;
 * - an object privilege granted on a schema applies to every object in it;
 * - scripts run with the rights of the calling user ("Contrary to views, a script is executed with the
 *   privileges of the executing user", https://docs.exasol.com/db/latest/sql/execute_script.htm), so a
 *   scripting program's query/pquery statements and the UDFs they call are checked like the caller's own.
 *
 * Error texts: see the README's privilege section for which are confirmed and which are [unverified].
 */
import type { QualifiedName } from './qualified-name.js';
import { ExaSqlError } from './sql-error.js';
import type { Token } from './tokenizer.js';
import { identifierName, kw, quoteString } from './tokenizer.js';

/** What the checks need from the session. */
export interface AccessContext {
  readonly user: string;
  readonly sessionId: string;
  readonly currentSchema: string | null;
  duckRows(sql: string): Promise<unknown[][]>;
}

type TablePrivilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE' | 'ALTER';

const ANY_TABLE: Readonly<Record<TablePrivilege, string>> = {
  SELECT: 'SELECT ANY TABLE',
  INSERT: 'INSERT ANY TABLE',
  UPDATE: 'UPDATE ANY TABLE',
  DELETE: 'DELETE ANY TABLE',
  ALTER: 'ALTER ANY TABLE',
};

/** `insufficient privileges: SELECT on table T` (42500), as Exasol's own tests assert it for SELECT. */
export function tablePrivilegeError(priv: TablePrivilege, q: QualifiedName, sessionId: string): ExaSqlError {
  return new ExaSqlError(`insufficient privileges: ${priv} on table ${q.name} (Session: ${sessionId})`, '42500');
}

/** `insufficient privileges for <action>` (42500), e.g. "creating schema", "calling script". */
export function insufficient(action: string, sessionId: string): ExaSqlError {
  return new ExaSqlError(`insufficient privileges for ${action} (Session: ${sessionId})`, '42500');
}

const grantees = (user: string): string => `(${quoteString(user)}, 'PUBLIC')`;

export class Access {
  constructor(
    private readonly ctx: AccessContext,
    /** The sandbox's admin login (SYS): it holds every privilege and cannot lose them. */
    private readonly admin: string,
  ) {}

  private get user(): string {
    return this.ctx.user;
  }

  private async exists(sql: string): Promise<boolean> {
    return (await this.ctx.duckRows(`SELECT EXISTS (${sql})`))[0]?.[0] === true;
  }

  /** SYS and holders of the DBA role ("The DBA role possesses all possible system privileges"). */
  async isDba(): Promise<boolean> {
    if (this.user === this.admin) return true;
    return this.exists(
      `SELECT 1 FROM "SYS"."_ROLE_PRIVS" WHERE "GRANTEE" IN ${grantees(this.user)} AND "GRANTED_ROLE" = 'DBA'`,
    );
  }

  /** True when the user holds one of the system privileges (directly, through PUBLIC, or as DBA). */
  async hasSystem(...privileges: string[]): Promise<boolean> {
    if (await this.isDba()) return true;
    const list = privileges.map(quoteString).join(', ');
    return this.exists(
      `SELECT 1 FROM "SYS"."_SYS_PRIVS" WHERE "GRANTEE" IN ${grantees(this.user)} AND "PRIVILEGE" IN (${list})`,
    );
  }

  async ownsSchema(schema: string): Promise<boolean> {
    return this.exists(
      `SELECT 1 FROM "SYS"."_SCHEMA_OWNERS" WHERE "SCHEMA_NAME" = ${quoteString(schema)} AND "OWNER" = ${quoteString(this.user)}`,
    );
  }

  /** Owner of the object's schema, the `… ANY …` system privilege, or the object privilege on it or its schema. */
  async hasObject(priv: string, q: QualifiedName, anyPrivilege: string): Promise<boolean> {
    if ((await this.hasSystem(anyPrivilege)) || (await this.ownsSchema(q.schema))) return true;
    return this.exists(
      `SELECT 1 FROM "SYS"."_OBJ_PRIVS" WHERE "GRANTEE" IN ${grantees(this.user)} AND "PRIVILEGE" = ${quoteString(priv)}
       AND (("OBJECT_TYPE" = 'SCHEMA' AND "OBJECT_NAME" = ${quoteString(q.schema)})
         OR ("OBJECT_SCHEMA" = ${quoteString(q.schema)} AND "OBJECT_NAME" = ${quoteString(q.name)}))`,
    );
  }

  async requireTable(priv: TablePrivilege, q: QualifiedName): Promise<void> {
    if (!(await this.hasObject(priv, q, ANY_TABLE[priv]))) throw tablePrivilegeError(priv, q, this.ctx.sessionId);
  }

  /** EXECUTE SCRIPT and UDF calls: EXECUTE ANY SCRIPT, EXECUTE on the script or its schema, or ownership. */
  async requireExecute(q: QualifiedName): Promise<void> {
    if (!(await this.hasObject('EXECUTE', q, 'EXECUTE ANY SCRIPT')))
      throw insufficient('calling script', this.ctx.sessionId);
  }

  /** CREATE TABLE/VIEW/SCRIPT in a schema: `CREATE <kind>` in an own schema, or `CREATE ANY <kind>`. */
  async requireCreate(kind: 'TABLE' | 'VIEW' | 'SCRIPT' | 'FUNCTION', schema: string): Promise<void> {
    if (await this.hasSystem(`CREATE ANY ${kind}`)) return;
    if ((await this.hasSystem(`CREATE ${kind}`)) && (await this.ownsSchema(schema))) return;
    throw insufficient(`creating ${kind.toLowerCase()}`, this.ctx.sessionId);
  }

  /** DROP/ALTER of an object: its schema's owner or the `… ANY …` system privilege. */
  async requireOwnerOr(schema: string, anyPrivilege: string, action: string): Promise<void> {
    if ((await this.hasSystem(anyPrivilege)) || (await this.ownsSchema(schema))) return;
    throw insufficient(action, this.ctx.sessionId);
  }

  async requireSystem(privilege: string, action: string): Promise<void> {
    if (!(await this.hasSystem(privilege))) throw insufficient(action, this.ctx.sessionId);
  }

  /** EXPORT/IMPORT AT c: USE ANY CONNECTION or the connection granted (GRANT CONNECTION c); ACCESS is not enough. */
  async requireConnectionUse(connection: string): Promise<void> {
    if (await this.hasSystem('USE ANY CONNECTION')) return;
    const granted = await this.exists(
      `SELECT 1 FROM "SYS"."_CONNECTION_PRIVS" WHERE "GRANTEE" IN ${grantees(this.user)} AND "GRANTED_CONNECTION" = ${quoteString(connection)}`,
    );
    if (!granted) throw insufficient(`using connection ${connection}`, this.ctx.sessionId);
  }

  /**
   * `exa.get_connection(c)` in a UDF: ACCESS ANY CONNECTION, `GRANT ACCESS ON CONNECTION c TO u`, or the same
   * restricted to this script or its schema (`… FOR SCRIPT s` / `… FOR SCHEMA x`). Plain `GRANT CONNECTION` is not
   * enough (README.md, Exasol's Lua, rule L5). Thrown as a plain Error: the Lua runtime raises it as a Lua error inside
   * the UDF, as Exasol does.
   */
  async requireConnectionAccess(connection: string, script: QualifiedName): Promise<void> {
    if (await this.hasSystem('ACCESS ANY CONNECTION')) return;
    const c = quoteString(connection);
    const g = grantees(this.user);
    const unrestricted = await this.exists(
      `SELECT 1 FROM "SYS"."_OBJ_PRIVS" WHERE "GRANTEE" IN ${g} AND "OBJECT_TYPE" = 'CONNECTION'
       AND "PRIVILEGE" = 'ACCESS' AND "OBJECT_NAME" = ${c}`,
    );
    if (unrestricted) return;
    const restricted = await this.exists(
      `SELECT 1 FROM "SYS"."_RESTRICTED_PRIVS" WHERE "GRANTEE" IN ${g} AND "PRIVILEGE" = 'ACCESS' AND "OBJECT_NAME" = ${c}
       AND (("FOR_OBJECT_TYPE" = 'SCRIPT' AND "FOR_OBJECT_SCHEMA" = ${quoteString(script.schema)}
             AND "FOR_OBJECT_NAME" = ${quoteString(script.name)})
         OR ("FOR_OBJECT_TYPE" = 'SCHEMA' AND "FOR_OBJECT_NAME" = ${quoteString(script.schema)}))`,
    );
    if (!restricted)
      throw new Error(`insufficient privileges for using connection ${connection} in script ${script.name}`);
  }

  /**
   * Checks a statement before it runs: table privileges of queries and DML, DDL prerequisites, EXPORT, IMPORT.
   * EXECUTE SCRIPT and UDF calls are checked where the script is resolved (scripts.ts); GRANT/REVOKE and user
   * DDL in users.ts.
   */
  async checkStatement(t: readonly Token[], parseName: (at: number) => QualifiedName): Promise<void> {
    if (await this.isDba()) return;
    const w0 = kw(t[0]);
    const w1 = kw(t[1]);
    const sid = this.ctx.sessionId;
    let target: { priv: TablePrivilege; q: QualifiedName } | undefined;
    let reads: readonly Token[] = t;
    switch (w0) {
      case 'INSERT':
        if (w1 === 'INTO') target = { priv: 'INSERT', q: parseName(2) };
        break;
      case 'UPDATE':
        target = { priv: 'UPDATE', q: parseName(1) };
        break;
      case 'DELETE':
        target = { priv: 'DELETE', q: parseName(w1 === 'FROM' ? 2 : 1) };
        break;
      case 'TRUNCATE':
        if (w1 === 'TABLE') target = { priv: 'DELETE', q: parseName(2) };
        break;
      case 'MERGE':
        if (w1 === 'INTO') target = { priv: 'UPDATE', q: parseName(2) };
        break;
      case 'EXPORT': {
        await this.requireSystem('EXPORT', 'EXPORT');
        const into = t.findIndex((x) => kw(x) === 'INTO');
        const atTok = t.findIndex((x, k) => k > into && kw(x) === 'AT');
        const conn = t[atTok + 1];
        if (atTok > 0 && conn && (conn.kind === 'word' || conn.kind === 'quoted'))
          await this.requireConnectionUse(identifierName(conn));
        reads = into > 0 ? t.slice(0, into) : t;
        break;
      }
      case 'IMPORT': {
        await this.requireSystem('IMPORT', 'IMPORT');
        if (w1 === 'INTO') target = { priv: 'INSERT', q: parseName(2) };
        const atTok = t.findIndex((x) => kw(x) === 'AT');
        const conn = t[atTok + 1];
        if (atTok > 0 && conn && (conn.kind === 'word' || conn.kind === 'quoted'))
          await this.requireConnectionUse(identifierName(conn));
        reads = [];
        break;
      }
      case 'CREATE':
        reads = await this.checkCreate(t, parseName);
        break;
      case 'DROP':
        await this.checkDrop(t, parseName);
        return;
      case 'ALTER':
        if (w1 === 'TABLE') {
          const q = parseName(2);
          if (!(await this.hasObject('ALTER', q, 'ALTER ANY TABLE'))) throw insufficient('altering table', sid);
        }
        return;
      case 'SELECT':
      case 'WITH':
      case 'VALUES':
      case '(':
        break;
      default:
        if (t[0]?.text !== '(') return;
    }
    if (target) await this.requireTable(target.priv, target.q);
    await this.checkDictionary(reads);
    for (const q of await this.tablesRead(reads))
      if (!target || q.schema !== target.q.schema || q.name !== target.q.name) await this.requireTable('SELECT', q);
  }

  private async checkCreate(t: readonly Token[], parseName: (at: number) => QualifiedName): Promise<readonly Token[]> {
    let i = 1;
    if (kw(t[i]) === 'OR' && kw(t[i + 1]) === 'REPLACE') i += 2;
    if (kw(t[i]) === 'FORCE') i++;
    const what = kw(t[i]);
    if (what === 'SCHEMA') {
      await this.requireSystem('CREATE SCHEMA', 'creating schema');
      return [];
    }
    if (what === 'CONNECTION') {
      await this.requireSystem('CREATE CONNECTION', 'creating connection');
      return [];
    }
    if (what === 'USER') return [];
    if (what === 'TABLE' || what === 'VIEW') {
      let at = i + 1;
      if (kw(t[at]) === 'IF') at += 3;
      await this.requireCreate(what, parseName(at).schema);
      const asAt = t.findIndex((x, k) => k > at && (kw(x) === 'AS' || kw(x) === 'LIKE'));
      return asAt < 0 ? [] : t.slice(asAt + 1);
    }
    while (i < t.length && kw(t[i]) !== 'SCRIPT') i++;
    if (i < t.length) await this.requireCreate('SCRIPT', parseName(i + 1).schema);
    return [];
  }

  private async checkDrop(t: readonly Token[], parseName: (at: number) => QualifiedName): Promise<void> {
    // DROP [FORCE] [LUA SCALAR …] SCRIPT|TABLE|… [IF EXISTS] name
    let i = 1;
    while (i < t.length && !['SCHEMA', 'TABLE', 'VIEW', 'SCRIPT', 'CONNECTION', 'USER'].includes(kw(t[i]))) i++;
    const kind = kw(t[i]);
    i++;
    if (kw(t[i]) === 'IF' && kw(t[i + 1]) === 'EXISTS') i += 2;
    switch (kind) {
      case 'SCHEMA': {
        const tok = t[i];
        if (tok) await this.requireOwnerOr(identifierName(tok), 'DROP ANY SCHEMA', 'dropping schema');
        return;
      }
      case 'TABLE':
      case 'VIEW':
      case 'SCRIPT':
        await this.requireOwnerOr(parseName(i).schema, `DROP ANY ${kind}`, `dropping ${kind.toLowerCase()}`);
        return;
      case 'CONNECTION':
        await this.requireSystem('DROP ANY CONNECTION', 'dropping connection');
        return;
      default:
        return;
    }
  }

  /** EXA_DBA_* system tables need SELECT ANY DICTIONARY ("Only users with the SELECT ANY DICTIONARY …"). */
  private async checkDictionary(t: readonly Token[]): Promise<void> {
    const dba = t.find((x, k) => x.kind === 'word' && /^EXA_DBA_/i.test(x.text) && t[k + 1]?.text !== '.');
    if (dba && !(await this.hasSystem('SELECT ANY DICTIONARY')))
      throw tablePrivilegeError('SELECT', { schema: 'SYS', name: dba.text.toUpperCase() }, this.ctx.sessionId);
  }

  /**
   * Tables and views a statement reads: every `a.b` and (with an open schema) every bare name that names an
   * existing table or view. Function calls (`x(`) are skipped; a column named like a table of the current
   * schema counts as a read of that table (a known over-approximation).
   */
  private async tablesRead(t: readonly Token[]): Promise<QualifiedName[]> {
    const candidates = new Map<string, QualifiedName>();
    for (let i = 0; i < t.length; i++) {
      const a = t[i] as Token;
      if ((a.kind !== 'word' && a.kind !== 'quoted') || t[i - 1]?.text === '.') continue;
      const b = t[i + 2];
      if (t[i + 1]?.text === '.' && b && (b.kind === 'word' || b.kind === 'quoted')) {
        if (t[i + 3]?.text !== '(' && t[i + 3]?.text !== '.') {
          const q = { schema: identifierName(a), name: identifierName(b) };
          candidates.set(JSON.stringify(q), q);
        }
        i += 2;
      } else if (this.ctx.currentSchema !== null && t[i + 1]?.text !== '(') {
        const q = { schema: this.ctx.currentSchema, name: identifierName(a) };
        candidates.set(JSON.stringify(q), q);
      }
    }
    if (candidates.size === 0) return [];
    const pairs = [...candidates.values()].map((q) => `(${quoteString(q.schema)}, ${quoteString(q.name)})`).join(', ');
    const rows = await this.ctx.duckRows(
      `SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database()
         AND (schema_name, table_name) IN (${pairs}) AND schema_name <> 'SYS'
       UNION SELECT schema_name, view_name FROM duckdb_views() WHERE database_name = current_database()
         AND NOT internal AND (schema_name, view_name) IN (${pairs}) AND schema_name <> 'SYS'`,
    );
    return rows.map((r) => ({ schema: String(r[0]), name: String(r[1]) }));
  }
}
