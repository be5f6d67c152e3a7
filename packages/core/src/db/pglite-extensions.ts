/**
 * The extensions PGlite can provide: its contrib set and pgvector (`@electric-sql/pglite-pgvector`,
 * which pins the exact PGlite version in package.json). The shadow and the embedded database share
 * this list and loader, so a migration that runs on one runs on the other.
 */
import type { Extensions } from '@electric-sql/pglite';

/** contrib modules registered on PGlite (module name; the SQL name differs for uuid-ossp). */
const CONTRIB_MODULES = [
  'amcheck', 'bloom', 'btree_gin', 'btree_gist', 'citext', 'cube', 'dict_int', 'dict_xsyn', 'earthdistance', 'fuzzystrmatch',
  'hstore', 'intarray', 'isn', 'lo', 'ltree', 'moddatetime', 'pg_trgm', 'pgcrypto', 'seg', 'tablefunc', 'tcn',
  'tsm_system_rows', 'tsm_system_time', 'unaccent', 'uuid_ossp',
] as const;

/** SQL names of the extensions PGlite can create (plpgsql is built in). */
export const PGLITE_EXTENSIONS: readonly string[] = [...CONTRIB_MODULES.map((name) => (name === 'uuid_ossp' ? 'uuid-ossp' : name)), 'vector', 'plpgsql'].sort();

/** Whether PGlite can create the extension of this SQL name. */
export function pgliteProvides(name: string): boolean {
  return PGLITE_EXTENSIONS.includes(name);
}

/**
 * The PGlite extension bundles for `names` (SQL names; unknown ones ignored). Each registered
 * bundle is unpacked when PGlite starts (measured: all 26 double the time to load a dump), so an
 * instance registers only the extensions its SQL creates. An extension's code is needed whenever
 * the database uses it, not only by CREATE EXTENSION: a persistent database registers the ones it
 * has at every start.
 */
export async function loadPgliteExtensions(names: Iterable<string> = PGLITE_EXTENSIONS): Promise<Extensions> {
  const wanted = new Set([...names].map((name) => (name === 'uuid-ossp' ? 'uuid_ossp' : name)));
  const contrib = await Promise.all(
    CONTRIB_MODULES.filter((name) => wanted.has(name)).map(
      async (name) => [name, ((await import(`@electric-sql/pglite/contrib/${name}`)) as Record<string, unknown>)[name]] as const,
    ),
  );
  const entries: (readonly [string, unknown])[] = [...contrib];
  if (wanted.has('vector')) entries.push(['vector', (await import('@electric-sql/pglite-pgvector')).vector]);
  return Object.fromEntries(entries) as Extensions;
}
