import type { NodeOf, NodeType } from './types.js';

/** The arguments of a walk visitor: checking `type` narrows `node`, e.g. `if (type === 'FuncCall') node.funcname`. */
export type VisitedNode = { [Type in NodeType]: [type: Type, node: NodeOf<Type>] }[NodeType];

/**
 * Visits every wrapped node (`{ TypeName: {...} }`) under `root`, parents before children and
 * fields in the order libpg-query emits them, passing the type name and the inner object;
 * returning false skips that node's children. libpg-query leaves fields typed as one specific
 * node unwrapped (e.g. `CreateStmt.relation`, a bare RangeVar): they are traversed, but not
 * visited themselves.
 */
export function walk(root: unknown, visit: (...visited: VisitedNode) => boolean | void): void {
  // An explicit stack: expression trees can nest deeper than the call stack allows.
  const pending: unknown[] = [root];
  while (pending.length) {
    const value = pending.pop();
    if (!value || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index--) pending.push(value[index]);
      continue;
    }
    const keys = Object.keys(value);
    const inner: unknown = (value as Record<string, unknown>)[keys[0]];
    const isWrapper = keys.length === 1 && /^[A-Z]/.test(keys[0]) && inner && typeof inner === 'object' && !Array.isArray(inner);
    if (isWrapper) {
      // A one-key object under a capitalised key is a node wrapper: its key names the node type.
      if (visit(...([keys[0], inner] as VisitedNode)) !== false) pending.push(inner);
      continue;
    }
    const children = Object.values(value);
    for (let index = children.length - 1; index >= 0; index--) pending.push(children[index]);
  }
}
