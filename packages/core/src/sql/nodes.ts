/**
 * Typed reads of libpg-query nodes. The AST types (@pgsql/types) make every field optional (the
 * parser's JSON omits false, zero and empty values) and every list a `Node[]` of wrappers: these
 * helpers narrow a wrapper to one node type, so that rules need no cast.
 */
import type { DefElem } from 'libpg-query';
import type { NodeOf, NodeType, PgNode, SqlStatement, StatementFields, WrapperOf } from './types.js';

/** True when `node` is the wrapper of a node of `type`, e.g. `isNode(item, 'String')`. */
export function isNode<Type extends NodeType>(node: PgNode | undefined, type: Type): node is Extract<PgNode, WrapperOf<Type>> {
  return node !== undefined && type in node;
}

/** The inner node of `node` when it is of `type`: `nodeOf(item, 'RangeVar')?.relname`. */
export function nodeOf<Type extends NodeType>(node: PgNode | undefined, type: Type): NodeOf<Type> | undefined {
  // Through unknown: narrowing the 270-member Node union by a generic type costs seconds of type-checking per call site.
  return (node as unknown as Partial<WrapperOf<Type>> | undefined)?.[type];
}

/** The inner nodes of `type` in a list, in order (other node types skipped). */
export function nodesOf<Type extends NodeType>(list: readonly PgNode[] | undefined, type: Type): NodeOf<Type>[] {
  const found: NodeOf<Type>[] = [];
  for (const item of list ?? []) {
    const inner = nodeOf(item, type);
    if (inner) found.push(inner);
  }
  return found;
}

/** A statement from a parser wrapper (`{ CreateStmt: {...} }`: its only key is the kind) and the fields every statement has. */
export function statementOf(wrapper: PgNode, fields: StatementFields): SqlStatement {
  const kind = Object.keys(wrapper)[0] as NodeType;
  return { kind, node: (wrapper as Record<string, unknown>)[kind], ...fields } as SqlStatement;
}

/** The `sval` of a `String` node: names in lists, DefElem string arguments. */
export function stringOf(node: PgNode | undefined): string | undefined {
  return nodeOf(node, 'String')?.sval;
}

/** The `DefElem` named `name` in an options list (`WITH (...)`, function options, role options). */
export function optionNamed(options: readonly PgNode[] | undefined, name: string): DefElem | undefined {
  return nodesOf(options, 'DefElem').find((option) => option.defname === name);
}

/**
 * A boolean field that many statement types share (`if_not_exists`, `missing_ok`, `replace`), read
 * off any statement's node: true only when the parser set it (it omits false values).
 */
export function sharedFlag(node: object, name: 'if_not_exists' | 'missing_ok' | 'replace'): boolean {
  return (node as Partial<Record<typeof name, unknown>>)[name] === true;
}
