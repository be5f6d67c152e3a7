import type { FuncCall } from 'libpg-query';
import type { PgNode, PlpgsqlExpression } from '../sql/types.js';
import { isNode, nodeOf, stringOf } from '../sql/nodes.js';
import { whereNested } from './support/everywhere.js';
import { defineRule } from './types.js';

/** Functions that quote their argument as an identifier or a literal: whatever it holds, it cannot become SQL. */
const QUOTING = new Set(['quote_ident', 'quote_literal', 'quote_nullable']);

/** A format() conversion: %[position$][-][width|*|*n$]type. */
const FORMAT_SPEC = /%(?:(\d+)\$)?-?(?:\d+|\*(?:\d+\$)?)?([sIL%])/g;

/**
 * EXECUTE (and FOR ... IN EXECUTE, RETURN QUERY EXECUTE, OPEN ... FOR EXECUTE) of a string built at
 * run time can run whatever a value spliced into it says. The safe idioms are accepted: a string
 * made only of literals, quote_ident/quote_literal/quote_nullable calls, and format() with a
 * constant format string whose %I and %L quote the arguments (a %s only of a constant); a variable
 * counts as safe when every assignment to it in the same body is. Values belong in USING.
 */
export const rule = defineRule({
  id: 'dynamic-execute',
  category: 'security',
  defaultSeverity: 'warning',
  description: "No EXECUTE of a string built at run time unless it is quoted: format() with a constant format and %I/%L, quote_ident/quote_literal, or USING.",
  check(context) {
    const expressions = context.sql.expressions;
    for (const expression of expressions) {
      if (expression.kind !== 'dynamic-execute') continue;
      const assignments = (name: string) => expressions.filter((other) => other.parent === expression.parent && other.target === name);
      const value = nodeOf(expression.node?.targetList?.[0], 'ResTarget')?.val;
      const judge = new SafetyJudge(assignments);
      if (value && judge.isSafe(value)) continue;
      context.report({
        range: expression.range,
        message: `EXECUTE of a string built at run time (${shorten(expression.text)}): ${judge.reason ?? 'a value spliced into it can change the statement (SQL injection)'}${whereNested(expression)}`,
        hint: "build it with format() and a constant format string, %I for identifiers and %L for literals (e.g. EXECUTE format('ALTER TABLE %I.%I ADD COLUMN %I text', schema_name, table_name, column_name)), and pass values with USING",
      });
    }
  },
});

/** Decides whether an expression can only produce quoted SQL, remembering why not. */
class SafetyJudge {
  reason?: string;
  private readonly visiting = new Set<string>();

  constructor(private readonly assignments: (name: string) => PlpgsqlExpression[]) {}

  isSafe(node: PgNode | undefined): boolean {
    if (!node) return false;
    if ('A_Const' in node) return true;
    if ('TypeCast' in node) return this.isSafe(node.TypeCast.arg);
    const expr = nodeOf(node, 'A_Expr');
    if (expr?.kind === 'AEXPR_OP' && stringOf(expr.name?.[0]) === '||') return this.isSafe(expr.lexpr) && this.isSafe(expr.rexpr);
    if ('FuncCall' in node) return this.isSafeCall(node.FuncCall);
    const fields = nodeOf(node, 'ColumnRef')?.fields;
    if (fields?.length === 1 && isNode(fields[0], 'String')) return this.isSafeVariable(String(fields[0].String.sval).toLowerCase());
    return false;
  }

  private isSafeCall(call: FuncCall): boolean {
    const parts = (call.funcname ?? []).map((part) => String(stringOf(part) ?? '').toLowerCase());
    const builtin = parts.length === 1 || (parts.length === 2 && parts[0] === 'pg_catalog');
    const name = builtin ? parts.at(-1) : undefined;
    const args = call.args ?? [];
    if (name && QUOTING.has(name)) return true;
    if (name === 'concat') return args.every((arg) => this.isSafe(arg));
    if (name !== 'format') return false;
    const formatString = constantString(args[0]);
    if (call.func_variadic || formatString === undefined) {
      this.reason ??= 'format() without a constant format string can produce any statement';
      return false;
    }
    let next = 1;
    for (const match of formatString.matchAll(FORMAT_SPEC)) {
      const [spec, position, type] = match;
      if (type === '%') continue;
      if (spec.includes('*')) {
        const widthPosition = /\*(\d+)\$/.exec(spec)?.[1];
        if (widthPosition) next = Number(widthPosition) + 1;
        else next++; // the width comes from the next argument
      }
      const index = position ? Number(position) : next;
      next = index + 1;
      if (type === 's' && !this.isSafe(args[index])) {
        this.reason ??= `format() puts an argument into the statement unquoted with %s; use %I (identifier) or %L (literal)`;
        return false;
      }
    }
    return true;
  }

  private isSafeVariable(name: string): boolean {
    if (this.visiting.has(name)) return true; // v := v || ...: the other assignments decide
    const assigned = this.assignments(name);
    if (assigned.length === 0) return false;
    this.visiting.add(name);
    try {
      return assigned.every((assignment) => this.isSafe(nodeOf(assignment.node?.targetList?.[0], 'ResTarget')?.val));
    } finally {
      this.visiting.delete(name);
    }
  }
}

function constantString(node: PgNode | undefined): string | undefined {
  const cast = nodeOf(node, 'TypeCast');
  if (cast) return constantString(cast.arg);
  const value = nodeOf(node, 'A_Const')?.sval?.sval;
  return typeof value === 'string' ? value : undefined;
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}
