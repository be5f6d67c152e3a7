/**
 * Extensions of the PGlite shadow: PGlite's contrib set and pgvector
 * (`@electric-sql/pglite-pgvector`, which pins the exact PGlite version in package.json).
 * Their code loads only when a schema runs CREATE EXTENSION.
 */
import type { Extensions } from '@electric-sql/pglite';
import type { SqlStatement } from '../sql/types.js';
import type { LookupClass } from './definitions.js';

/** contrib modules registered on the PGlite shadow (module name; the SQL name differs for uuid-ossp). */
const CONTRIB_MODULES = [
  'amcheck', 'bloom', 'btree_gin', 'btree_gist', 'citext', 'cube', 'dict_int', 'dict_xsyn', 'earthdistance', 'fuzzystrmatch',
  'hstore', 'intarray', 'isn', 'lo', 'ltree', 'moddatetime', 'pg_trgm', 'pgcrypto', 'seg', 'tablefunc', 'tcn',
  'tsm_system_rows', 'tsm_system_time', 'unaccent', 'uuid_ossp',
] as const;

/** SQL names of the extensions the PGlite shadow can create (plpgsql is built in). */
export const PGLITE_EXTENSIONS: readonly string[] = [...CONTRIB_MODULES.map((name) => (name === 'uuid_ossp' ? 'uuid-ossp' : name)), 'vector', 'plpgsql'].sort();

/**
 * The PGlite extension bundles for `names` (SQL names; unknown ones ignored). Each registered
 * bundle is unpacked when PGlite starts (measured: all 26 double the time to load a dump), so a
 * shadow registers only the extensions its SQL creates.
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

/** SQL names of the extensions that `CREATE EXTENSION` statements in the files name (DO-block bodies included). */
export function extensionsCreatedIn(files: readonly { parsed: { statements: readonly SqlStatement[]; nested: readonly SqlStatement[] } }[]): string[] {
  const names = new Set<string>();
  for (const file of files) {
    for (const statement of [...file.parsed.statements, ...file.parsed.nested]) {
      if (statement.kind === 'CreateExtensionStmt' && typeof statement.node.extname === 'string') names.add(statement.node.extname);
    }
  }
  return [...names].filter((name) => PGLITE_EXTENSIONS.includes(name)).sort();
}

/**
 * What well-known extensions provide under names of their own, so that a use of one is traced to its
 * extension: to the CREATE EXTENSION written later (definitions.ts), to one that is unavailable, or
 * to the one to add. `functionPrefixes`: a name ending in `_` is a prefix, any other a whole name.
 * Only names no other extension or Postgres itself uses (gen_random_uuid() is built in since 13).
 */
const PROVIDES: Record<string, { types?: string[]; functionPrefixes?: string[]; schemas?: string[] }> = {
  postgis: { types: ['geometry', 'geography', 'box2d', 'box3d', 'raster'], functionPrefixes: ['st_', 'postgis_'] },
  vector: { types: ['vector', 'halfvec', 'sparsevec'], functionPrefixes: ['l2_distance', 'cosine_distance', 'inner_product'] },
  'uuid-ossp': { functionPrefixes: ['uuid_generate_', 'uuid_nil', 'uuid_ns_dns', 'uuid_ns_url', 'uuid_ns_oid', 'uuid_ns_x500'] },
  pgcrypto: { functionPrefixes: ['gen_random_bytes', 'gen_salt', 'crypt', 'digest', 'hmac', 'pgp_', 'armor', 'dearmor'] },
  pg_trgm: { functionPrefixes: ['similarity', 'word_similarity', 'strict_word_similarity', 'show_trgm', 'show_limit', 'set_limit'] },
  citext: { types: ['citext'] },
  hstore: { types: ['hstore'] },
  ltree: { types: ['ltree', 'lquery', 'ltxtquery'], functionPrefixes: ['subltree', 'subpath', 'nlevel', 'lca', 'text2ltree', 'ltree2text'] },
  cube: { types: ['cube'] },
  isn: { types: ['ean13', 'isbn', 'isbn13', 'ismn', 'ismn13', 'issn', 'issn13', 'upc'] },
  unaccent: { functionPrefixes: ['unaccent'] },
  fuzzystrmatch: { functionPrefixes: ['levenshtein', 'levenshtein_less_equal', 'soundex', 'metaphone', 'dmetaphone', 'dmetaphone_alt', 'daitch_mokotoff'] },
  earthdistance: { functionPrefixes: ['earth_distance', 'earth_box', 'll_to_earth', 'latitude', 'longitude'] },
  tablefunc: { functionPrefixes: ['crosstab', 'normal_rand', 'connectby'] },
  moddatetime: { functionPrefixes: ['moddatetime'] },
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
