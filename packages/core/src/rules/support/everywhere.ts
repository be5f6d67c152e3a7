/**
 * Where the security rules look: every statement of the file (top level, DO blocks, PL/pgSQL and
 * SQL function bodies, which run whenever the function is called) and the expressions of PL/pgSQL
 * bodies (PERFORM, SELECT, assignments, conditions).
 */
import { parseSql } from '../../sql/parser.js';
import type { FuncCall } from 'libpg-query';
import type { KindAndNode, ParsedSql, PgNode, PlpgsqlExpression, SourceRange, SqlStatement } from '../../sql/types.js';
import { nodesUnder } from '../../sql/walk.js';
import { nodeOf, nodesOf, stringOf } from '../../sql/nodes.js';

const allCache = new WeakMap<ParsedSql, SqlStatement[]>();

/**
 * Every statement, in file order: top level, inside DO blocks, inside PL/pgSQL function bodies, and
 * inside `LANGUAGE sql` bodies written as a string (positioned at their CREATE FUNCTION).
 */
export function allStatements(sql: ParsedSql): SqlStatement[] {
  let list = allCache.get(sql);
  if (!list) {
    list = [...sql.statements, ...sql.nested, ...sql.statements.flatMap(sqlBodyStatements)].sort((a, b) => a.range.start.offset - b.range.start.offset);
    allCache.set(sql, list);
  }
  return list;
}

/** The statements of a `LANGUAGE sql` function's string body (BEGIN ATOMIC bodies are part of the tree already). */
function sqlBodyStatements(statement: SqlStatement): SqlStatement[] {
  if (statement.kind !== 'CreateFunctionStmt' || languageOf(statement) !== 'sql') return [];
  const as = nodesOf(statement.node.options, 'DefElem').find((option) => option.defname === 'as');
  const parts = nodeOf(as?.arg, 'List')?.items ?? [];
  const body = parts.length === 1 ? stringOf(parts[0]) : undefined;
  if (typeof body !== 'string') return [];
  let parsed: ParsedSql;
  try {
    parsed = parseSql(body);
  } catch {
    return []; // the parser is not loaded outside the lint engine: nothing to add
  }
  return parsed.statements.map((inner) => ({ ...inner, range: statement.range, parent: statement, locate: undefined, leadingComments: [] }));
}

/** Where a node was found: a statement, or an expression of a PL/pgSQL body. */
export interface Site {
  /** A statement's node, or an expression's SelectStmt. */
  node: KindAndNode['node'];
  range: SourceRange;
  statement?: SqlStatement;
  expression?: PlpgsqlExpression;
}

/** Every statement and parsed body expression, in file order. */
export function allSites(sql: ParsedSql): Site[] {
  const sites: Site[] = allStatements(sql).map((statement) => ({ node: statement.node, range: statement.range, statement }));
  for (const expression of sql.expressions) {
    if (expression.node) sites.push({ node: expression.node, range: expression.range, expression });
  }
  return sites.sort((a, b) => a.range.start.offset - b.range.start.offset);
}

export interface FunctionCall {
  /** The function's name, lower case, without schema. */
  name: string;
  call: FuncCall;
  site: Site;
  /** Where the call is written, when the parser says. */
  range: SourceRange;
}

/**
 * Calls of built-in functions named in `names`: unqualified or qualified with pg_catalog (a
 * function of the same name in another schema is not the built-in).
 */
export function builtinCalls(sql: ParsedSql, names: ReadonlySet<string>): FunctionCall[] {
  return callsOfBuiltins(sql).filter((call) => names.has(call.name));
}

// Several rules ask for built-in calls of the same file: the tree is walked once per file.
const builtinCallsCache = new WeakMap<ParsedSql, FunctionCall[]>();

/** Every call that can be a built-in (unqualified or pg_catalog), in file order. */
function callsOfBuiltins(sql: ParsedSql): FunctionCall[] {
  let calls = builtinCallsCache.get(sql);
  if (calls) return calls;
  calls = [];
  for (const site of allSites(sql)) {
    for (const node of nodesUnder(site.node, 'FuncCall')) {
      const parts = (node.funcname ?? []).map((part) => String(stringOf(part) ?? '').toLowerCase());
      const name = parts.at(-1);
      if (!name) continue;
      if (parts.length > 2 || (parts.length === 2 && parts[0] !== 'pg_catalog')) continue;
      calls.push({ name, call: node, site, range: locateIn(site, node.location) });
    }
  }
  builtinCallsCache.set(sql, calls);
  return calls;
}

/** The position of a node's `location` inside a site: exact for statements, the expression's start otherwise. */
export function locateIn(site: Site, location: number | undefined): SourceRange {
  if (site.statement?.locate && typeof location === 'number' && location >= 0) {
    const start = site.statement.locate(location);
    return { start, end: start };
  }
  return site.range;
}

/** Lower-case language of a CREATE FUNCTION/PROCEDURE or DO statement (DO defaults to plpgsql). */
export function languageOf(statement: SqlStatement): string | undefined {
  const options: PgNode[] = (statement.kind === 'DoStmt' ? statement.node.args : statement.kind === 'CreateFunctionStmt' ? statement.node.options : undefined) ?? [];
  const language = stringOf(nodesOf(options, 'DefElem').find((option) => option.defname === 'language')?.arg);
  if (typeof language === 'string') return language.toLowerCase();
  return statement.kind === 'DoStmt' ? 'plpgsql' : undefined;
}

/** "in the DO block on line 5" / "in the body of public.f (line 5)", or '' at the top level. */
export function whereNested(nested: { parent?: SqlStatement } | undefined): string {
  const parent = nested?.parent;
  if (!parent) return '';
  const line = parent.range.start.line;
  if (parent.kind === 'DoStmt') return ` (in the DO block on line ${line})`;
  const name = (parent.kind === 'CreateFunctionStmt' ? (parent.node.funcname ?? []) : []).map(stringOf).join('.');
  return ` (in the body of ${name || 'the function'} on line ${line}, run each time it is called)`;
}
