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
  // An explicit stack: expression trees can nest deeper than the call stack allows. Only objects
  // go on it, and no key or value arrays are built: the rules walk every statement several times.
  const pending: object[] = [];
  if (root && typeof root === 'object') pending.push(root);
  while (pending.length) {
    const value = pending.pop() as Record<string, unknown>;
    if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index--) {
        const item: unknown = value[index];
        if (item && typeof item === 'object') pending.push(item);
      }
      continue;
    }
    let firstKey: string | undefined;
    let keyCount = 0;
    for (const key in value) {
      if (keyCount++ === 0) firstKey = key;
      else break;
    }
    const inner = keyCount === 1 ? value[firstKey!] : undefined;
    if (inner && typeof inner === 'object' && !Array.isArray(inner) && isCapital(firstKey!.charCodeAt(0))) {
      // A one-key object under a capitalised key is a node wrapper: its key names the node type.
      if (visit(...([firstKey, inner] as VisitedNode)) !== false) pending.push(inner);
      continue;
    }
    // Children in field order: pushed in order, then that stretch of the stack reversed.
    const from = pending.length;
    for (const key in value) {
      const child = value[key];
      if (child && typeof child === 'object') pending.push(child);
    }
    for (let low = from, high = pending.length - 1; low < high; low++, high--) {
      const swap = pending[low]!;
      pending[low] = pending[high]!;
      pending[high] = swap;
    }
  }
}

function isCapital(code: number): boolean {
  return code >= 65 && code <= 90; // A-Z
}

const EMPTY: readonly never[] = [];

/** The node types several rules collect from whole statements: calls, tables, constraints and CTE names. */
export type IndexedNodeType = 'FuncCall' | 'RangeVar' | 'Constraint' | 'CommonTableExpr';
const INDEXED = new Set<string>(['FuncCall', 'RangeVar', 'Constraint', 'CommonTableExpr'] satisfies IndexedNodeType[]);
// Root -> its nodes of the indexed types. Parsed trees are never modified, so an index stays true.
const nodesByType = new WeakMap<object, Map<string, unknown[]>>();

/**
 * The nodes of `type` under `root`, in walk order (the order `walk` visits them). Several rules ask
 * the same statement for its calls, tables and constraints: the tree is walked once per root, and
 * the nodes of the indexed types kept (only those: an index of every node would hold the tree twice).
 */
export function nodesUnder<Type extends IndexedNodeType>(root: unknown, type: Type): readonly NodeOf<Type>[] {
  if (!root || typeof root !== 'object') return EMPTY;
  let index = nodesByType.get(root);
  if (!index) {
    const built = new Map<string, unknown[]>();
    walk(root, (visitedType, node) => {
      if (!INDEXED.has(visitedType)) return;
      const list = built.get(visitedType);
      if (list) list.push(node);
      else built.set(visitedType, [node]);
    });
    nodesByType.set(root, (index = built));
  }
  return (index.get(type) ?? EMPTY) as readonly NodeOf<Type>[];
}
