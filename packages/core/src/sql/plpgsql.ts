import { DOLLAR_TAG, dollarQuote, forEachToken } from './lexer.js';
import { nodeOf, nodesOf, statementOf, stringOf } from './nodes.js';
import type { PgQuery } from './parser.js';
import { byteOffsetToIndex, codePointOffsetToIndex, leadingComments, type LineIndex } from './positions.js';
import { diagnoseSyntaxError, diagnoseTrap, errorCursor, errorMessage, shortenNear, type SyntaxDiagnosis } from './syntax-hints.js';
import type { PgNode, PlpgsqlExpression, PlpgsqlNode, SqlStatement, SqlSyntaxError } from './types.js';

export interface SourceFile {
  /** The file as written. */
  text: string;
  /** Lines of the text as parsed (meta-commands blanked, same offsets). */
  lines: LineIndex;
}

interface RoutineBody {
  /** The body as the parser decoded it from its literal. */
  source: string;
  /** Node location of the literal (DO) or of the AS keyword before it (functions). */
  location?: number;
}

interface Span {
  start: number;
  end: number;
}

/** A body literal in the file: its content, and where its opening quote starts. */
interface BodySpan extends Span {
  opening: number;
}

type Guard = NonNullable<SqlStatement['guard']>;

interface PlpgsqlParseResult {
  plpgsql_funcs?: { PLpgSQL_function?: { action?: PlpgsqlNode; datums?: PlpgsqlNode[] } }[];
}

/** PL/pgSQL parse mode of an assignment (`v := expression`). */
const PARSE_MODE_ASSIGN = 3;

/** Statement fields that hold SQL built at run time: EXECUTE, FOR ... IN EXECUTE, RETURN QUERY EXECUTE, OPEN ... FOR EXECUTE. */
const DYNAMIC_QUERY_FIELDS: Record<string, string> = {
  PLpgSQL_stmt_dynexecute: 'query',
  PLpgSQL_stmt_dynfors: 'query',
  PLpgSQL_stmt_return_query: 'dynquery',
  PLpgSQL_stmt_open: 'dynquery',
};

/** A DO body is parsed as the body of a function, which is what the PL/pgSQL parser accepts. */
const DO_WRAPPER = 'CREATE FUNCTION pgwarden_do() RETURNS void LANGUAGE plpgsql AS ';

/**
 * The DDL/DML statements inside the PL/pgSQL body of a DO block or CREATE FUNCTION/PROCEDURE,
 * positioned in the file, with the IF (NOT) EXISTS or exception handler that guards them.
 */
export function parseRoutineBody(
  pg: PgQuery,
  parent: SqlStatement,
  file: SourceFile,
): { nested: SqlStatement[]; expressions: PlpgsqlExpression[]; errors: SqlSyntaxError[] } {
  const body = plpgsqlBodyOf(parent);
  if (!body) return { nested: [], expressions: [], errors: [] };
  return new BodyParser(pg, parent, file, body).parse();
}

function plpgsqlBodyOf(statement: SqlStatement): RoutineBody | undefined {
  const isDo = statement.kind === 'DoStmt';
  if (!isDo && statement.kind !== 'CreateFunctionStmt') return undefined;
  const options: PgNode[] = (statement.kind === 'DoStmt' ? statement.node.args : statement.node.options) ?? [];
  let language = isDo ? 'plpgsql' : undefined; // DO defaults to PL/pgSQL
  let body: RoutineBody | undefined;
  for (const option of nodesOf(options, 'DefElem')) {
    if (option.defname === 'language') language = String(stringOf(option.arg)).toLowerCase();
    if (option.defname === 'as') {
      const parts: (PgNode | undefined)[] = nodeOf(option.arg, 'List')?.items ?? [option.arg];
      const source = stringOf(parts[0]);
      if (parts.length === 1 && typeof source === 'string') body = { source, location: option.location };
    }
  }
  return language === 'plpgsql' ? body : undefined;
}

const LITERAL_OPENING = new RegExp(`${DOLLAR_TAG.source}|'`, 'g');

/** The first literal from `from` whose content is the body. */
export function locateBody(text: string, from: number, to: number, body: string): BodySpan | undefined {
  LITERAL_OPENING.lastIndex = from;
  for (let opening = LITERAL_OPENING.exec(text); opening && opening.index < to; opening = LITERAL_OPENING.exec(text)) {
    const quote = opening[0];
    const content = quote === "'" ? body.replace(/'/g, "''") : body;
    const start = opening.index + quote.length;
    if (text.startsWith(content, start) && text.startsWith(quote, start + content.length)) {
      return { start, end: start + content.length, opening: opening.index };
    }
  }
  return undefined;
}

/**
 * Where `query` occurs in `text[from, to)`, or -1. PL/pgSQL replaces an INTO clause with as
 * many spaces, so a space in the query matches any character.
 */
export function findQuery(text: string, query: string, from: number, to: number): number {
  const exact = text.indexOf(query, from);
  if (exact !== -1 && exact + query.length <= to) return exact;
  const head = query.slice(0, query.search(/ {2,}|$/));
  if (!head) return -1;
  for (let at = text.indexOf(head, from); at !== -1 && at + query.length <= to; at = text.indexOf(head, at + 1)) {
    let matches = true;
    for (let index = head.length; matches && index < query.length; index++) {
      matches = query[index] === ' ' || query[index] === text[at + index];
    }
    if (matches) return at;
  }
  return -1;
}

/** `to_regclass('public.t') IS NULL` and its siblings: the catalog lookups that return NULL for a missing object. */
const TO_REG_IS_NULL = /\bto_reg(?:class|type|proc|procedure|namespace|role|oper|operator|collation)\s*\([^()]*(?:\([^()]*\)[^()]*)*\)\s*IS\s+(NOT\s+)?NULL\b/i;

function conditionGuard(condition: PlpgsqlNode | undefined): Guard | undefined {
  const query: unknown = condition?.PLpgSQL_expr?.query;
  if (typeof query !== 'string') return undefined;
  if (/\bNOT\s+EXISTS\b/i.test(query)) return { kind: 'if-not-exists', condition: query };
  if (/\bEXISTS\b/i.test(query)) return { kind: 'if-exists', condition: query };
  const lookup = TO_REG_IS_NULL.exec(query);
  if (lookup) return { kind: lookup[1] ? 'if-exists' : 'if-not-exists', condition: query };
  return undefined;
}

function exceptionGuard(handlers: PlpgsqlNode[]): Guard {
  const conditions = handlers.flatMap(({ PLpgSQL_exception: handler }) =>
    (handler?.conditions ?? []).map(({ PLpgSQL_condition: condition }: PlpgsqlNode) => condition?.condname),
  );
  return { kind: 'exception-handler', condition: conditions.join(' OR ') };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

class BodyParser {
  private readonly nested: SqlStatement[] = [];
  private readonly expressions: PlpgsqlExpression[] = [];
  /** PL/pgSQL line of the statement being visited: expressions carry none of their own. */
  private currentLine: number | undefined;
  private readonly errors: SqlSyntaxError[] = [];
  private readonly lines: LineIndex;
  /** The body in the file; undefined when it cannot be found (an E'' literal): positions then fall back. */
  private readonly span?: BodySpan;
  /** File line of the body's line 1, which PL/pgSQL line numbers count from. */
  private readonly firstLine: number;
  /** Where the previous statement ended: statements are visited in source order. */
  private cursor: number;
  private readonly label: string;

  constructor(
    private readonly pg: PgQuery,
    private readonly parent: SqlStatement,
    private readonly file: SourceFile,
    private readonly body: RoutineBody,
  ) {
    this.lines = file.lines;
    const { start, end } = parent.range;
    const literalSearchFrom = body.location === undefined ? undefined : parent.locate?.(body.location).offset;
    this.span = locateBody(this.lines.text, literalSearchFrom ?? start.offset, end.offset, body.source);
    this.firstLine = this.span ? this.lines.positionAt(this.span.start).line : start.line;
    this.cursor = this.span?.start ?? start.offset;
    this.label = parent.kind === 'DoStmt' ? 'DO block' : 'function body';
  }

  parse(): { nested: SqlStatement[]; expressions: PlpgsqlExpression[]; errors: SqlSyntaxError[] } {
    const { parent } = this;
    const input =
      parent.kind === 'DoStmt'
        ? DO_WRAPPER + dollarQuote(this.body.source)
        : this.lines.text.slice(parent.range.start.offset, parent.range.end.offset);
    let tree: PlpgsqlParseResult;
    try {
      tree = this.pg.parsePlPgSQLSync(input) as PlpgsqlParseResult;
    } catch (error) {
      this.errors.push(this.toError(this.locateBodyError(errorMessage(error))));
      return { nested: this.nested, expressions: this.expressions, errors: this.errors };
    }
    const routine = tree.plpgsql_funcs?.[0]?.PLpgSQL_function;
    // Declared defaults (`v text := ...`) run when the block is entered.
    for (const datum of routine?.datums ?? []) {
      const variable = datum.PLpgSQL_var;
      if (variable?.default_val?.PLpgSQL_expr) {
        this.currentLine = variable.lineno;
        this.addExpression('expression', variable.default_val.PLpgSQL_expr, String(variable.refname).toLowerCase());
      }
    }
    this.visit(routine?.action, undefined);
    return { nested: this.nested, expressions: this.expressions, errors: this.errors };
  }

  private visit(wrapper: PlpgsqlNode | undefined, guard: Guard | undefined): void {
    const [type, node] = Object.entries(wrapper ?? {})[0] ?? [];
    if (!node || typeof node !== 'object') return;
    if (typeof node.lineno === 'number') this.currentLine = node.lineno;
    const dynamicField = DYNAMIC_QUERY_FIELDS[type];
    switch (type) {
      case 'PLpgSQL_expr':
        // An expression in a list: RAISE and EXECUTE ... USING parameters, CASE and RETURN NEXT values.
        this.addExpression('expression', node);
        return;
      case 'PLpgSQL_stmt_execsql': {
        const query: unknown = node.sqlstmt?.PLpgSQL_expr?.query;
        if (typeof query === 'string' && !this.addEmbeddedSql(query, node.lineno, guard)) this.addExpression('query', node.sqlstmt.PLpgSQL_expr);
        return;
      }
      case 'PLpgSQL_stmt_perform':
        if (node.expr?.PLpgSQL_expr) this.addExpression('query', node.expr.PLpgSQL_expr);
        return;
      case 'PLpgSQL_stmt_assign':
        if (node.expr?.PLpgSQL_expr) this.addExpression('expression', node.expr.PLpgSQL_expr);
        return;
      case 'PLpgSQL_stmt_if':
        if (node.cond?.PLpgSQL_expr) this.addExpression('expression', node.cond.PLpgSQL_expr);
        this.visitAll(node.then_body, conditionGuard(node.cond) ?? guard);
        for (const { PLpgSQL_if_elsif: branch } of node.elsif_list ?? []) {
          if (branch?.cond?.PLpgSQL_expr) this.addExpression('expression', branch.cond.PLpgSQL_expr);
          this.visitAll(branch?.stmts, conditionGuard(branch?.cond) ?? guard);
        }
        this.visitAll(node.else_body, guard);
        return;
      case 'PLpgSQL_stmt_block': {
        const handlers: PlpgsqlNode[] | undefined = node.exceptions?.PLpgSQL_exception_block?.exc_list;
        this.visitAll(node.body, handlers ? exceptionGuard(handlers) : guard);
        for (const { PLpgSQL_exception: handler } of handlers ?? []) this.visitAll(handler?.action, guard);
        return;
      }
      default: {
        const dynamic: PlpgsqlNode | undefined = dynamicField ? node[dynamicField]?.PLpgSQL_expr : undefined;
        if (type === 'PLpgSQL_stmt_dynexecute' && typeof dynamic?.query === 'string' && this.addConstantExecute(dynamic.query, node.lineno, guard)) {
          // EXECUTE of a constant string: a nested statement like any other.
        } else if (dynamic) {
          this.addExpression('dynamic-execute', dynamic);
        }
        // Loops, CASE and the like: their expressions, and every statement list they hold under the same guard.
        for (const [field, value] of Object.entries(node) as [string, PlpgsqlNode][]) {
          if (field === dynamicField) continue;
          if (value && typeof value === 'object' && !Array.isArray(value) && 'PLpgSQL_expr' in value) this.addExpression(type === 'PLpgSQL_stmt_fors' && field === 'query' ? 'query' : 'expression', value.PLpgSQL_expr);
          else this.visitAll(value, guard);
        }
      }
    }
  }

  /** Records an expression of the body, parsed as a query (or as `SELECT <expression>`) for rules that look inside. */
  private addExpression(kind: PlpgsqlExpression['kind'], expr: PlpgsqlNode, declared?: string): void {
    const text: unknown = expr.query;
    if (typeof text !== 'string') return;
    let sql = kind === 'query' ? text : `SELECT ${text}`;
    let target = declared;
    if (expr.parseMode === PARSE_MODE_ASSIGN) {
      const assignment = /^\s*([^:=]+?)\s*:?=\s*/.exec(text);
      if (assignment) {
        target = assignment[1].toLowerCase();
        sql = `SELECT ${text.slice(assignment[0].length)}`;
      }
    }
    let node: PlpgsqlExpression['node'];
    try {
      node = nodeOf(this.pg.parseSync(sql).stmts?.[0]?.stmt, 'SelectStmt');
    } catch {
      // Not a query on its own (a cursor's arguments, a composite target): kept as text.
    }
    // PERFORM reads as "SELECT ..." in the tree: when the query is not written as such, find what follows SELECT.
    let searched = text;
    let at = this.locateExpression(text, this.currentLine);
    if (at === undefined && kind === 'query' && /^SELECT\s/i.test(text)) {
      searched = text.replace(/^SELECT\s+/i, '');
      at = this.locateExpression(searched, this.currentLine);
    }
    const span = at === undefined ? this.lineSpan(this.currentLine) : { start: at, end: at + searched.length };
    const expression: PlpgsqlExpression = { kind, text, range: this.lines.rangeOf(span.start, span.end), parent: this.parent };
    if (node) expression.node = node;
    if (target) expression.target = target;
    this.expressions.push(expression);
  }

  /** File offset of an expression, searched from its statement's line; does not move the statement cursor. */
  private locateExpression(text: string, lineno: number | undefined): number | undefined {
    if (!this.span || !text.trim()) return undefined;
    const { start, end } = this.span;
    const lineStart = Math.max(lineno ? this.lines.lineStart(this.firstLine + lineno - 1) : start, start);
    for (const from of [lineStart, start]) {
      const at = findQuery(this.lines.text, text, from, end);
      if (at !== -1) return at;
    }
    return undefined;
  }

  private visitAll(list: unknown, guard: Guard | undefined): void {
    if (Array.isArray(list)) for (const item of list) this.visit(item, guard);
  }

  /** False for a query that only reads (SELECT): not a nested statement, but an expression of the body. */
  private addEmbeddedSql(query: string, lineno: number | undefined, guard: Guard | undefined): boolean {
    const at = this.findInBody(query, lineno);
    return this.addStatement(query, at === undefined ? undefined : { start: at, end: at + query.length }, lineno, guard) !== 'select';
  }

  /** EXECUTE of a constant string: the only dynamic SQL that can be read without running it. */
  private addConstantExecute(expression: string, lineno: number | undefined, guard: Guard | undefined): boolean {
    const literal = /^'((?:[^']|'')*)'$/.exec(expression.trim());
    if (!literal) return false;
    const at = this.findInBody(expression, lineno);
    // Inside the quotes; offsets within are approximate when the string doubles quotes.
    const where = at === undefined ? undefined : { start: at + 1, end: at + expression.trimEnd().length - 1 };
    this.addStatement(literal[1].replace(/''/g, "'"), where, lineno, guard);
    return true;
  }

  /** `where`: the file offsets of `sql`, when it could be found in the body. */
  private addStatement(sql: string, where: Span | undefined, lineno: number | undefined, guard: Guard | undefined): 'added' | 'select' | 'error' {
    const { lines } = this;
    let wrapper: PgNode | undefined;
    try {
      wrapper = this.pg.parseSync(sql).stmts?.[0]?.stmt;
    } catch (error) {
      const span = where ?? this.lineSpan(lineno);
      const errorAt = where ? codePointOffsetToIndex(sql, errorCursor(error)) + where.start : span.start;
      this.errors.push(this.toError(diagnoseSyntaxError(lines, span, errorAt, `${this.label}: ${errorMessage(error)}`)));
      return 'error';
    }
    const kind = wrapper && Object.keys(wrapper)[0];
    // Only statements that change something are nested statements; SELECT (and SELECT INTO) read.
    if (!wrapper || !kind || kind === 'SelectStmt') return 'select';

    const span = where
      ? { start: where.start, end: where.start + this.file.text.slice(where.start, where.end).trimEnd().length }
      : this.lineSpan(lineno);
    const range = lines.rangeOf(span.start, span.end);
    const statement = statementOf(wrapper, {
      // Without a position in the file, the SQL as the parser saw it is the best text there is.
      text: where ? this.file.text.slice(span.start, span.end) : sql,
      range,
      parent: this.parent,
      leadingComments: where ? leadingComments(lines, span.start) : [],
      locate: where ? (location) => lines.positionAt(where.start + byteOffsetToIndex(sql, location)) : () => range.start,
    });
    if (guard) statement.guard = guard;
    this.nested.push(statement);
    return 'added';
  }

  /** File offset of `query` in the body, searched from its PL/pgSQL line number. */
  private findInBody(query: string, lineno: number | undefined): number | undefined {
    if (!this.span) return undefined;
    const { start, end } = this.span;
    const lineStart = Math.max(lineno ? this.lines.lineStart(this.firstLine + lineno - 1) : start, start);
    for (const from of [Math.max(lineStart, this.cursor), lineStart, start]) {
      const at = findQuery(this.lines.text, query, from, end);
      if (at !== -1) {
        this.cursor = at + query.length;
        return at;
      }
    }
    return undefined;
  }

  /** The code on a body line: the fallback position of a statement that cannot be found. */
  private lineSpan(lineno: number | undefined): Span {
    if (!lineno) return { start: this.parent.range.start.offset, end: this.parent.range.end.offset };
    const line = this.firstLine + lineno - 1;
    const start = this.lines.lineStart(line);
    const end = this.lines.lineEnd(line);
    const content = this.lines.text.slice(start, end);
    return { start: start + (content.length - content.trimStart().length), end: start + content.trimEnd().length };
  }

  /**
   * PL/pgSQL errors carry no position. Point at the token the message names: inside a known
   * trap when one explains it, else where it occurs if it occurs only once, else at the body's
   * opening quote (or, when the body cannot be found, the statement's first word).
   */
  private locateBodyError(message: string): SyntaxDiagnosis {
    const { text } = this.lines;
    const { parent } = this;
    const body = this.span ?? { start: parent.range.start.offset, end: parent.range.end.offset };
    // An unterminated literal's "near" text is the rest of the body: keep the message on one short line.
    const labelled = `${this.label}: ${shortenNear(message)}`;
    const near = /at or near "([^"\r\n]+)"/.exec(message)?.[1];
    const occurrences: number[] = [];
    if (near) {
      // A word must not match inside a longer identifier.
      const before = /^\w/.test(near) ? '(?<![\\w$])' : '';
      const after = /\w$/.test(near) ? '(?![\\w$])' : '';
      const pattern = new RegExp(before + escapeRegExp(near) + after, 'gi');
      for (const match of text.slice(body.start, body.end).matchAll(pattern)) occurrences.push(body.start + match.index);
    }
    const statementEnds: number[] = [];
    forEachToken(text, (kind, start) => kind === 'semicolon' && statementEnds.push(start), body.start, body.end);
    for (const at of occurrences) {
      const previousEnd = statementEnds.filter((end) => end < at).pop();
      const statement = {
        start: previousEnd === undefined ? body.start : previousEnd + 1,
        end: statementEnds.find((end) => end >= at) ?? body.end,
      };
      const trapped = diagnoseTrap(text, statement, at, labelled);
      if (trapped) return trapped;
    }
    if (occurrences.length === 1) return diagnoseSyntaxError(this.lines, body, occurrences[0], labelled);
    if (this.span) return { start: this.span.opening, end: this.span.start, message: labelled };
    const firstWord = /^\S+/.exec(parent.text)?.[0] ?? '';
    return { start: parent.range.start.offset, end: parent.range.start.offset + firstWord.length, message: labelled };
  }

  private toError({ start, end, message, hint }: SyntaxDiagnosis): SqlSyntaxError {
    const error: SqlSyntaxError = { message, range: this.lines.rangeOf(start, end) };
    if (hint) error.hint = hint;
    return error;
  }
}
