/**
 * Extensions on the shadow: which ones a set of SQL files creates (registered before they run),
 * and what well-known extensions provide, so a failure is traced to the extension that is missing.
 * The list PGlite can provide and its loader live in db/pglite-extensions.ts, shared with the
 * embedded database.
 */
import { pgliteProvides } from '../db/pglite-extensions.js';
import { createdExtensions } from '../sql/extensions.js';
import type { ParsedSql } from '../sql/types.js';
import type { LookupClass } from './definitions.js';

/** The extensions the files create (DO-block bodies included) that PGlite can provide: what a PGlite instance must register before running them. */
export function extensionsCreatedIn(files: readonly { parsed: Pick<ParsedSql, 'statements' | 'nested'> }[]): string[] {
  const names = files.flatMap((file) => createdExtensions(file.parsed).map((extension) => extension.name));
  return [...new Set(names)].filter(pgliteProvides).sort();
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
