import { readFileSync } from 'node:fs';
import type { Database } from '../db/types.js';

export type PresetName = 'supabase';

/**
 * What a platform provides before user migrations run; `supabase`: the anon/authenticated/
 * service_role roles, the auth schema with auth.users and auth.uid()/role()/jwt(). Idempotent.
 */
export function presetSql(name: PresetName): string {
  return readFileSync(new URL(`../../presets/${name}.sql`, import.meta.url), 'utf8');
}

export async function applyPreset(db: Database, name: PresetName): Promise<void> {
  const session = await db.session();
  try {
    await session.exec(presetSql(name));
  } finally {
    await session.close();
  }
}
