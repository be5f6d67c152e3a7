/**
 * Snapshots read from different Postgres major versions differ where the versions print or grant
 * differently, not where the schemas do. `comparableAcrossVersions` removes those differences so
 * that a live PostgreSQL 15 database and a PGlite (PostgreSQL 17/18) shadow can be compared:
 *
 * - PG17 added the MAINTAIN table privilege, which default ACLs include: it is dropped.
 * - PG16 stopped qualifying columns with the table alias (or name) in pg_get_viewdef when the query
 *   reads a single table (`SELECT d.status FROM public.documents d` became `SELECT status FROM ...`):
 *   that qualification is removed from such single-table definitions.
 * - `serverVersionNum` is set to 0.
 *
 * Extension versions are left alone: a different pgcrypto is a real difference.
 */
import type { CatalogSnapshot, GrantInfo, ViewInfo } from './types.js';

const VERSION_PRIVILEGES = new Set(['MAINTAIN']);

function grants(list: GrantInfo[]): GrantInfo[] {
  return list.map((grant) => ({ ...grant, privileges: grant.privileges.filter((privilege) => !VERSION_PRIVILEGES.has(privilege)) }));
}

/** `FROM schema.table [alias]` as the only FROM item of a view without joins or sub-selects. */
const SINGLE_FROM = /\bFROM\s+(?:"[^"]+"|\w+)\.("[^"]+"|\w+)(?:\s+(\w+))?/i;
const CLAUSES = /^(WHERE|GROUP|ORDER|HAVING|LIMIT|OFFSET|WINDOW|UNION|INTERSECT|EXCEPT|FETCH|FOR)$/i;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A single-table view definition without the `alias.` (or, without an alias, `table.`) column
 * qualification that PostgreSQL 15 prints and 16+ does not.
 */
export function unqualifySingleTableView(definition: string): string {
  const froms = definition.match(/\bFROM\b/gi) ?? [];
  if (froms.length !== 1 || /\bJOIN\b|\bSELECT\b[\s\S]*\bSELECT\b/i.test(definition)) return definition;
  const match = SINGLE_FROM.exec(definition);
  if (!match) return definition;
  const qualifier = match[2] && !CLAUSES.test(match[2]) ? match[2] : match[1]!;
  return definition.replace(new RegExp(`(?<![\\w."])${escapeRegExp(qualifier)}\\.(?=[\\w"])`, 'g'), '');
}

function view(info: ViewInfo): ViewInfo {
  return { ...info, definition: unqualifySingleTableView(info.definition), grants: grants(info.grants) };
}

export function comparableAcrossVersions(snapshot: CatalogSnapshot): CatalogSnapshot {
  return {
    ...snapshot,
    serverVersionNum: 0,
    schemas: snapshot.schemas.map((schema) => ({ ...schema, grants: grants(schema.grants) })),
    tables: snapshot.tables.map((table) => ({ ...table, grants: grants(table.grants) })),
    views: snapshot.views.map(view),
    sequences: snapshot.sequences.map((sequence) => ({ ...sequence, grants: grants(sequence.grants) })),
    functions: snapshot.functions.map((fn) => ({ ...fn, grants: grants(fn.grants) })),
  };
}
