/**
 * `migrate` on the embedded PGlite database with migrations that create extensions: those PGlite
 * provides (pgvector, btree_gin, cube from a DO block) are registered before the migrations run and
 * again whenever the database is opened later (a vector column is read through pgvector's code);
 * one it cannot provide (postgis) is refused before anything runs, naming the way out.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import { openDatabase } from '../db/open.js';
import { loadHistory } from './history.js';
import { migrateTarget } from './migrate-target.js';
import { resolveTarget } from './target.js';

const root = mkdtempSync(join(tmpdir(), 'pgwarden-migrate-extensions-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function writeMigration(name: string, title: string, body: string, rollback: string): void {
  const date = name.slice(0, 10);
  const text = `-- ============================================================================
-- Migration: ${title}
-- Date: ${date}
-- Issue: fixture
--
-- PROBLEM: fixture
-- SOLUTION: fixture
-- AFFECTED TABLES: notes
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [ ] current_schema/01_notes.sql (Line 1: notes)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [N/A] TypeScript types updated (if applicable)
-- ============================================================================

${body}

-- Rollback Script:
${rollback.split('\n').map((line) => `-- ${line}`).join('\n')}
`;
  writeFileSync(join(root, 'migration_history', name), text);
}

async function migrate() {
  const config = loadConfig({ cwd: root });
  const history = await loadHistory(config);
  return migrateTarget({ config, target: resolveTarget(config, {}, {}), migrations: history.migrations, finalize: false });
}

async function query<T>(sql: string): Promise<T[]> {
  const database = await openDatabase({ embeddedDir: join(root, '.pgwarden/local') });
  try {
    const session = await database.session();
    return (await session.query<T>(sql)).rows;
  } finally {
    await database.close();
  }
}

mkdirSync(join(root, 'migration_history'), { recursive: true });
mkdirSync(join(root, 'current_schema'), { recursive: true });
writeFileSync(join(root, 'pgwarden.config.json'), JSON.stringify({ preset: 'none', exposedSchemas: ['public'] }));
writeFileSync(join(root, 'current_schema/01_notes.sql'), '-- notes\n');
writeMigration(
  '2025-10-01_01_create_notes.sql',
  'Create notes',
  'CREATE TABLE IF NOT EXISTS public.notes (\n  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),\n  author_id uuid NOT NULL,\n  body text NOT NULL\n);\nALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;',
  'DROP TABLE IF EXISTS public.notes;',
);
writeMigration(
  '2025-10-02_02_semantic_search.sql',
  'Semantic search',
  `CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS btree_gin;
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'cube') THEN
    CREATE EXTENSION cube;
  END IF;
END $$;
ALTER TABLE public.notes ADD COLUMN IF NOT EXISTS embedding vector(3);
ALTER TABLE public.notes ADD COLUMN IF NOT EXISTS position cube;
CREATE INDEX IF NOT EXISTS notes_author_gin_idx ON public.notes USING gin (author_id);`,
  'ALTER TABLE public.notes DROP COLUMN IF EXISTS embedding;',
);

describe('migrate on the embedded database, migrations creating extensions', () => {
  it('applies the ones PGlite provides, pgvector included', { timeout: 300_000 }, async () => {
    const result = await migrate();
    expect(result.refused).toEqual([]);
    expect(result.failed).toEqual([]);
    expect(result.applied.map((migration) => migration.name)).toEqual(['2025-10-01_01_create_notes.sql', '2025-10-02_02_semantic_search.sql']);
  });

  it('registers them again when the database is opened later, by anyone', { timeout: 300_000 }, async () => {
    await query(`INSERT INTO public.notes (author_id, body, embedding, position) VALUES (gen_random_uuid(), 'a', '[1,2,3]', '(1,2)')`);
    const rows = await query<{ distance: number; cube_distance: number; extensions: string }>(
      `SELECT embedding <-> '[1,2,4]' AS distance, cube_distance(position, '(1,3)') AS cube_distance,
              (SELECT string_agg(extname, ',' ORDER BY extname) FROM pg_extension) AS extensions
         FROM public.notes`,
    );
    expect(rows).toEqual([{ distance: 1, cube_distance: 1, extensions: 'btree_gin,cube,plpgsql,vector' }]);
  });

  it('refuses, before anything runs, a migration creating an extension PGlite cannot provide', { timeout: 300_000 }, async () => {
    writeMigration('2025-10-03_03_note_titles.sql', 'Note titles', 'ALTER TABLE public.notes ADD COLUMN IF NOT EXISTS title text;', 'ALTER TABLE public.notes DROP COLUMN IF EXISTS title;');
    writeMigration(
      '2025-10-04_04_note_places.sql',
      'Note places',
      'CREATE EXTENSION IF NOT EXISTS postgis;\nALTER TABLE public.notes ADD COLUMN IF NOT EXISTS place geometry;',
      'ALTER TABLE public.notes DROP COLUMN IF EXISTS place;',
    );
    const result = await migrate();
    expect(result.ok).toBe(false);
    expect(result.refused).toEqual([
      expect.objectContaining({
        kind: 'extension',
        relPath: 'migration_history/2025-10-04_04_note_places.sql',
        message:
          'migration_history/2025-10-04_04_note_places.sql:18: creates extension postgis, which the embedded database (PGlite) cannot provide: apply it to a server that has it (--database-url URL)',
      }),
    ]);
    expect(result.applied).toEqual([]);
    expect(result.failed).toEqual([]);
    // Nothing of either pending file ran.
    expect(await query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'notes' AND column_name IN ('title', 'place')`)).toEqual([]);
  });
});
