/**
 * What the verifier needs from a PL/pgSQL body, read with libpg-query's PL/pgSQL parser: its
 * variables with their declared types, and every SQL expression with the line of its statement.
 */
import { findQuery } from '../sql/plpgsql.js';
import type { PgQuery } from '../sql/parser.js';
import { nodeOf } from '../sql/nodes.js';
import type { PlpgsqlNode } from '../sql/types.js';

export interface BodyVariable {
  /** As PL/pgSQL resolves it (folded to lower case unless it was quoted). */
  name: string;
  /** Declared type as written (`int[]`, `public.users.name%TYPE`, `users%rowtype`), `record` for records. */
  typeName: string;
  /** Line of its DECLARE (absent for parameters and implicit variables). */
  lineno?: number;
}

export interface BodyExpression {
  /** The SQL as PL/pgSQL keeps it (INTO replaced by spaces, assignments as `target := expr`). */
  query: string;
  /** libpg-query's parse mode: 0 a statement, 2 an expression, 3-5 an assignment. */
  parseMode: number;
  /** Line (in the body) of the statement it belongs to. */
  lineno: number;
  /** A dynamic EXECUTE: the string is built at run time and cannot be checked here. */
  dynamic?: boolean;
}

export interface ParsedBody {
  variables: BodyVariable[];
  expressions: BodyExpression[];
  /** Lines where statements and declarations start, for binding suppression comments. */
  statementLines: number[];
  /** CASE x WHEN ...: PL/pgSQL compares through a hidden variable that stands for x. */
  caseVariables: Map<string, string>;
  /** Block and loop labels: `label.variable` names a variable. */
  labels: Set<string>;
  /** The body's `#variable_conflict` option, if any. */
  variableConflict?: string;
}

export type BodyParseResult = { ok: true; body: ParsedBody } | { ok: false; message: string };

const STATEMENT_PREFIX = 'PLpgSQL_stmt_';

interface PlpgsqlTree {
  plpgsql_funcs?: { PLpgSQL_function?: PlpgsqlNode }[];
}

/** The most declarations a body may need retyped before it parses (each retry re-parses it). */
const MAX_RETYPED = 20;

export function parsePlpgsqlBody(pg: PgQuery, definition: string, source: string): BodyParseResult {
  let tree: PlpgsqlTree | undefined;
  // Without a catalog, the parser cannot tell that `v_row.field := ...` assigns a field of a row-type
  // variable; declared as `record` it can. The declared type is kept for the verifier.
  const retyped = new Map<string, string>();
  let text = definition;
  for (let attempt = 0; !tree; attempt++) {
    try {
      tree = pg.parsePlPgSQLSync(text) as PlpgsqlTree;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const field = /^"([^".]+)\.[^"]+" is not a known variable/.exec(message);
      const declaration = field && attempt < MAX_RETYPED ? declarationOf(text, field[1]) : undefined;
      if (!declaration || retyped.has(field![1])) return { ok: false, message };
      retyped.set(field![1], declaration.type);
      text = text.slice(0, declaration.start) + 'record' + text.slice(declaration.end);
    }
  }
  const fn = tree?.plpgsql_funcs?.[0]?.PLpgSQL_function;
  if (!fn) return { ok: false, message: 'the PL/pgSQL parser returned no function' };

  const body: ParsedBody = { variables: [], expressions: [], statementLines: [], caseVariables: new Map(), labels: new Set() };
  const datums: PlpgsqlNode[] = fn.datums ?? [];
  for (const datum of datums) {
    const [type, node] = Object.entries(datum)[0] as [string, PlpgsqlNode];
    if (type !== 'PLpgSQL_var' && type !== 'PLpgSQL_rec') continue;
    const typeName: string = retyped.get(node.refname) ?? node.datatype?.PLpgSQL_type?.typname ?? 'record';
    body.variables.push({ name: node.refname, typeName, ...(node.lineno ? { lineno: node.lineno } : {}) });
    if (node.lineno) {
      body.statementLines.push(node.lineno);
      for (const expr of [node.default_val, node.cursor_explicit_expr]) {
        const query = expr?.PLpgSQL_expr?.query;
        if (typeof query === 'string') body.expressions.push({ query, parseMode: expr.PLpgSQL_expr.parseMode ?? 0, lineno: node.lineno });
      }
    }
  }
  collectStatements(fn.action, 1, body, datums);
  body.statementLines = [...new Set(body.statementLines)].sort((a, b) => a - b);
  const option = /^\s*#variable_conflict\s+(\w+)/im.exec(source);
  if (option) body.variableConflict = option[1].toLowerCase();
  return { ok: true, body };
}

/** Walks statements in source order; every PLpgSQL_expr belongs to the nearest enclosing statement. */
function collectStatements(value: unknown, lineno: number, body: ParsedBody, datums: PlpgsqlNode[]): void {
  if (!value || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) collectStatements(item, lineno, body, datums);
    return;
  }
  for (const [key, node] of Object.entries(value as PlpgsqlNode)) {
    if (key === 'PLpgSQL_expr') {
      if (typeof node?.query === 'string') body.expressions.push({ query: node.query, parseMode: node.parseMode ?? 0, lineno });
      continue;
    }
    // Loop and INTO targets repeat datums; their expressions were taken from the datum list.
    if (key === 'var' || key === 'target' || key === 'row' || key === 'rec') continue;
    if (key.startsWith(STATEMENT_PREFIX) && node && typeof node === 'object') {
      const line: number = node.lineno ?? lineno;
      if (node.lineno) body.statementLines.push(node.lineno);
      if (typeof node.label === 'string') body.labels.add(node.label);
      // EXECUTE, FOR ... IN EXECUTE, RETURN QUERY EXECUTE, OPEN ... FOR EXECUTE.
      const dynamic = key === 'PLpgSQL_stmt_dynexecute' || key === 'PLpgSQL_stmt_dynfors' ? node.query : node.dynquery;
      if (dynamic) {
        const query = dynamic.PLpgSQL_expr?.query;
        if (typeof query === 'string') body.expressions.push({ query, parseMode: 2, lineno: line, dynamic: true });
      }
      if (key === 'PLpgSQL_stmt_case' && node.t_expr?.PLpgSQL_expr?.query !== undefined && node.t_varno !== undefined) {
        const caseVar = datums[node.t_varno]?.PLpgSQL_var?.refname;
        if (caseVar) body.caseVariables.set(caseVar, node.t_expr.PLpgSQL_expr.query);
      }
      collectStatements(node, line, body, datums);
      continue;
    }
    collectStatements(node, lineno, body, datums);
  }
}

/** The type of `name`'s declaration (`name type;`, `:=`, `=` or DEFAULT after it), as offsets in `text`. */
function declarationOf(text: string, name: string): { start: number; end: number; type: string } | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^([ \\t]*${escaped}[ \\t]+)([^;:=\\n]+?)[ \\t]*(?:;|:=|=|\\bDEFAULT\\b)`, 'im').exec(text);
  if (!match || /^(?:CONSTANT|record)\b/i.test(match[2])) return undefined;
  const start = match.index + match[1].length;
  return { start, end: start + match[2].length, type: match[2].trim() };
}

/**
 * Offset of an expression's text in the body, searched from its statement's line, or undefined.
 * PL/pgSQL keeps the text as written except INTO clauses, which findQuery matches by position.
 */
export function locateInBody(source: string, lineStarts: readonly number[], expression: BodyExpression): number | undefined {
  const from = lineStarts[Math.min(expression.lineno, lineStarts.length) - 1] ?? 0;
  const at = findQuery(source, expression.query, from, source.length);
  return at === -1 ? undefined : at;
}

export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  return starts;
}

/** 1-based line and column of a string offset. */
export function positionIn(lineStarts: readonly number[], offset: number): { line: number; column: number } {
  let line = 0;
  while (line + 1 < lineStarts.length && lineStarts[line + 1] <= offset) line++;
  return { line: line + 1, column: offset - lineStarts[line] + 1 };
}

/** Tables (temporary or not) the body creates: statements using them can be checked only at run time. */
export function relationsCreatedIn(pg: PgQuery, body: ParsedBody): Set<string> {
  const created = new Set<string>();
  for (const expression of body.expressions) {
    if (expression.parseMode !== 0 || !/\bCREATE\b/i.test(expression.query)) continue;
    try {
      const stmt = pg.parseSync(expression.query).stmts?.[0]?.stmt;
      const relation = nodeOf(stmt, 'CreateStmt')?.relation ?? nodeOf(stmt, 'CreateTableAsStmt')?.into?.rel;
      if (relation?.relname) created.add(relation.relname);
    } catch {
      // Unparseable statements are reported as unchecked where they are visited.
    }
  }
  return created;
}
