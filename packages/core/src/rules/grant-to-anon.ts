import type { GrantStmt } from 'libpg-query';
import type { PgNode, SqlStatement } from '../sql/types.js';
import { nodeOf, optionNamed, stringOf } from '../sql/nodes.js';
import { functionNameKey, isSecurityDefiner } from './support/functions.js';
import { relationKey } from './support/names.js';
import { cappedSeverity } from './support/severity.js';
import { executedStatements } from './support/statements.js';
import { defineRule, type RuleContext } from './types.js';

const ID = 'grant-to-anon';

/** Table privileges that let a caller change data. */
const WRITES = ['insert', 'update', 'delete', 'truncate'];

/**
 * `anon` is the role of every request made with the project's public API key; PUBLIC includes it.
 * Writes to them are errors, reads are warnings (RLS must then decide which rows), and so is EXECUTE on a
 * SECURITY DEFINER function created in the same file (it bypasses RLS).
 */
export const rule = defineRule({
  id: ID,
  category: 'security',
  defaultSeverity: 'error',
  description: 'No write privileges, and no EXECUTE on SECURITY DEFINER functions, for anon or PUBLIC; SELECT for them is a warning.',
  check(context) {
    const statements = executedStatements(context.sql);
    const definers = new Set<string>();
    for (const { kind, node } of statements) {
      if (kind === 'CreateFunctionStmt' && isSecurityDefiner(node.options)) definers.add(functionNameKey(node.funcname));
      if (kind === 'AlterFunctionStmt' && isSecurityDefiner(node.actions)) definers.add(functionNameKey(node.func?.objname));
    }

    for (const statement of statements) {
      if (statement.kind === 'GrantStmt') checkGrant(context, statement, statement.node, definers);
      else if (statement.kind === 'AlterDefaultPrivilegesStmt' && statement.node.action) {
        const schemas = nodeOf(optionNamed(statement.node.options, 'schemas')?.arg, 'List')?.items ?? [];
        checkGrant(context, statement, statement.node.action, definers, schemas.map((schema) => String(stringOf(schema))));
      }
    }
  },
});

function checkGrant(context: RuleContext, statement: SqlStatement, grant: GrantStmt, definers: ReadonlySet<string>, defaults?: string[]): void {
  if (!grant.is_grant) return;
  const grantee = riskyGrantee(grant.grantees);
  if (!grantee) return;
  // ALL [PRIVILEGES] has no privilege list.
  const privileges = grant.privileges?.map((privilege) => String(nodeOf(privilege, 'AccessPriv')?.priv_name).toLowerCase());
  const all = privileges === undefined;
  const target = defaults ? defaultsTarget(grant, defaults) : grantTarget(grant);
  const prefix = defaults ? 'ALTER DEFAULT PRIVILEGES ... ' : '';
  const words = all ? 'ALL' : privileges.map((privilege) => privilege.toUpperCase()).join(', ');

  if (grant.objtype === 'OBJECT_TABLE') {
    const writes = all ? WRITES : privileges.filter((privilege) => WRITES.includes(privilege));
    if (writes.length) {
      context.report({
        statement,
        message: `${prefix}GRANT ${words} ON ${target} TO ${grantee.label}: ${grantee.who} can ${writes.map((write) => write.toUpperCase()).join(', ')} through the API`,
        hint: 'grant writes to authenticated (with RLS policies that check auth.uid()) or to service_role; if anonymous writes are truly intended, suppress with a reason',
      });
    } else if (privileges?.includes('select')) {
      context.report({
        statement,
        severity: cappedSeverity(context, ID, 'warning'),
        message: `${prefix}GRANT SELECT ON ${target} TO ${grantee.label}: ${grantee.who} can read it through the API, so row level security must decide which rows`,
        hint: 'make sure RLS is enabled on the table with a policy TO anon that limits the rows (or grant to authenticated instead); a table that is public on purpose can be suppressed with a reason',
      });
    }
    return;
  }

  const routine = grant.objtype === 'OBJECT_FUNCTION' || grant.objtype === 'OBJECT_PROCEDURE' || grant.objtype === 'OBJECT_ROUTINE';
  if (!routine || !(all || privileges.includes('execute'))) return;
  if (defaults) {
    context.report({
      statement,
      severity: cappedSeverity(context, ID, 'warning'),
      message: `${prefix}GRANT EXECUTE ON ${target} TO ${grantee.label}: every future function there, SECURITY DEFINER ones included, becomes callable by ${grantee.who}`,
      hint: 'grant EXECUTE function by function instead, and never on SECURITY DEFINER functions to anon',
    });
    return;
  }
  const named = securityDefinerTargets(grant, definers);
  if (!named.length) return;
  context.report({
    statement,
    message: `GRANT ${words} ON ${target} TO ${grantee.label}: SECURITY DEFINER ${named.join(', ')} runs with its owner's privileges and bypasses RLS, and ${grantee.who} can call it via /rest/v1/rpc`,
    hint: `grant EXECUTE to authenticated (and check auth.uid() inside), and REVOKE EXECUTE ON FUNCTION ... FROM PUBLIC, anon: Postgres grants EXECUTE to PUBLIC on every new function`,
  });
}

/** `anon` or PUBLIC among the grantees. */
function riskyGrantee(grantees: PgNode[] | undefined): { label: string; who: string } | undefined {
  const roles = (grantees ?? []).map((grantee) => nodeOf(grantee, 'RoleSpec'));
  if (roles.some((role) => role?.roletype === 'ROLESPEC_CSTRING' && role.rolename === 'anon')) {
    return { label: 'anon', who: 'anyone holding the public anon key' };
  }
  if (roles.some((role) => role?.roletype === 'ROLESPEC_PUBLIC')) {
    return { label: 'PUBLIC', who: 'every role, anon included,' };
  }
  return undefined;
}

/** The SECURITY DEFINER functions (created or altered in this file) a function GRANT reaches. */
function securityDefinerTargets(grant: GrantStmt, definers: ReadonlySet<string>): string[] {
  if (grant.targtype === 'ACL_TARGET_ALL_IN_SCHEMA') {
    const schemas = new Set((grant.objects ?? []).map(stringOf));
    return [...definers].filter((name) => schemas.has(name.slice(0, name.indexOf('.'))));
  }
  return (grant.objects ?? [])
    .map((object) => functionNameKey(nodeOf(object, 'ObjectWithArgs')?.objname))
    .filter((name) => definers.has(name));
}

function grantTarget(grant: GrantStmt): string {
  const objects = grant.objects ?? [];
  if (grant.targtype === 'ACL_TARGET_ALL_IN_SCHEMA') {
    const kind = grant.objtype === 'OBJECT_TABLE' ? 'TABLES' : grant.objtype === 'OBJECT_PROCEDURE' ? 'PROCEDURES' : grant.objtype === 'OBJECT_ROUTINE' ? 'ROUTINES' : 'FUNCTIONS';
    return `ALL ${kind} IN SCHEMA ${objects.map(stringOf).join(', ')}`;
  }
  return objects
    .map((object) => {
      if ('RangeVar' in object) return relationKey(object.RangeVar);
      if ('ObjectWithArgs' in object) return functionNameKey(object.ObjectWithArgs.objname);
      return String(stringOf(object) ?? '?');
    })
    .join(', ');
}

/** ALTER DEFAULT PRIVILEGES target: `TABLES` or `TABLES (IN SCHEMA public)`. */
function defaultsTarget(grant: GrantStmt, schemas: string[]): string {
  const kind = grant.objtype === 'OBJECT_TABLE' ? 'TABLES' : grant.objtype === 'OBJECT_SEQUENCE' ? 'SEQUENCES' : grant.objtype === 'OBJECT_TYPE' ? 'TYPES' : 'FUNCTIONS';
  return schemas.length ? `${kind} (IN SCHEMA ${schemas.join(', ')})` : kind;
}
