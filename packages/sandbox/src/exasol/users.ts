/**
 * Users and grants: CREATE/ALTER/DROP USER, GRANT and REVOKE of system privileges, object privileges, the DBA
 * role, connections and connection ACCESS. Syntax per https://docs.exasol.com/db/latest/sql/create_user.htm,
 * .../sql/grant.htm and .../sql/revoke.htm.
 */
import type { Access } from './privileges.js';
import { insufficient } from './privileges.js';
import { OBJECT_PRIVILEGES, SYSTEM_PRIVILEGES } from './privilege-catalog.js';
import type { ExaResult, QualifiedName } from './result.js';
import { rowCount } from './result.js';
import { ExaSqlError } from './sql-error.js';
import type { Token } from './tokenizer.js';
import { identifierName, kw, quoteString, splitTopLevel } from './tokenizer.js';
import { nowLiteral } from './exa-types.js';

export interface UserDdlContext {
  readonly user: string;
  readonly sessionId: string;
  readonly currentSchema: string | null;
  readonly access: Access;
  duckRows(sql: string): Promise<unknown[][]>;
  duck(sql: string): Promise<ExaResult>;
  atomic<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * A user name as stored: user names are identifiers but case-insensitive even when quoted ("the usernames
 * "Test", "TEST", and "test" are synonymous", create_user.htm), so they are kept in upper case.
 */
export function userName(token: Token): string {
  return identifierName(token).toUpperCase();
}

/** A password is an identifier: quoted keeps its case, unquoted is folded to upper case (create_user.htm). */
function password(token: Token | undefined): string {
  if (!token || (token.kind !== 'word' && token.kind !== 'quoted'))
    throw new ExaSqlError(`syntax error, unexpected '${token?.text ?? '$end'}', expecting password identifier`);
  return identifierName(token);
}

async function userExists(ctx: UserDdlContext, name: string): Promise<boolean> {
  const rows = await ctx.duckRows(`SELECT 1 FROM "SYS"."_USERS" WHERE "USER_NAME" = ${quoteString(name)}`);
  return rows.length > 0;
}

export async function createUser(ctx: UserDdlContext, t: Token[]): Promise<ExaResult> {
  await ctx.access.requireSystem('CREATE USER', 'creating user');
  const nameTok = t[2];
  if (!nameTok) throw new ExaSqlError('syntax error, unexpected $end, expecting user name');
  if (kw(t[3]) !== 'IDENTIFIED' || kw(t[4]) !== 'BY')
    throw new ExaSqlError(
      `CREATE USER ${t[3]?.text ?? ''}… is not supported by the sandbox: use IDENTIFIED BY "<password>"`,
      '0A000',
    );
  const name = userName(nameTok);
  const pwd = password(t[5]);
  await ctx.atomic(async () => {
    if (await userExists(ctx, name)) throw new ExaSqlError(`user ${name} already exists`, '42500');
    await ctx.duck(`INSERT INTO "SYS"."_USERS" VALUES (${quoteString(name)}, ${quoteString(pwd)}, ${nowLiteral()})`);
  });
  return rowCount(0);
}

export async function alterUser(ctx: UserDdlContext, t: Token[]): Promise<ExaResult> {
  const nameTok = t[2];
  if (!nameTok) throw new ExaSqlError('syntax error, unexpected $end, expecting user name');
  const name = userName(nameTok);
  if (name !== ctx.user) await ctx.access.requireSystem('ALTER USER', 'altering user');
  if (kw(t[3]) !== 'IDENTIFIED' || kw(t[4]) !== 'BY')
    throw new ExaSqlError('ALTER USER is supported by the sandbox only as IDENTIFIED BY "<password>"', '0A000');
  const pwd = password(t[5]);
  if (!(await userExists(ctx, name))) throw new ExaSqlError(`user ${name} not found`, '42000');
  await ctx.duck(`UPDATE "SYS"."_USERS" SET "PASSWORD" = ${quoteString(pwd)} WHERE "USER_NAME" = ${quoteString(name)}`);
  return rowCount(0);
}

export async function dropUser(
  ctx: UserDdlContext,
  t: Token[],
  admin: string,
  dropSchema: (schema: string) => Promise<void>,
): Promise<ExaResult> {
  await ctx.access.requireSystem('DROP USER', 'dropping user');
  let i = 2;
  let ifExists = false;
  if (kw(t[i]) === 'IF' && kw(t[i + 1]) === 'EXISTS') {
    ifExists = true;
    i += 2;
  }
  const nameTok = t[i];
  if (!nameTok) throw new ExaSqlError('syntax error, unexpected $end, expecting user name');
  const name = userName(nameTok);
  const cascade = kw(t[i + 1]) === 'CASCADE';
  if (name === admin) throw new ExaSqlError(`user ${name} cannot be dropped`, '42500');
  if (!(await userExists(ctx, name))) {
    if (ifExists) return rowCount(0);
    throw new ExaSqlError(`user ${name} not found`, '42000');
  }
  const owned = (
    await ctx.duckRows(`SELECT "SCHEMA_NAME" FROM "SYS"."_SCHEMA_OWNERS" WHERE "OWNER" = ${quoteString(name)}`)
  ).map((r) => String(r[0]));
  if (owned.length > 0 && !cascade)
    throw new ExaSqlError(`user ${name} owns schemas: use DROP USER ${name} CASCADE to drop them too`, '42500');
  for (const schema of owned) await dropSchema(schema);
  await ctx.atomic(async () => {
    const n = quoteString(name);
    for (const table of ['_SYS_PRIVS', '_ROLE_PRIVS', '_OBJ_PRIVS', '_CONNECTION_PRIVS', '_RESTRICTED_PRIVS'])
      await ctx.duck(`DELETE FROM "SYS"."${table}" WHERE "GRANTEE" = ${n}`);
    await ctx.duck(`DELETE FROM "SYS"."_USERS" WHERE "USER_NAME" = ${n}`);
  });
  return rowCount(0);
}

/** Grantees after TO/FROM: users, PUBLIC, or the DBA role. */
async function grantees(ctx: UserDdlContext, tokens: readonly Token[]): Promise<string[]> {
  const out: string[] = [];
  for (const part of splitTopLevel([...tokens])) {
    const tok = part[0];
    if (!tok) throw new ExaSqlError('syntax error, expecting user or role');
    const name = userName(tok);
    if (name !== 'PUBLIC' && name !== 'DBA' && !(await userExists(ctx, name)))
      throw new ExaSqlError(`user or role ${name} not found`, '42000');
    out.push(name);
  }
  return out;
}

interface Parsed {
  /** Index of TO (GRANT) or FROM (REVOKE) in the significant tokens. */
  readonly toAt: number;
  readonly who: string[];
  readonly adminOption: boolean;
}

async function splitGrant(ctx: UserDdlContext, t: Token[], word: 'TO' | 'FROM'): Promise<Parsed> {
  const toAt = t.findIndex((x, k) => k > 0 && kw(x) === word);
  if (toAt < 0) throw new ExaSqlError(`syntax error, unexpected $end, expecting ${word}`);
  let end = t.length;
  let adminOption = false;
  if (kw(t[end - 3]) === 'WITH' && kw(t[end - 2]) === 'ADMIN' && kw(t[end - 1]) === 'OPTION') {
    adminOption = true;
    end -= 3;
  }
  if (kw(t[end - 1]) === 'CASCADE' || kw(t[end - 1]) === 'RESTRICT') end--;
  return { toAt, who: await grantees(ctx, t.slice(toAt + 1, end)), adminOption };
}

/** GRANT … / REVOKE … (`revoke` true). */
export async function grantOrRevoke(
  ctx: UserDdlContext,
  t: Token[],
  revoke: boolean,
  admin: string,
): Promise<ExaResult> {
  const resolve = (tokens: readonly Token[], at: number): Promise<GrantTarget> => resolveTarget(ctx, tokens, at);
  const { toAt, who, adminOption } = await splitGrant(ctx, t, revoke ? 'FROM' : 'TO');
  const head = t.slice(1, toAt);
  const onAt = head.findIndex((x) => kw(x) === 'ON');
  const sid = ctx.sessionId;
  if (revoke && who.includes(admin)) throw new ExaSqlError(`privileges of user ${admin} cannot be revoked`, '42500');
  // GRANT ACCESS ON [CONNECTION] c [FOR {SCRIPT|SCHEMA} x] TO u
  if (kw(head[0]) === 'ACCESS' && onAt === 1) {
    let i = 2;
    if (kw(head[i]) === 'CONNECTION') i++;
    const connTok = head[i];
    if (!connTok) throw new ExaSqlError('syntax error, expecting connection name');
    const conn = identifierName(connTok);
    await requireConnection(ctx, conn);
    if (!(await mayGrantConnection(ctx, conn))) throw insufficient('granting connection access', sid);
    i++;
    let restriction: GrantTarget | undefined;
    if (kw(head[i]) === 'FOR') {
      const type = kw(head[i + 1]);
      if (type === 'SCHEMA' && head[i + 2])
        restriction = { type, q: { schema: '', name: identifierName(head[i + 2] as Token) } };
      else if (type === 'SCRIPT') {
        const r = await resolve(head, i + 2);
        if (r.type !== 'SCRIPT') throw new ExaSqlError(`script ${r.q.schema}.${r.q.name} not found`, '42000');
        restriction = { type, q: r.q };
      } else {
        const r = await resolve(head, i + 1);
        restriction = r.type === 'SCHEMA' ? r : { type: 'SCRIPT', q: r.q };
      }
    }
    await ctx.atomic(async () => {
      for (const u of who) {
        if (!restriction) {
          const where = `"OBJECT_TYPE" = 'CONNECTION' AND "OBJECT_NAME" = ${quoteString(conn)} AND "PRIVILEGE" = 'ACCESS' AND "GRANTEE" = ${quoteString(u)}`;
          await ctx.duck(`DELETE FROM "SYS"."_OBJ_PRIVS" WHERE ${where}`);
          if (!revoke)
            await ctx.duck(
              `INSERT INTO "SYS"."_OBJ_PRIVS" VALUES (NULL, ${quoteString(conn)}, 'CONNECTION', 'ACCESS', ${quoteString(u)}, ${quoteString(ctx.user)})`,
            );
          continue;
        }
        const forSchema = restriction.type === 'SCHEMA' ? restriction.q.name : restriction.q.schema;
        const forName = restriction.type === 'SCHEMA' ? null : restriction.q.name;
        const where = `"OBJECT_NAME" = ${quoteString(conn)} AND "PRIVILEGE" = 'ACCESS' AND "GRANTEE" = ${quoteString(u)}
          AND "FOR_OBJECT_TYPE" = ${quoteString(restriction.type)} AND "FOR_OBJECT_SCHEMA" IS NOT DISTINCT FROM ${restriction.type === 'SCHEMA' ? 'NULL' : quoteString(forSchema)}
          AND "FOR_OBJECT_NAME" = ${quoteString(forName ?? forSchema)}`;
        await ctx.duck(`DELETE FROM "SYS"."_RESTRICTED_PRIVS" WHERE ${where}`);
        if (!revoke)
          await ctx.duck(
            `INSERT INTO "SYS"."_RESTRICTED_PRIVS" VALUES (${quoteString(conn)}, ${restriction.type === 'SCHEMA' ? 'NULL' : quoteString(forSchema)}, ${quoteString(forName ?? forSchema)}, ${quoteString(restriction.type)}, 'ACCESS', ${quoteString(u)})`,
          );
      }
    });
    return rowCount(0);
  }
  // Object privileges: GRANT SELECT, INSERT ON [SCHEMA|TABLE|VIEW|SCRIPT] x TO u
  if (onAt > 0) {
    const privs = objectPrivileges(head.slice(0, onAt));
    const target = await resolve(head, onAt + 1);
    const owner = target.type === 'SCHEMA' ? target.q.name : target.q.schema;
    if (!(await ctx.access.hasSystem('GRANT ANY OBJECT PRIVILEGE')) && !(await ctx.access.ownsSchema(owner)))
      throw insufficient('granting object privileges', sid);
    const objSchema = target.type === 'SCHEMA' ? 'NULL' : quoteString(target.q.schema);
    await ctx.atomic(async () => {
      for (const u of who)
        for (const p of privs) {
          const where = `"OBJECT_SCHEMA" IS NOT DISTINCT FROM ${objSchema} AND "OBJECT_NAME" = ${quoteString(target.q.name)}
            AND "OBJECT_TYPE" = ${quoteString(target.type)} AND "PRIVILEGE" = ${quoteString(p)} AND "GRANTEE" = ${quoteString(u)}`;
          await ctx.duck(`DELETE FROM "SYS"."_OBJ_PRIVS" WHERE ${where}`);
          if (!revoke)
            await ctx.duck(
              `INSERT INTO "SYS"."_OBJ_PRIVS" VALUES (${objSchema}, ${quoteString(target.q.name)}, ${quoteString(target.type)}, ${quoteString(p)}, ${quoteString(u)}, ${quoteString(ctx.user)})`,
            );
        }
    });
    return rowCount(0);
  }
  // GRANT CONNECTION c[, d] TO u
  if (kw(head[0]) === 'CONNECTION') {
    const conns = splitTopLevel(head.slice(1)).map((p) => identifierName(p[0] as Token));
    for (const c of conns) {
      await requireConnection(ctx, c);
      if (!(await mayGrantConnection(ctx, c))) throw insufficient('granting connection', sid);
    }
    await ctx.atomic(async () => {
      for (const u of who)
        for (const c of conns) {
          const where = `"GRANTEE" = ${quoteString(u)} AND "GRANTED_CONNECTION" = ${quoteString(c)}`;
          await ctx.duck(`DELETE FROM "SYS"."_CONNECTION_PRIVS" WHERE ${where}`);
          if (!revoke)
            await ctx.duck(
              `INSERT INTO "SYS"."_CONNECTION_PRIVS" VALUES (${quoteString(u)}, ${quoteString(c)}, ${adminOption})`,
            );
        }
    });
    return rowCount(0);
  }
  // System privileges and the DBA role: GRANT CREATE SESSION, DBA TO u
  const items = splitTopLevel(head).map((p) =>
    p
      .map((x) => x.text.toUpperCase())
      .join(' ')
      .replace(/^ALL PRIVILEGES$/, 'ALL'),
  );
  const roles = items.filter((x) => x === 'DBA');
  const sys = items.filter((x) => x !== 'DBA');
  for (const p of sys)
    if (p !== 'ALL' && !(SYSTEM_PRIVILEGES as readonly string[]).includes(p))
      throw new ExaSqlError(`syntax error, unknown system privilege or role ${p}`, '42000');
  if (sys.length > 0 && !(await ctx.access.hasSystem('GRANT ANY PRIVILEGE')))
    for (const p of sys) if (!(await heldWithAdminOption(ctx, p))) throw insufficient('granting', sid);
  if (roles.length > 0 && !(await ctx.access.hasSystem('GRANT ANY ROLE'))) throw insufficient('granting role', sid);
  const expanded = sys.includes('ALL') ? [...SYSTEM_PRIVILEGES] : sys;
  await ctx.atomic(async () => {
    for (const u of who) {
      for (const p of expanded) {
        const where = `"GRANTEE" = ${quoteString(u)} AND "PRIVILEGE" = ${quoteString(p)}`;
        await ctx.duck(`DELETE FROM "SYS"."_SYS_PRIVS" WHERE ${where}`);
        if (!revoke)
          await ctx.duck(
            `INSERT INTO "SYS"."_SYS_PRIVS" VALUES (${quoteString(u)}, ${quoteString(p)}, ${adminOption})`,
          );
      }
      for (const r of roles) {
        const where = `"GRANTEE" = ${quoteString(u)} AND "GRANTED_ROLE" = ${quoteString(r)}`;
        await ctx.duck(`DELETE FROM "SYS"."_ROLE_PRIVS" WHERE ${where}`);
        if (!revoke)
          await ctx.duck(
            `INSERT INTO "SYS"."_ROLE_PRIVS" VALUES (${quoteString(u)}, ${quoteString(r)}, ${adminOption})`,
          );
      }
    }
  });
  return rowCount(0);
}

function objectPrivileges(tokens: readonly Token[]): string[] {
  const items = splitTopLevel([...tokens]).map((p) => p.map((x) => x.text.toUpperCase()).join(' '));
  if (items.length === 1 && (items[0] === 'ALL' || items[0] === 'ALL PRIVILEGES')) return [...OBJECT_PRIVILEGES];
  for (const p of items)
    if (!(OBJECT_PRIVILEGES as readonly string[]).includes(p))
      throw new ExaSqlError(`syntax error, unknown object privilege ${p}`, '42000');
  return items;
}

/** GRANT ANY CONNECTION, or the connection received WITH ADMIN OPTION (grant.htm, prerequisites). */
async function mayGrantConnection(ctx: UserDdlContext, conn: string): Promise<boolean> {
  if (await ctx.access.hasSystem('GRANT ANY CONNECTION')) return true;
  const rows = await ctx.duckRows(
    `SELECT 1 FROM "SYS"."_CONNECTION_PRIVS" WHERE "GRANTEE" = ${quoteString(ctx.user)}
     AND "GRANTED_CONNECTION" = ${quoteString(conn)} AND "ADMIN_OPTION"`,
  );
  return rows.length > 0;
}

/** A system privilege the grantor received WITH ADMIN OPTION may be granted on (grant.htm, prerequisites). */
async function heldWithAdminOption(ctx: UserDdlContext, privilege: string): Promise<boolean> {
  const rows = await ctx.duckRows(
    `SELECT 1 FROM "SYS"."_SYS_PRIVS" WHERE "GRANTEE" = ${quoteString(ctx.user)}
     AND "PRIVILEGE" = ${quoteString(privilege)} AND "ADMIN_OPTION"`,
  );
  return rows.length > 0;
}

interface GrantTarget {
  readonly type: string;
  readonly q: QualifiedName;
}

/**
 * The object of `ON [SCHEMA|TABLE|VIEW|SCRIPT] x`: an explicit kind, else `s.x` is a table, view or script and
 * a bare name an object of the open schema or else a schema.
 */
async function resolveTarget(ctx: UserDdlContext, t: readonly Token[], at: number): Promise<GrantTarget> {
  let i = at;
  let kind = kw(t[i]);
  if (['SCHEMA', 'TABLE', 'VIEW', 'SCRIPT', 'FUNCTION'].includes(kind)) i++;
  else kind = '';
  const a = t[i];
  if (!a || (a.kind !== 'word' && a.kind !== 'quoted')) throw new ExaSqlError('syntax error, expecting object name');
  if (kind === 'SCHEMA') {
    const name = identifierName(a);
    if (!(await schemaExists(ctx, name))) throw new ExaSqlError(`schema ${name} not found`, '42000');
    return { type: 'SCHEMA', q: { schema: '', name } };
  }
  const b = t[i + 2];
  let q: QualifiedName | undefined;
  if (t[i + 1]?.text === '.' && b) q = { schema: identifierName(a), name: identifierName(b) };
  else if (ctx.currentSchema !== null) q = { schema: ctx.currentSchema, name: identifierName(a) };
  const type = q ? await objectType(ctx, q) : undefined;
  if (q && type && (kind === '' || kind === type || (kind === 'TABLE' && type === 'VIEW'))) return { type, q };
  if (kind === '' && !(t[i + 1]?.text === '.') && (await schemaExists(ctx, identifierName(a))))
    return { type: 'SCHEMA', q: { schema: '', name: identifierName(a) } };
  throw new ExaSqlError(`object ${q ? `${q.schema}.${q.name}` : identifierName(a)} not found`, '42000');
}

async function schemaExists(ctx: UserDdlContext, name: string): Promise<boolean> {
  const rows = await ctx.duckRows(
    `SELECT 1 FROM duckdb_schemas() WHERE database_name = current_database() AND schema_name = ${quoteString(name)} AND schema_name NOT IN ('SYS', 'main')`,
  );
  return rows.length > 0;
}

async function objectType(ctx: UserDdlContext, q: QualifiedName): Promise<string | undefined> {
  const s = quoteString(q.schema);
  const n = quoteString(q.name);
  const rows = await ctx.duckRows(
    `SELECT 'TABLE' FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = ${s} AND table_name = ${n}
     UNION ALL SELECT 'VIEW' FROM duckdb_views() WHERE database_name = current_database() AND schema_name = ${s} AND view_name = ${n}
     UNION ALL SELECT 'SCRIPT' FROM "SYS"."_SCRIPTS" WHERE "SCRIPT_SCHEMA" = ${s} AND "SCRIPT_NAME" = ${n}`,
  );
  const v = rows[0]?.[0];
  return typeof v === 'string' ? v : undefined;
}

async function requireConnection(ctx: UserDdlContext, name: string): Promise<void> {
  const rows = await ctx.duckRows(`SELECT 1 FROM "SYS"."_CONNECTIONS" WHERE "CONNECTION_NAME" = ${quoteString(name)}`);
  if (rows.length === 0) throw new ExaSqlError(`connection ${name} not found`, '42000');
}

/** Removes the grants on a dropped object (or, for a schema, on it and everything in it). */
export function forgetGrantsSql(type: 'SCHEMA' | 'OBJECT' | 'CONNECTION', q: QualifiedName): string[] {
  const s = quoteString(q.schema);
  const n = quoteString(q.name);
  if (type === 'SCHEMA')
    return [
      `DELETE FROM "SYS"."_OBJ_PRIVS" WHERE ("OBJECT_TYPE" = 'SCHEMA' AND "OBJECT_NAME" = ${s}) OR "OBJECT_SCHEMA" = ${s}`,
      `DELETE FROM "SYS"."_RESTRICTED_PRIVS" WHERE "FOR_OBJECT_SCHEMA" = ${s} OR ("FOR_OBJECT_TYPE" = 'SCHEMA' AND "FOR_OBJECT_NAME" = ${s})`,
      `DELETE FROM "SYS"."_SCHEMA_OWNERS" WHERE "SCHEMA_NAME" = ${s}`,
    ];
  if (type === 'CONNECTION')
    return [
      `DELETE FROM "SYS"."_OBJ_PRIVS" WHERE "OBJECT_TYPE" = 'CONNECTION' AND "OBJECT_NAME" = ${n}`,
      `DELETE FROM "SYS"."_RESTRICTED_PRIVS" WHERE "OBJECT_NAME" = ${n}`,
      `DELETE FROM "SYS"."_CONNECTION_PRIVS" WHERE "GRANTED_CONNECTION" = ${n}`,
    ];
  return [
    `DELETE FROM "SYS"."_OBJ_PRIVS" WHERE "OBJECT_SCHEMA" = ${s} AND "OBJECT_NAME" = ${n}`,
    `DELETE FROM "SYS"."_RESTRICTED_PRIVS" WHERE "FOR_OBJECT_TYPE" = 'SCRIPT' AND "FOR_OBJECT_SCHEMA" = ${s} AND "FOR_OBJECT_NAME" = ${n}`,
  ];
}
