/**
 * Extensions of the PGlite shadow: PGlite's contrib set and pgvector
 * (`@electric-sql/pglite-pgvector`, which pins the exact PGlite version in package.json).
 * Their code loads only when a schema runs CREATE EXTENSION.
 */
import type { Extensions } from '@electric-sql/pglite';
import type { LookupClass } from './definitions.js';

/** contrib modules registered on the PGlite shadow (module name; the SQL name differs for uuid-ossp). */
const CONTRIB_MODULES = [
  'amcheck', 'bloom', 'btree_gin', 'btree_gist', 'citext', 'cube', 'dict_int', 'dict_xsyn', 'earthdistance', 'fuzzystrmatch',
  'hstore', 'intarray', 'isn', 'lo', 'ltree', 'moddatetime', 'pg_trgm', 'pgcrypto', 'seg', 'tablefunc', 'tcn',
  'tsm_system_rows', 'tsm_system_time', 'unaccent', 'uuid_ossp',
] as const;

/** SQL names of the extensions the PGlite shadow can create (plpgsql is built in). */
export const PGLITE_EXTENSIONS: readonly string[] = [...CONTRIB_MODULES.map((name) => (name === 'uuid_ossp' ? 'uuid-ossp' : name)), 'vector', 'plpgsql'].sort();

export async function loadPgliteExtensions(): Promise<Extensions> {
  const contrib = await Promise.all(
    CONTRIB_MODULES.map(async (name) => [name, ((await import(`@electric-sql/pglite/contrib/${name}`)) as Record<string, unknown>)[name]] as const),
  );
  const { vector } = await import('@electric-sql/pglite-pgvector');
  return Object.fromEntries([...contrib, ['vector', vector]]) as Extensions;
}

/** What well-known extensions that PGlite lacks provide, so a use of them is traced to the extension. */
const PROVIDES: Record<string, { types?: string[]; functionPrefixes?: string[]; schemas?: string[] }> = {
  postgis: { types: ['geometry', 'geography', 'box2d', 'box3d', 'raster'], functionPrefixes: ['st_', 'postgis_'] },
  vector: { types: ['vector', 'halfvec', 'sparsevec'], functionPrefixes: ['l2_distance', 'cosine_distance', 'inner_product'] },
  pg_cron: { schemas: ['cron'] },
  pg_partman: { schemas: ['partman'] },
  pg_net: { schemas: ['net'] },
  pgsodium: { schemas: ['pgsodium'] },
  pg_graphql: { schemas: ['graphql'] },
};

/** The known extension a missing object belongs to, if any (among `candidates` when given). */
export function extensionProviding(lookup: LookupClass, name: string, schema: string | undefined, candidates?: Iterable<string>): string | undefined {
  const allowed = candidates ? new Set(candidates) : undefined;
  for (const [extension, provides] of Object.entries(PROVIDES)) {
    if (allowed && !allowed.has(extension)) continue;
    if (schema && provides.schemas?.includes(schema)) return extension;
    if (lookup === 'schema' && provides.schemas?.includes(name)) return extension;
    if (lookup === 'type' && provides.types?.includes(name)) return extension;
    if (lookup === 'function' && provides.functionPrefixes?.some((prefix) => name === prefix || (prefix.endsWith('_') && name.startsWith(prefix)))) {
      return extension;
    }
  }
  return undefined;
}
