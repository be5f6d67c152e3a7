/**
 * Which base-table column each view column selects, read from the view's definition with the
 * real Postgres parser. PostgREST derives view relationships from the same facts
 * (`resorigtbl`/`resorigcol` of the rewritten query), so a view exposing a table's key columns
 * carries that table's foreign keys. Only plain column references count: expressions,
 * aggregates and set operations have no origin, as in Postgres.
 */
import type { CatalogSnapshot, ViewInfo } from '../catalog/index.js';
import { DEFAULT_SCHEMA } from '../catalog/index.js';
import { loadParser, parseSql } from '../sql/index.js';
import type { SelectStmt } from 'libpg-query';
import { isNode, nodeOf, stringOf, type PgNode } from '../sql/index.js';

export interface ColumnOrigin {
  /** `schema.table` of the base table (views are followed down to tables). */
  table: string;
  column: string;
  /** The view selects the column as a plain reference, so an auto-updatable view can write it. */
  direct: true;
}

/** view key -> view column name -> origin. */
export type ViewSources = Map<string, Map<string, ColumnOrigin>>;

export async function traceViewSources(snapshot: CatalogSnapshot): Promise<ViewSources> {
  const result: ViewSources = new Map();
  if (snapshot.views.length === 0) return result;
  await loadParser();
  const views = new Map(snapshot.views.map((view) => [view.key, view]));
  const direct = new Map<string, Map<string, ColumnOrigin>>();
  for (const view of snapshot.views) direct.set(view.key, directOrigins(view));
  // Follow views over views down to base tables (cycles are impossible in Postgres, depth guards anyway).
  const resolve = (origin: ColumnOrigin, depth: number): ColumnOrigin | undefined => {
    if (!views.has(origin.table)) return origin;
    if (depth > 32) return undefined;
    const next = direct.get(origin.table)?.get(origin.column);
    return next ? resolve(next, depth + 1) : undefined;
  };
  for (const [viewKey, origins] of direct) {
    const resolved = new Map<string, ColumnOrigin>();
    for (const [column, origin] of origins) {
      const base = resolve(origin, 0);
      if (base) resolved.set(column, base);
    }
    result.set(viewKey, resolved);
  }
  return result;
}

function directOrigins(view: ViewInfo): Map<string, ColumnOrigin> {
  const origins = new Map<string, ColumnOrigin>();
  let select: SelectStmt | undefined;
  try {
    const parsed = parseSql(view.definition);
    select = parsed.statements[0]?.kind === 'SelectStmt' ? parsed.statements[0].node : undefined;
  } catch {
    return origins; // an unparsable definition exposes no origins, like an expression column
  }
  if (!select || select.op !== 'SETOP_NONE' || select.withClause) return origins;
  const ranges = new Map<string, string>(); // alias or relation name -> schema.table
  for (const item of select.fromClause ?? []) collectRanges(item, ranges);
  const onlyRange = ranges.size > 0 && new Set(ranges.values()).size === 1 ? [...ranges.values()][0] : undefined;
  const viewColumns = view.columns.map((column) => column.name);
  (select.targetList ?? []).forEach((target, index) => {
    const res = nodeOf(target, 'ResTarget');
    const fields = nodeOf(res?.val, 'ColumnRef')?.fields;
    if (!fields || fields.some((field) => !isNode(field, 'String'))) return; // `*` or not a plain column
    const names = fields.map((field) => stringOf(field) ?? '');
    const column = names[names.length - 1]!;
    const table = names.length >= 2 ? ranges.get(names[names.length - 2]!) : onlyRange;
    const viewColumn = viewColumns[index] ?? res?.name ?? column;
    if (table) origins.set(viewColumn, { table, column, direct: true });
  });
  return origins;
}

function collectRanges(node: PgNode | undefined, ranges: Map<string, string>): void {
  if (!node) return;
  if ('RangeVar' in node) {
    const range = node.RangeVar;
    const key = `${range.schemaname ?? DEFAULT_SCHEMA}.${range.relname}`;
    ranges.set(range.alias?.aliasname ?? range.relname ?? '', key);
  } else if ('JoinExpr' in node) {
    collectRanges(node.JoinExpr.larg, ranges);
    collectRanges(node.JoinExpr.rarg, ranges);
  }
}
