/**
 * The catalog snapshot of a workspace's own objects in a database (a shadow or a live one):
 * the schemas the preset owns (auth, storage ... for `supabase`) and pgwarden's history are left
 * out, so that two databases built the same way compare equal.
 */
import { DEFAULT_EXCLUDED_SCHEMAS, introspectCatalog, PRESET_SCHEMAS } from '../catalog/introspect.js';
import type { CatalogSnapshot } from '../catalog/types.js';
import type { Database } from '../db/types.js';
import type { ShadowPreset } from './types.js';

export async function workspaceSnapshot(database: Pick<Database, 'session'>, preset: ShadowPreset): Promise<CatalogSnapshot> {
  const session = await database.session();
  try {
    return await introspectCatalog(session, { excludeSchemas: [...PRESET_SCHEMAS[preset], ...DEFAULT_EXCLUDED_SCHEMAS] });
  } finally {
    await session.close();
  }
}
