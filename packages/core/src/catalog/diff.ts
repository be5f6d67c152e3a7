/**
 * Differences between two catalog snapshots as readable changes, one per object added or removed
 * and one per property changed. An added or removed table is one change (its columns, indexes and
 * policies travel in `before`/`after`), not a cascade. Order is deterministic: families in a fixed
 * order (schemas, extensions, types, sequences, tables, views, functions), keys by code points,
 * and each object's own properties before its members.
 */
import { compareCodePoints, describeObject, type ObjectId, type ObjectKind } from './identity.js';
import type {
  CatalogChange,
  CatalogSnapshot,
  ColumnInfo,
  ConstraintInfo,
  FunctionInfo,
  GrantInfo,
  IndexInfo,
  PolicyInfo,
  TableInfo,
  TriggerInfo,
  ViewInfo,
} from './types.js';

export interface DiffOptions {
  /**
   * Report a column that moved (same name and type, another position). Off by default: a column
   * added by ALTER TABLE lands last while the schema file may list it in the middle, and Postgres
   * treats both tables the same.
   */
  columnOrder?: boolean;
}

type Keyed = { key: string };

/** Values printed in a message only when short and on one line; longer ones stay in before/after. */
const MAX_INLINE = 80;

function show(value: unknown): string | undefined {
  if (value === undefined) return 'none';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length <= MAX_INLINE && !text.includes('\n') ? text : undefined;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

class ChangeList {
  readonly changes: CatalogChange[] = [];

  added(object: ObjectId, after: unknown): void {
    this.changes.push({ action: 'added', object, after, message: `${describeObject(object)} added` });
  }

  removed(object: ObjectId, before: unknown): void {
    this.changes.push({ action: 'removed', object, before, message: `${describeObject(object)} removed` });
  }

  changed(object: ObjectId, property: string, before: unknown, after: unknown): void {
    const from = show(before);
    const to = show(after);
    const detail = from !== undefined && to !== undefined ? ` changed from ${from} to ${to}` : ' changed';
    this.changes.push({ action: 'changed', object, property, before, after, message: `${describeObject(object)}: ${property}${detail}` });
  }

  /** Compares the listed properties of two versions of one object. */
  properties<T extends object>(object: ObjectId, before: T, after: T, names: readonly (keyof T & string)[]): void {
    for (const name of names) {
      if (!same(before[name], after[name])) this.changed(object, name, before[name], after[name]);
    }
  }

  /**
   * Matches two keyed lists: `added`/`removed` for keys on one side only, `compare` for keys on both.
   * Keys are visited in code-point order.
   */
  lists<T extends Keyed>(kind: (item: T) => ObjectKind, before: readonly T[], after: readonly T[], compare: (id: ObjectId, a: T, b: T) => void): void {
    const left = new Map(before.map((item) => [item.key, item]));
    const right = new Map(after.map((item) => [item.key, item]));
    const keys = [...new Set([...left.keys(), ...right.keys()])].sort(compareCodePoints);
    for (const key of keys) {
      const a = left.get(key);
      const b = right.get(key);
      if (a && b) compare({ kind: kind(b), key }, a, b);
      else if (a) this.removed({ kind: kind(a), key }, a);
      else if (b) this.added({ kind: kind(b), key }, b);
    }
  }

  /** Grants of one object, each grantee an object of kind `grant` keyed `objectKey:grantee`. */
  grants(objectKey: string, before: readonly GrantInfo[], after: readonly GrantInfo[]): void {
    const keyed = (grants: readonly GrantInfo[]) => grants.map((grant) => ({ ...grant, key: `${objectKey}:${grant.grantee}` }));
    this.lists(
      () => 'grant',
      keyed(before),
      keyed(after),
      (id, a, b) => this.properties(id, a, b, ['privileges']),
    );
  }
}

const COLUMN_PROPERTIES = ['type', 'notNull', 'default', 'identity', 'generated', 'collation', 'comment'] as const satisfies readonly (keyof ColumnInfo)[];
const CONSTRAINT_PROPERTIES = ['type', 'definition', 'validated', 'deferrable'] as const satisfies readonly (keyof ConstraintInfo)[];
const INDEX_PROPERTIES = ['definition', 'valid'] as const satisfies readonly (keyof IndexInfo)[];
const TRIGGER_PROPERTIES = ['definition', 'enabled'] as const satisfies readonly (keyof TriggerInfo)[];
const POLICY_PROPERTIES = ['command', 'permissive', 'roles', 'using', 'withCheck'] as const satisfies readonly (keyof PolicyInfo)[];
const TABLE_PROPERTIES = ['kind', 'partitionOf', 'partitionKey', 'partitionBound', 'rlsEnabled', 'rlsForced', 'owner', 'comment'] as const satisfies readonly (keyof TableInfo)[];
const VIEW_PROPERTIES = ['materialized', 'definition', 'options', 'owner', 'comment'] as const satisfies readonly (keyof ViewInfo)[];
const FUNCTION_PROPERTIES = [
  'kind',
  'arguments',
  'returns',
  'language',
  'volatility',
  'securityDefiner',
  'strict',
  'config',
  'bodyHash',
  'owner',
  'comment',
] as const satisfies readonly (keyof FunctionInfo)[];

/** Readable changes that turn snapshot `a` into snapshot `b`. */
export function diffCatalogs(a: CatalogSnapshot, b: CatalogSnapshot, options: DiffOptions = {}): CatalogChange[] {
  const list = new ChangeList();
  const columnProperties: readonly (keyof ColumnInfo & string)[] = options.columnOrder ? [...COLUMN_PROPERTIES, 'position'] : COLUMN_PROPERTIES;

  const columns = (before: readonly ColumnInfo[], after: readonly ColumnInfo[]) =>
    list.lists(() => 'column', before, after, (id, x, y) => list.properties(id, x, y, columnProperties));
  const indexes = (before: readonly IndexInfo[], after: readonly IndexInfo[]) =>
    list.lists(() => 'index', before, after, (id, x, y) => list.properties(id, x, y, INDEX_PROPERTIES));

  list.lists(() => 'schema', a.schemas, b.schemas, (id, x, y) => {
    list.properties(id, x, y, ['owner', 'comment']);
    list.grants(id.key, x.grants, y.grants);
  });
  list.lists(() => 'extension', a.extensions, b.extensions, (id, x, y) => list.properties(id, x, y, ['schema', 'version']));
  list.lists(() => 'enum', a.enums, b.enums, (id, x, y) => list.properties(id, x, y, ['labels', 'comment']));
  list.lists(() => 'domain', a.domains, b.domains, (id, x, y) => list.properties(id, x, y, ['baseType', 'notNull', 'default', 'checks', 'comment']));
  list.lists(() => 'composite_type', a.compositeTypes, b.compositeTypes, (id, x, y) => list.properties(id, x, y, ['attributes', 'comment']));
  list.lists(() => 'sequence', a.sequences, b.sequences, (id, x, y) => {
    list.properties(id, x, y, ['type', 'ownedBy']);
    list.grants(id.key, x.grants, y.grants);
  });
  list.lists(() => 'table', a.tables, b.tables, (id, x, y) => {
    list.properties(id, x, y, TABLE_PROPERTIES);
    columns(x.columns, y.columns);
    list.lists(() => 'constraint', x.constraints, y.constraints, (cid, p, q) => list.properties(cid, p, q, CONSTRAINT_PROPERTIES));
    indexes(x.indexes, y.indexes);
    list.lists(() => 'trigger', x.triggers, y.triggers, (tid, p, q) => list.properties(tid, p, q, TRIGGER_PROPERTIES));
    list.lists(() => 'policy', x.policies, y.policies, (pid, p, q) => list.properties(pid, p, q, POLICY_PROPERTIES));
    list.grants(id.key, x.grants, y.grants);
  });
  list.lists(
    (view) => (view.materialized ? 'materialized_view' : 'view'),
    a.views,
    b.views,
    (id, x, y) => {
      list.properties(id, x, y, VIEW_PROPERTIES);
      columns(x.columns, y.columns);
      indexes(x.indexes, y.indexes);
      list.grants(id.key, x.grants, y.grants);
    },
  );
  list.lists(() => 'function', a.functions, b.functions, (id, x, y) => {
    list.properties(id, x, y, FUNCTION_PROPERTIES);
    list.grants(id.key, x.grants, y.grants);
  });
  return list.changes;
}
