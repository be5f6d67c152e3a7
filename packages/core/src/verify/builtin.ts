/**
 * The built-in verifier (PGlite, or a server without plpgsql_check): every SQL statement and
 * expression of a PL/pgSQL body is PREPAREd against the catalog, with the variables and
 * parameters it uses replaced by typed parameters, as PL/pgSQL itself does when it runs them.
 * PREPARE parses and analyses without executing; the surrounding transaction is rolled back.
 */
import type { DbSession } from '../db/types.js';
import type { PgQuery } from '../sql/parser.js';
import { byteOffsetToIndex, codePointOffsetToIndex } from '../sql/positions.js';
import { quoteIdent } from '../sql/quote.js';
import { nodeOf, stringOf } from '../sql/nodes.js';
import type { NodeOf, PgNode } from '../sql/types.js';
import type { VisitedNode } from '../sql/walk.js';
import { lineStartsOf, locateInBody, positionIn, relationsCreatedIn, type BodyExpression, type ParsedBody } from './body.js';
import { configuredVariableConflict, type VerifiableFunction } from './functions.js';
import { verifyRule } from './rules.js';
import { pgErrorFields, isPgError, type FunctionScope, type PgErrorFields } from './session-tools.js';
import type { FunctionDefect, UncheckedItem, VerifyResult } from './types.js';

const PREPARED_NAME = 'pgwarden_verify_statement';
const POLYMORPHIC = /^any(?:element|array|nonarray|enum|range|multirange|compatible\w*)$/;
/** Built-in scalar types and arrays, which need no catalog lookup to know they are not row types. */
const SCALAR_TYPE =
  /(?:\[\]|^(?:pg_catalog\.)?(?:bool|boolean|int|int2|int4|int8|integer|smallint|bigint|numeric|decimal|real|float4|float8|double precision|text|varchar|char|character|character varying|name|uuid|json|jsonb|date|time|timetz|timestamp|timestamptz|interval|bytea|oid|regclass|refcursor|inet|cidr)(?:\s*\(.*\))?(?: with(?:out)? time zone)?)$/i;
const PREPARABLE = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

interface Variable {
  /** SQL type for PREPARE, or undefined when only run time knows it (a `record`). */
  type?: string;
  /** Records and row types: `name.field` reads a field. */
  composite: boolean;
}

/** One replacement of the statement text: a variable reference becomes `$n` (or `($n)` before a field). */
interface Replacement {
  start: number;
  end: number;
  variable: string;
  text: (param: string) => string;
  /** An unqualified name: a candidate for the ambiguity check. */
  unqualified: boolean;
  /** Text to put instead of a parameter (a field of a record whose type only run time knows). */
  literal?: string;
}

interface PreparedText {
  sql: string;
  types: string[];
  /** End of an assignment's target in `sql` (0 when none): the target is no SQL column reference. */
  targetEnd?: number;
  /** Maps an index of `sql` back to an index of the statement as PL/pgSQL keeps it. */
  toOriginal(index: number): number;
}

export interface FunctionOutcome {
  defects: (FunctionDefect & { statementLine?: number })[];
  unchecked: UncheckedItem[];
}

export class BuiltinVerifier {
  /** Column names per relation and search_path, for deciding which names need an ambiguity probe. */
  private readonly columnCache = new Map<string, string[]>();
  private readonly compositeCache = new Map<string, boolean>();
  private scopeKey = '';

  constructor(
    private readonly session: DbSession,
    private readonly pg: PgQuery,
    private readonly counts: VerifyResult['counts'],
  ) {}

  async verifyPlpgsql(fn: VerifiableFunction, body: ParsedBody, scope: FunctionScope): Promise<FunctionOutcome> {
    const outcome: FunctionOutcome = { defects: [], unchecked: [] };
    const polymorphic = fn.parameters.find((p) => POLYMORPHIC.test(p.type));
    if (polymorphic) {
      outcome.unchecked.push({ function: fn.key, reason: `polymorphic parameter type ${polymorphic.type}: the types are known only per call` });
      return outcome;
    }
    // Names resolve through the function's search_path: caches are per path.
    this.scopeKey = fn.config.find((setting) => setting.startsWith('search_path=')) ?? '';
    const variables = await this.variablesOf(fn, body, outcome);
    if (!variables) return outcome;
    const lineStarts = lineStartsOf(fn.source);
    const functionName = fn.key.slice(fn.key.indexOf('.') + 1, fn.key.indexOf('('));
    const conflictMode = body.variableConflict ?? configuredVariableConflict(fn);
    const created = new Map([...relationsCreatedIn(this.pg, body)].map((name) => [name, 'which the function creates itself']));
    // Transition tables (REFERENCING NEW TABLE AS ...) exist only while the trigger runs.
    for (const trigger of fn.triggers) {
      for (const name of [trigger.oldTable, trigger.newTable]) if (name) created.set(name, "the trigger's transition table");
    }
    const inParameters = fn.parameters.filter((p) => p.mode === 'i' || p.mode === 'b' || p.mode === 'v');
    const scopeKey = this.scopeKey;

    for (const expression of body.expressions) {
      if (expression.dynamic) {
        outcome.unchecked.push({ function: fn.key, bodyLine: expression.lineno, reason: 'dynamic SQL (EXECUTE) is built at run time' });
        continue;
      }
      const statement = this.statementText(expression, body);
      let tree: PgNode | undefined;
      try {
        tree = this.pg.parseSync(statement.sql).stmts?.[0]?.stmt;
      } catch {
        outcome.unchecked.push({ function: fn.key, bodyLine: expression.lineno, reason: 'the statement does not parse with pgwarden\'s parser' });
        continue;
      }
      const kind = tree && Object.keys(tree)[0];
      if (!tree || !kind || !PREPARABLE.has(kind)) {
        outcome.unchecked.push({ function: fn.key, bodyLine: expression.lineno, reason: `${kind ?? 'empty'} statements cannot be prepared` });
        continue;
      }
      const createdHere = relationNames(tree).find((name) => created.has(name));
      if (createdHere) {
        outcome.unchecked.push({ function: fn.key, bodyLine: expression.lineno, reason: `uses ${createdHere}, ${created.get(createdHere)}` });
        continue;
      }
      const references = this.variableReferences(
        tree,
        statement.sql,
        variables,
        functionName,
        body.labels,
        inParameters.map((p) => p.name),
        statement.targetEnd ?? 0,
      );
      if (references.unknown) {
        outcome.unchecked.push({ function: fn.key, bodyLine: expression.lineno, reason: `the type of ${references.unknown} is known only at run time` });
        continue;
      }
      const locate = (offsetInQuery: number) => this.bodyPosition(fn.source, lineStarts, expression, offsetInQuery);
      const prepared = substitute(statement, references.replacements, variables, () => true);
      const error = await this.prepare(prepared, scope);
      if (error && references.partial && error.code !== '42P01' && error.code !== '42703') {
        outcome.unchecked.push({ function: fn.key, bodyLine: expression.lineno, reason: `the type of ${references.partial} is known only at run time` });
        continue;
      }
      if (error) {
        const at = error.position !== undefined ? locate(prepared.toOriginal(codePointOffsetToIndex(prepared.sql, error.position - 1))) : undefined;
        outcome.defects.push(this.defect(fn, 'function-invalid-statement', error, expression, at));
        continue;
      }
      if (conflictMode && conflictMode !== 'error') continue;
      const candidates = [...new Set(references.replacements.filter((r) => r.unqualified).map((r) => r.variable))];
      const columns = candidates.length ? await this.columnsInScope(tree, scopeKey) : new Set<string>();
      for (const name of candidates) {
        // A probe only where the name can be a column: a column of a table the statement names, or
        // any name when the statement has FROM items whose columns the catalog cannot list.
        if (columns !== 'any' && !columns.has(name)) continue;
        const asColumn = substitute(statement, references.replacements, variables, (r) => !(r.unqualified && r.variable === name));
        const columnError = await this.prepare(asColumn, scope);
        if (columnError?.code === '42703') continue; // not a column here: the name is only the variable
        const first = references.replacements.find((r) => r.unqualified && r.variable === name)!;
        outcome.defects.push({
          ...this.defect(fn, 'function-ambiguous-column', undefined, expression, locate(statement.toOriginal(first.start))),
          message: `column reference "${name}" is ambiguous: it is a PL/pgSQL variable and a table column here`,
          hint: `qualify the column (table.${name}) or rename the variable; or set #variable_conflict use_column`,
          sqlstate: '42702',
        });
      }
      for (const { name, start } of references.conflictTargets) {
        outcome.defects.push({
          ...this.defect(fn, 'function-ambiguous-column', undefined, expression, locate(statement.toOriginal(start))),
          message: `ON CONFLICT (${name}): "${name}" is a PL/pgSQL variable and a column of the target table`,
          hint: `name the constraint (ON CONFLICT ON CONSTRAINT ...) or rename the variable; or set #variable_conflict use_column`,
          sqlstate: '42702',
        });
      }
    }
    return outcome;
  }

  /** Parameters, declared variables and trigger records with their SQL types. */
  private async variablesOf(fn: VerifiableFunction, body: ParsedBody, outcome: FunctionOutcome): Promise<Map<string, Variable> | undefined> {
    const variables = new Map<string, Variable>();
    const trigger = fn.triggers[0];
    for (const variable of body.variables) {
      const written = variable.typeName;
      if (fn.returnsTrigger && (variable.name === 'new' || variable.name === 'old')) {
        if (!trigger) {
          outcome.unchecked.push({ function: fn.key, reason: 'trigger function not attached to any table: NEW and OLD have no type' });
          return undefined;
        }
        variables.set(variable.name, { type: trigger.relation, composite: true });
        continue;
      }
      if (/^record$/i.test(written)) {
        variables.set(variable.name, { composite: true });
        continue;
      }
      const rowType = /^(.*)%rowtype$/i.exec(written);
      if (rowType) {
        variables.set(variable.name, { type: rowType[1], composite: true });
        continue;
      }
      const copied = /^(.*)%type$/i.exec(written);
      if (copied) {
        const type = variables.get(copied[1].toLowerCase())?.type ?? (await this.columnType(copied[1]));
        if (!type && variable.lineno) {
          outcome.defects.push({
            function: fn.key,
            rule: 'function-invalid-statement',
            severity: verifyRule('function-invalid-statement').defaultSeverity,
            message: `${written}: no such column`,
            hint: 'the declaration copies the type of a column that does not exist',
            bodyLine: variable.lineno,
            statementLine: variable.lineno,
          });
        }
        variables.set(variable.name, { type, composite: false });
        continue;
      }
      variables.set(variable.name, { type: written, composite: await this.isComposite(written) });
    }
    // The catalog's parameter types beat the text: they are resolved (%TYPE, domains, arrays).
    for (const parameter of fn.parameters) {
      if (parameter.name) variables.set(parameter.name, { type: parameter.type, composite: await this.isComposite(parameter.type) });
    }
    return variables;
  }

  /** Column names of the tables a statement names ('any' when it also reads subqueries, functions or CTEs). */
  private async columnsInScope(tree: PgNode, scopeKey: string): Promise<Set<string> | 'any'> {
    let opaque = false;
    visitNodes(tree, (type, _node) => {
      if (type === 'RangeSubselect' || type === 'RangeFunction' || type === 'RangeTableFunc' || type === 'WithClause' || type === 'CommonTableExpr') opaque = true;
    });
    if (opaque) return 'any';
    const columns = new Set<string>();
    for (const relation of rangeVars(tree)) {
      const name = relation.schemaname ? `${quoteIdent(relation.schemaname)}.${quoteIdent(relation.relname)}` : quoteIdent(relation.relname);
      const key = `${scopeKey}|${name}`;
      let names = this.columnCache.get(key);
      if (!names) {
        const result = await this.session.query<{ name: string }>(
          `SELECT a.attname AS name FROM pg_catalog.pg_attribute a
            WHERE a.attrelid = pg_catalog.to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`,
          [name],
        );
        names = result.rows.map((row) => row.name);
        this.columnCache.set(key, names);
      }
      for (const column of names) columns.add(column);
    }
    return columns;
  }

  /** A row type (`v_job public.processing_jobs;`): `v_job.id` then reads a field. */
  private async isComposite(typeName: string): Promise<boolean> {
    if (SCALAR_TYPE.test(typeName)) return false;
    const key = `${this.scopeKey}|${typeName}`;
    let composite = this.compositeCache.get(key);
    if (composite === undefined) {
      const result = await this.session.query<{ composite: boolean }>(
        `SELECT t.typtype = 'c' AS composite FROM pg_catalog.pg_type t WHERE t.oid = pg_catalog.to_regtype($1)`,
        [typeName],
      );
      composite = result.rows[0]?.composite ?? false;
      this.compositeCache.set(key, composite);
    }
    return composite;
  }

  private async columnType(reference: string): Promise<string | undefined> {
    const dot = reference.lastIndexOf('.');
    if (dot < 0) return undefined;
    const result = await this.session.query<{ type: string }>(
      `SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) AS type FROM pg_catalog.pg_attribute a
        WHERE a.attrelid = pg_catalog.to_regclass($1) AND a.attname = $2 AND a.attnum > 0 AND NOT a.attisdropped`,
      [reference.slice(0, dot), unquote(reference.slice(dot + 1))],
    );
    return result.rows[0]?.type;
  }

  /** The statement as SQL that PREPARE accepts, and how its offsets map back. */
  private statementText(expression: BodyExpression, body: ParsedBody): PreparedText {
    let text = expression.query;
    let prefix = '';
    let targetEnd = 0;
    if (expression.parseMode === 2 || expression.dynamic) prefix = 'SELECT ';
    if (expression.parseMode >= 3) {
      // `target := expression` becomes `SELECT target , expression` (same offsets): the right-hand
      // side is checked as PL/pgSQL evaluates it, and the target must exist (`v_row.field`).
      const target = /^\s*(?:"(?:[^"]|"")*"|[^\s:=[.]+)(?:\s*\.\s*(?:"(?:[^"]|"")*"|[^\s:=[.]+))*\s*(?:\[[^\]]*\]\s*)*(:=|=)/.exec(text);
      if (target) {
        targetEnd = target[0].length - target[1].length;
        text = text.slice(0, targetEnd) + (target[1] === ':=' ? ', ' : ',') + text.slice(target[0].length);
      }
      prefix = 'SELECT ';
    }
    let exact = true;
    for (const [variable, caseExpression] of body.caseVariables) {
      const quoted = `"${variable}"`;
      if (text.includes(quoted)) {
        text = text.split(quoted).join(`(${caseExpression})`);
        exact = false;
      }
    }
    const sql = prefix + text;
    return { sql, types: [], targetEnd: prefix.length + targetEnd, toOriginal: (index) => (exact ? Math.max(index - prefix.length, 0) : 0) };
  }

  /** Variable references of a parsed statement, with their spans in `sql`. */
  private variableReferences(
    tree: PgNode,
    sql: string,
    variables: Map<string, Variable>,
    functionName: string,
    labels: ReadonlySet<string>,
    positional: (string | null)[],
    targetEnd: number,
  ): { replacements: Replacement[]; conflictTargets: { name: string; start: number }[]; unknown?: string; partial?: string } {
    const replacements: Replacement[] = [];
    const conflictTargets: { name: string; start: number }[] = [];
    let unknown: string | undefined;
    let partial: string | undefined;
    const outputNames = new Set<string>();
    const orderByRefs = new Set<NodeOf<'ColumnRef'>>();
    visitNodes(tree, (type, node) => {
      if (type === 'SelectStmt') {
        for (const target of node.targetList ?? []) {
          const name = nodeOf(target, 'ResTarget')?.name;
          if (name) outputNames.add(name);
        }
        for (const sort of node.sortClause ?? []) {
          const column = nodeOf(nodeOf(sort, 'SortBy')?.node, 'ColumnRef');
          if (column) orderByRefs.add(column);
        }
        for (const group of node.groupClause ?? []) {
          const column = nodeOf(group, 'ColumnRef');
          if (column) orderByRefs.add(column);
        }
      }
      // libpg-query leaves InsertStmt.onConflictClause unwrapped.
      if (type === 'InsertStmt') {
        for (const element of node.onConflictClause?.infer?.indexElems ?? []) {
          const name = nodeOf(element, 'IndexElem')?.name;
          if (name && variables.has(name)) conflictTargets.push({ name, start: byteOffsetToIndex(sql, node.onConflictClause?.location ?? 0) });
        }
      }
    });
    visitNodes(tree, (type, node) => {
      if (type === 'ParamRef') {
        // libpg-query omits a zero `number` and `location`; $0 does not exist, so both are set here.
        const number = node.number ?? 0;
        const name = positional[number - 1];
        const start = byteOffsetToIndex(sql, node.location ?? 0);
        const end = start + 1 + String(number).length;
        if (name && variables.has(name)) replacements.push({ start, end, variable: name, text: (p) => p, unqualified: false });
        return;
      }
      if (type !== 'ColumnRef') return;
      const fields = node.fields ?? [];
      const names = fields.map(stringOf);
      const first = names[0];
      if (first === undefined) return;
      const start = byteOffsetToIndex(sql, node.location ?? 0);
      const spans = identifierSpans(sql, start, fields.length);
      if (!spans) return;
      if (fields.length === 1) {
        const variable = variables.get(first);
        if (!variable) return;
        // ORDER BY / GROUP BY name of an output column: SQL resolves it before PL/pgSQL sees it.
        if (orderByRefs.has(node) && outputNames.has(first)) return;
        if (!variable.type) unknown ??= first;
        replacements.push({ start, end: spans[0].end, variable: first, text: (p) => p, unqualified: start >= targetEnd });
        return;
      }
      const variable = variables.get(first);
      if (variable?.composite) {
        if (!variable.type) {
          // `r.field` of a record: an untyped NULL stands for it, so the rest of the statement is
          // still checked (only missing tables and columns are trusted then, see verifyPlpgsql).
          if (fields.length === 2 && names[1] !== undefined) {
            partial ??= first;
            replacements.push({ start, end: spans[1].end, variable: first, text: () => 'NULL', unqualified: false, literal: 'NULL' });
          } else unknown ??= first;
          return;
        }
        replacements.push({ start, end: spans[0].end, variable: first, text: (p) => `(${p})`, unqualified: false });
        return;
      }
      // `function_name.parameter` and `block_label.variable` name a variable explicitly.
      const second = names[1];
      if ((first === functionName || labels.has(first)) && second !== undefined && variables.has(second)) {
        replacements.push({ start, end: spans[1].end, variable: second, text: (p) => p, unqualified: false });
      }
    });
    replacements.sort((a, b) => a.start - b.start);
    return { replacements, conflictTargets, unknown, partial };
  }

  /** PREPARE with typed parameters; the error when it fails. */
  private async prepare(statement: PreparedText, scope: FunctionScope): Promise<(PgErrorFields & { positionInSql?: number }) | undefined> {
    const head = `PREPARE ${PREPARED_NAME}${statement.types.length ? `(${statement.types.join(', ')})` : ''} AS `;
    this.counts.prepared++;
    try {
      // One round trip: DEALLOCATE runs only when PREPARE succeeded.
      await this.session.exec(`${head}${statement.sql};\nDEALLOCATE ${PREPARED_NAME}`);
      return undefined;
    } catch (error) {
      if (!isPgError(error)) throw error;
      await scope.recover();
      const fields = pgErrorFields(error);
      const position = fields.position !== undefined ? fields.position - [...head].length : undefined;
      return { ...fields, position: position !== undefined && position > 0 ? position : undefined };
    }
  }

  private bodyPosition(source: string, lineStarts: number[], expression: BodyExpression, offsetInQuery: number): { line: number; column: number } | undefined {
    const at = locateInBody(source, lineStarts, expression);
    return at === undefined ? undefined : positionIn(lineStarts, at + offsetInQuery);
  }

  private defect(
    fn: VerifiableFunction,
    rule: 'function-invalid-statement' | 'function-ambiguous-column',
    error: PgErrorFields | undefined,
    expression: BodyExpression,
    at: { line: number; column: number } | undefined,
  ): FunctionDefect & { statementLine: number } {
    const defect: FunctionDefect & { statementLine: number } = {
      function: fn.key,
      rule,
      severity: verifyRule(rule).defaultSeverity,
      message: error?.message ?? '',
      bodyLine: at?.line ?? expression.lineno,
      statementLine: expression.lineno,
    };
    if (at) defect.column = at.column;
    if (error?.hint) defect.hint = error.hint;
    else if (error?.detail) defect.hint = error.detail;
    if (error?.code) defect.sqlstate = error.code;
    return defect;
  }
}

/** The statement with the chosen references replaced by `$n`, numbered in order of first use. */
function substitute(
  statement: PreparedText,
  replacements: readonly Replacement[],
  variables: Map<string, Variable>,
  replace: (replacement: Replacement) => boolean,
): PreparedText {
  const numbers = new Map<string, number>();
  const types: string[] = [];
  const segments: { from: number; to: number; original: number; atomic: boolean }[] = [];
  let sql = '';
  let cursor = 0;
  for (const replacement of replacements) {
    if (!replace(replacement)) continue;
    segments.push({ from: sql.length, to: sql.length + replacement.start - cursor, original: cursor, atomic: false });
    sql += statement.sql.slice(cursor, replacement.start);
    let number = numbers.get(replacement.variable);
    if (number === undefined && replacement.literal === undefined) {
      types.push(variables.get(replacement.variable)!.type!);
      number = types.length;
      numbers.set(replacement.variable, number);
    }
    const text = replacement.literal ?? replacement.text(`$${number}`);
    segments.push({ from: sql.length, to: sql.length + text.length, original: replacement.start, atomic: true });
    sql += text;
    cursor = replacement.end;
  }
  segments.push({ from: sql.length, to: Infinity, original: cursor, atomic: false });
  sql += statement.sql.slice(cursor);
  const toOriginal = (index: number) => {
    const segment = segments.find((s) => index >= s.from && index < s.to) ?? segments[segments.length - 1];
    return statement.toOriginal(segment.atomic ? segment.original : segment.original + (index - segment.from));
  };
  return { sql, types, toOriginal };
}

/** Spans of the dotted identifiers of a column reference starting at `start`. */
function identifierSpans(sql: string, start: number, parts: number): { start: number; end: number }[] | undefined {
  const spans: { start: number; end: number }[] = [];
  let index = start;
  for (let part = 0; part < parts; part++) {
    if (part > 0) {
      while (/\s/.test(sql[index] ?? '')) index++;
      if (sql[index] !== '.') return undefined;
      index++;
      while (/\s/.test(sql[index] ?? '')) index++;
    }
    const from = index;
    if (sql[index] === '"') {
      index++;
      while (index < sql.length && !(sql[index] === '"' && sql[index + 1] !== '"')) index += sql[index] === '"' ? 2 : 1;
      index++;
    } else if (sql[index] === '*') {
      index++;
    } else {
      while (index < sql.length && /[\p{L}\p{N}_$]/u.test(sql[index])) index++;
    }
    if (index === from) return undefined;
    spans.push({ start: from, end: index });
  }
  return spans;
}

function unquote(name: string): string {
  return /^".*"$/.test(name) ? name.slice(1, -1).replace(/""/g, '"') : name.toLowerCase();
}

/** Every wrapped node (`{ Type: {...} }`) and bare object under `root`, including unwrapped RangeVars. */
function visitNodes(root: unknown, visit: (...visited: VisitedNode) => void): void {
  const pending: unknown[] = [root];
  while (pending.length) {
    const value = pending.pop();
    if (!value || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      pending.push(...value);
      continue;
    }
    for (const [key, inner] of Object.entries(value)) {
      if (/^[A-Z]/.test(key) && inner && typeof inner === 'object' && !Array.isArray(inner)) visit(...([key, inner] as VisitedNode));
      pending.push(inner);
    }
  }
}

/** Names of the relations a statement reads or writes (RangeVars, wrapped or not). */
function relationNames(tree: PgNode): string[] {
  return rangeVars(tree).map((relation) => relation.relname);
}

function rangeVars(tree: PgNode): { schemaname?: string; relname: string }[] {
  const names: { schemaname?: string; relname: string }[] = [];
  const pending: unknown[] = [tree];
  while (pending.length) {
    const value = pending.pop();
    if (!value || typeof value !== 'object') continue;
    if (Array.isArray(value)) pending.push(...value);
    else {
      const record = value as Record<string, unknown>;
      if (typeof record.relname === 'string') {
        names.push({ relname: record.relname, ...(typeof record.schemaname === 'string' ? { schemaname: record.schemaname } : {}) });
      }
      pending.push(...Object.values(record));
    }
  }
  return names;
}
