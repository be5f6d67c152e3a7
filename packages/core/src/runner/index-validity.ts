/**
 * An interrupted CREATE INDEX CONCURRENTLY or REINDEX ... CONCURRENTLY (a killed runner, a
 * terminated backend, a unique violation) leaves an index with pg_index.indisvalid = false,
 * which Postgres keeps maintaining but never uses, and which `IF NOT EXISTS` then skips.
 * The runner looks such indexes up for every concurrent build of a file, on a connection that
 * is alive (never the one whose statement just died), and refuses to record the file applied
 * while one is invalid.
 */

import type { DbSession } from '../db/types.js';
import { quoteIdent } from '../sql/quote.js';
import type { RunnableStatement } from './statements.js';
import { concurrentIndexTarget, type IndexTarget } from './transaction-block.js';

const INVALID_INDEXES = `
SELECT CASE WHEN n.nspname = ANY (current_schemas(false)) THEN quote_ident(c.relname)
            ELSE quote_ident(n.nspname) || '.' || quote_ident(c.relname) END AS name
  FROM pg_index i
  JOIN pg_class c ON c.oid = i.indexrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE NOT i.indisvalid
   AND i.indrelid = CASE WHEN $2 = 'reindex-index'
                         THEN (SELECT x.indrelid FROM pg_index x WHERE x.indexrelid = to_regclass($1))
                         ELSE to_regclass($1) END
   AND CASE $2
         WHEN 'create' THEN $3::text IS NULL OR c.relname = $3::text
         WHEN 'reindex-index' THEN c.relname = (SELECT relname FROM pg_class WHERE oid = to_regclass($1))
                                OR c.relname LIKE (SELECT relname FROM pg_class WHERE oid = to_regclass($1)) || '\\_cc%'
         ELSE true
       END
 ORDER BY c.relname`;

/** Whether the database holds any invalid index at all (one catalog scan, before any file is looked at). */
export async function anyInvalidIndex(session: DbSession): Promise<boolean> {
  const { rows } = await session.query<{ found: boolean }>('SELECT EXISTS (SELECT 1 FROM pg_index WHERE NOT indisvalid) AS found');
  return rows[0]?.found === true;
}

/** Invalid indexes left by the concurrent build of `target` (the named index, or any on the table when unnamed). */
export async function invalidIndexesFor(session: DbSession, target: IndexTarget): Promise<string[]> {
  const qualified = target.schema ? `${quoteIdent(target.schema)}.${quoteIdent(target.relation)}` : quoteIdent(target.relation);
  const { rows } = await session.query<{ name: string }>(INVALID_INDEXES, [qualified, target.kind, target.index ?? null]);
  return rows.map((r) => r.name);
}

/** Invalid indexes left by `statement`, when it is a concurrent index build; [] otherwise. */
export async function invalidIndexesLeftBy(session: DbSession, statement: RunnableStatement): Promise<string[]> {
  const target = concurrentIndexTarget(statement);
  return target ? invalidIndexesFor(session, target) : [];
}

/** Every invalid index that a concurrent build of the file names, with the statement that builds it. */
export async function invalidIndexesOfFile(
  session: DbSession,
  statements: readonly RunnableStatement[],
): Promise<Array<{ name: string; statement: RunnableStatement; ordinal: number }>> {
  const found: Array<{ name: string; statement: RunnableStatement; ordinal: number }> = [];
  const seen = new Set<string>();
  for (const [i, statement] of statements.entries()) {
    for (const name of await invalidIndexesLeftBy(session, statement)) {
      if (seen.has(name)) continue;
      seen.add(name);
      found.push({ name, statement, ordinal: i + 1 });
    }
  }
  return found;
}

/** What to do about an invalid index: drop it (concurrently, so nothing else is blocked), then run the build again. */
export function dropInvalidIndexAdvice(name: string): string {
  return `DROP INDEX CONCURRENTLY IF EXISTS ${name}, then rerun`;
}
