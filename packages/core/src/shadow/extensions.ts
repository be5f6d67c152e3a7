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
