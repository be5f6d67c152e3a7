import type { VariableSetStmt } from 'libpg-query';
import type { PgNode, SqlStatement } from '../sql/types.js';
import { nodeOf, nodesOf, optionNamed, stringOf } from '../sql/nodes.js';
import { functionNameKey, isSecurityDefiner } from './support/functions.js';
import { relationKey } from './support/names.js';
import { cappedSeverity } from './support/severity.js';
import { executedStatements } from './support/statements.js';
import { defineRule, type RuleContext } from './types.js';

const ID = 'security-definer-search-path';

/** Schemas a caller cannot create objects in. `pg_temp` is the caller's own temporary schema: writable by anyone. */
const SYSTEM_SCHEMAS = new Set(['pg_catalog', 'information_schema']);

/**
 * SECURITY DEFINER functions and procedures pin search_path; views in exposed schemas run as the invoker (PG 15+).
 * Follows the "Writing SECURITY DEFINER Functions Safely" section of the CREATE FUNCTION reference and Supabase
 * splinter's function_search_path_mutable and security_definer_view lints.
 */
export const rule = defineRule({
  id: ID,
  category: 'security',
  defaultSeverity: 'error',
  description: 'SECURITY DEFINER functions set a fixed search_path; views in exposed schemas use security_invoker (PG 15+).',
  check(context) {
    const statements = executedStatements(context.sql);
    // Functions given a search_path anywhere in this file (CREATE ... SET or ALTER FUNCTION ... SET).
    const pinned = new Set<string>();
    const pinnedByAlter = new Set<string>();
    const definers = new Set<string>();
    for (const { kind, node } of statements) {
      if (kind === 'CreateFunctionStmt' && isSecurityDefiner(node.options)) definers.add(functionNameKey(node.funcname));
      if (kind === 'CreateFunctionStmt' && searchPathOf(node.options)?.kind === 'VAR_SET_VALUE') pinned.add(functionNameKey(node.funcname));
      if (kind === 'AlterFunctionStmt' && searchPathOf(node.actions)?.kind === 'VAR_SET_VALUE') {
        pinned.add(functionNameKey(node.func?.objname));
        pinnedByAlter.add(functionNameKey(node.func?.objname));
      }
    }

    for (const statement of statements) {
      const { kind, node } = statement;
      if (kind === 'CreateFunctionStmt' && isSecurityDefiner(node.options)) {
        // CREATE without SET, fixed by a later ALTER FUNCTION ... SET search_path (that ALTER is checked itself).
        if (!searchPathOf(node.options) && pinnedByAlter.has(functionNameKey(node.funcname))) continue;
        checkSearchPath(context, statement, `${node.is_procedure ? 'procedure' : 'function'} ${functionNameKey(node.funcname)}`, node.options);
      } else if (kind === 'AlterFunctionStmt') {
        const name = functionNameKey(node.func?.objname);
        const what = `${objectWord(node.objtype)} ${name}`;
        if (isSecurityDefiner(node.actions)) {
          if (searchPathOf(node.actions) || !pinned.has(name)) checkSearchPath(context, statement, what, node.actions, 'ALTER');
        } else if (searchPathOf(node.actions)?.kind === 'VAR_SET_VALUE' && definers.has(name)) {
          checkSearchPath(context, statement, what, node.actions, 'ALTER');
        }
      } else if (statement.kind === 'ViewStmt' && context.postgresVersion >= 15) {
        checkView(context, statements, statement);
      }
    }
  },
});

function checkSearchPath(context: RuleContext, statement: SqlStatement, what: string, options: PgNode[] | undefined, verb: 'CREATE' | 'ALTER' = 'CREATE'): void {
  const setting = searchPathOf(options);
  const fix = `add SET search_path = '' and schema-qualify every name in the body (public.patients, auth.uid()), or pin trusted schemas with pg_temp last: SET search_path = public, pg_temp`;
  if (!setting) {
    context.report({
      statement,
      message:
        verb === 'ALTER'
          ? `${what} is made SECURITY DEFINER without setting search_path in this migration: it runs with its owner's privileges and the caller's search_path`
          : `SECURITY DEFINER ${what} does not set search_path: it runs with its owner's privileges and the caller's search_path, so a caller's objects can stand in for the ones it uses`,
      hint: verb === 'ALTER' ? `write ALTER ... SECURITY DEFINER SET search_path = '' (even if an earlier migration set it, so that this file shows it)` : fix,
    });
    return;
  }
  if (setting.kind === 'VAR_SET_CURRENT') {
    context.report({
      statement,
      message: `SECURITY DEFINER ${what} uses SET search_path FROM CURRENT: it captures whatever search_path the migration session had, which this file does not fix`,
      hint: fix,
    });
    return;
  }
  if (setting.kind !== 'VAR_SET_VALUE') {
    context.report({
      statement,
      message: `SECURITY DEFINER ${what} resets search_path to the server default ("$user", public): not a fixed path`,
      hint: fix,
    });
    return;
  }

  const schemas = (setting.args ?? []).map((arg) => nodeOf(arg, 'A_Const')).map((value) => String(value?.sval?.sval ?? value?.ival?.ival ?? ''));
  if (schemas.length === 1 && schemas[0] === '') return; // SET search_path = '': the strictest form.

  const problems: string[] = [];
  const joined = schemas.find((schema) => schema.includes(','));
  if (joined !== undefined) {
    problems.push(`'${joined}' is one quoted value, so Postgres reads it as a single schema named "${joined}"; list the schemas unquoted: SET search_path = ${joined}`);
  }
  const names = schemas.filter((schema) => schema !== '');
  const tempIndex = names.indexOf('pg_temp');
  if (tempIndex === -1) {
    problems.push('pg_temp is not listed, so the caller\'s temporary schema is searched first for tables and views; list pg_temp last');
  } else if (tempIndex !== names.length - 1) {
    problems.push('pg_temp is not the last entry, so the caller\'s temporary tables can stand in for the ones after it; move pg_temp to the end');
  }
  const catalogIndex = names.indexOf('pg_catalog');
  const before = names.slice(0, catalogIndex).filter((schema) => !SYSTEM_SCHEMAS.has(schema) && schema !== 'pg_temp');
  if (catalogIndex > 0 && before.length) {
    problems.push(`pg_catalog comes after ${before.join(', ')}, so objects created there can shadow built-in functions and operators; leave pg_catalog out (it is then searched first) or put it first`);
  }
  if (problems.length) {
    context.report({
      statement,
      severity: cappedSeverity(context, ID, 'warning'),
      message: `SECURITY DEFINER ${what} sets search_path = ${names.join(', ')}: ${problems.join('; ')}`,
      hint: `prefer SET search_path = '' with schema-qualified names; otherwise trusted schemas followed by pg_temp, e.g. SET search_path = public, pg_temp`,
    });
  }
}

function checkView(context: RuleContext, statements: readonly SqlStatement[], statement: SqlStatement<'ViewStmt'>): void {
  const { view } = statement.node;
  if (!view || view.relpersistence === 't') return;
  const schema = view.schemaname ?? 'public';
  if (!context.config.exposedSchemas.some((exposed) => exposed.toLowerCase() === schema.toLowerCase())) return;
  const key = relationKey(view);
  let invoker = invokerOption(statement.node.options);
  // A later ALTER VIEW ... SET (security_invoker = ...) in the same file decides.
  for (const later of statements) {
    if (later.range.start.offset <= statement.range.start.offset || later.kind !== 'AlterTableStmt' || later.node.objtype !== 'OBJECT_VIEW') continue;
    if (!later.node.relation || relationKey(later.node.relation) !== key) continue;
    for (const cmd of later.node.cmds ?? []) {
      const { subtype, def } = nodeOf(cmd, 'AlterTableCmd') ?? {};
      const items = nodeOf(def, 'List')?.items ?? [];
      if (subtype === 'AT_SetRelOptions' && invokerOption(items) !== undefined) invoker = invokerOption(items);
      if (subtype === 'AT_ResetRelOptions' && optionNamed(items, 'security_invoker')) invoker = false;
    }
  }
  if (invoker) return;
  context.report({
    statement,
    severity: cappedSeverity(context, ID, 'warning'),
    message: `view ${key} in exposed schema "${schema}" runs with its owner's privileges (no security_invoker): it bypasses the row level security of the tables it reads`,
    hint: `create it WITH (security_invoker = true) so that the caller's privileges and RLS policies apply, e.g. CREATE OR REPLACE VIEW ${key} WITH (security_invoker = true) AS ...`,
  });
}

/** true/false when the options set security_invoker, undefined when they do not mention it. */
function invokerOption(options: PgNode[] | undefined): boolean | undefined {
  const option = optionNamed(options, 'security_invoker');
  if (!option) return undefined;
  if (!option.arg) return true; // WITH (security_invoker)
  const value = String(stringOf(option.arg) ?? nodeOf(option.arg, 'Integer')?.ival ?? nodeOf(option.arg, 'Boolean')?.boolval ?? '').toLowerCase();
  return ['true', 'on', 'yes', '1'].includes(value);
}

/** The `SET search_path ...` clause of a function's options, if any (RESET search_path counts as one without a value). */
function searchPathOf(options: PgNode[] | undefined): VariableSetStmt | undefined {
  for (const option of nodesOf(options, 'DefElem')) {
    const set = option.defname === 'set' ? nodeOf(option.arg, 'VariableSetStmt') : undefined;
    if (set?.name === 'search_path') return set;
  }
  return undefined;
}

function objectWord(objtype: string | undefined): string {
  return objtype === 'OBJECT_PROCEDURE' ? 'procedure' : objtype === 'OBJECT_ROUTINE' ? 'routine' : 'function';
}
