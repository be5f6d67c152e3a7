import { readFileSync } from 'node:fs';
import type { Database, DbSession } from '../db/types.js';

export type PresetName = 'supabase';

/**
 * What a platform provides before user migrations run; `supabase`: the anon/authenticated/
 * service_role roles, the auth schema with auth.users and auth.uid()/role()/jwt(). Idempotent.
 */
export function presetSql(name: PresetName): string {
  return readFileSync(new URL(`../../presets/${name}.sql`, import.meta.url), 'utf8');
}

/** What marks a preset as present: a real Supabase project (or an earlier run) has these already. */
const PRESENT: Record<PresetName, string> = {
  supabase: "SELECT to_regprocedure('auth.uid()') IS NOT NULL AND EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'authenticated') AS present",
};

export async function presetPresent(db: Database, name: PresetName): Promise<boolean> {
  const session = await db.session();
  try {
    return await presetPresentIn(session, name);
  } finally {
    await session.close();
  }
}

async function presetPresentIn(session: DbSession, name: PresetName): Promise<boolean> {
  const { rows } = await session.query<{ present: boolean }>(PRESENT[name]);
  return rows[0]?.present === true;
}

/**
 * The preset as a step of `migrate` (runner's PresetStep): checked and applied on the runner's
 * own session, under its migration lock and inside the transaction it opens, so that runners
 * started together on a fresh database never race on CREATE SCHEMA or GRANT.
 */
export function presetStep(name: PresetName): { name: string; isPresent(session: DbSession): Promise<boolean>; apply(session: DbSession): Promise<void> } {
  return {
    name,
    isPresent: (session) => presetPresentIn(session, name),
    apply: (session) => session.exec(presetSql(name)),
  };
}

export async function applyPreset(db: Database, name: PresetName): Promise<void> {
  const session = await db.session();
  try {
    await session.exec(presetSql(name));
  } finally {
    await session.close();
  }
}
