/**
 * `check` end to end on PGlite shadows, in real git repositories in temporary folders: the demo
 * passes, a hand-made drift fails naming the object and file, a feature branch's migration that
 * current_schema/ lacks is reported and `--fix` writes it, and a live PostgreSQL 15 that was
 * changed outside a migration is drift.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedShadowCache } from '../../../../tests/support/shared-shadow-cache.js';
import { loadConfig } from '../config/load.js';
import { openDatabase } from '../db/open.js';
import { createTestDatabase, serverAvailable } from '../runner/__fixtures__/test-db.js';
import { runCheck } from './check.js';
import { deepLint } from '../impact/deep-lint.js';

const REPO_ROOT = resolve(import.meta.dirname, '../../../..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function workspace(files: Record<string, string>): { root: string; git: (...args: string[]) => string; write: (path: string, text: string) => void } {
  const root = mkdtempSync(join(tmpdir(), 'pgwarden-check-'));
  dirs.push(root);
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  for (const [path, text] of Object.entries(files)) write(path, text);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: root, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  write('.gitignore', '.pgwarden/\n');
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  return { root, git, write };
}

function demoWorkspace() {
  const root = mkdtempSync(join(tmpdir(), 'pgwarden-check-demo-'));
  dirs.push(root);
  for (const path of ['current_schema', 'migration_history', 'pgwarden.config.json']) cpSync(join(REPO_ROOT, path), join(root, path), { recursive: true });
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: root, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  writeFileSync(join(root, '.gitignore'), '.pgwarden/\n');
  git('add', '.');
  git('commit', '-q', '-m', 'demo');
  return { root, git };
}

const errors = (findings: { severity: string }[]) => findings.filter((finding) => finding.severity === 'error');

describe('check on the demo workspace', () => {
  // One workspace for both tests, in order: the second edits what the first proved (and cached).
  const { root } = demoWorkspace();
  // The demo's shadow, built once per run for every suite that needs it: the proof below still comes from that cold build.
  beforeAll(() => seedShadowCache(root), 600_000);
  it('passes: current_schema/ builds, matches the history, catalog lints and functions are clean', { timeout: 300_000 }, async () => {
    const report = await runCheck({ config: loadConfig({ cwd: root }) });
    expect(errors(report.findings)).toEqual([]);
    expect(report.schemaFiles).toBe(8);
    expect(report.consistency.unchanged).toBe(true);
    expect(report.functions.checked).toBeGreaterThan(5);

    // Warm: the proof of the unchanged schema comes from the cache, with the same result.
    const warm = await runCheck({ config: loadConfig({ cwd: root }) });
    expect(warm.cache).toBe('hit');
    expect(warm.findings).toEqual(report.findings);
    expect(warm.functions).toEqual(report.functions);
  });

  it('a hand-made drift fails naming the object and the file', { timeout: 300_000 }, async () => {
    const file = join(root, 'current_schema/03_clinical_core.sql');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('CREATE TABLE IF NOT EXISTS public.allergies (', 'CREATE TABLE IF NOT EXISTS public.allergies (\n  verified_by text,'));
    const report = await runCheck({ config: loadConfig({ cwd: root }) });
    expect(report.cache).not.toBe('hit'); // a changed schema file is a new proof
    const drift = report.findings.filter((finding) => finding.rule === 'schema-out-of-sync');
    expect(drift).toHaveLength(1);
    expect(drift[0]).toMatchObject({ file: 'current_schema/03_clinical_core.sql', severity: 'error' });
    expect(drift[0]!.message).toContain('public.allergies.verified_by');
    expect(report.consistency.base).toBe('merge-base with main');
  });
});

const CONFIG = JSON.stringify({ preset: 'none', exposedSchemas: ['public'] });
const SCHEMA = `-- Core tables.
CREATE TABLE IF NOT EXISTS public.patients (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  full_name text NOT NULL
);

CREATE TABLE IF NOT EXISTS public.visits (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id uuid NOT NULL REFERENCES public.patients(id)
);
CREATE INDEX IF NOT EXISTS visits_patient_id_idx ON public.visits (patient_id);
`;
const MIGRATION = `-- ============================================================================
-- Migration: Visit rooms and notes
-- Date: 2025-10-02
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [ ] current_schema/01_core.sql (Line 7: visits.room added)
-- ============================================================================

ALTER TABLE public.visits ADD COLUMN IF NOT EXISTS room text;

CREATE TABLE IF NOT EXISTS public.visit_notes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  visit_id uuid NOT NULL REFERENCES public.visits(id),
  note text NOT NULL
);
CREATE INDEX IF NOT EXISTS visit_notes_visit_id_idx ON public.visit_notes (visit_id);
`;

describe('check against the history of a feature branch', () => {
  it('names what current_schema/ lacks with the migration that made it; --fix writes it and checks again', { timeout: 300_000 }, async () => {
    const { root, git, write } = workspace({ 'pgwarden.config.json': CONFIG, 'current_schema/01_core.sql': SCHEMA, 'migration_history/.keep': '' });
    await seedShadowCache(root);
    git('checkout', '-q', '-b', 'feature');
    write('migration_history/2025-10-02_01_visit_rooms_and_notes.sql', MIGRATION);
    const config = loadConfig({ cwd: root });

    const before = await runCheck({ config });
    expect(before.consistency.migrations).toEqual(['migration_history/2025-10-02_01_visit_rooms_and_notes.sql']);
    const messages = before.findings.filter((finding) => finding.rule === 'schema-out-of-sync').map((finding) => finding.message);
    expect(messages.some((message) => message.includes('public.visits.room') && message.includes('2025-10-02_01_visit_rooms_and_notes.sql:8'))).toBe(true);
    expect(messages.some((message) => message.includes('public.visit_notes'))).toBe(true);

    const fixed = await runCheck({ config, fix: true });
    expect(fixed.fixed?.unwritable).toEqual([]);
    expect(fixed.fixed?.files).toEqual(['current_schema/01_core.sql']);
    expect(fixed.findings.filter((finding) => finding.rule === 'schema-out-of-sync' || finding.rule === 'history-migration-failed')).toEqual([]);
    expect(fixed.consistency.changes).toEqual([]);
    const schema = readFileSync(join(root, 'current_schema/01_core.sql'), 'utf8');
    expect(schema).toContain('  patient_id uuid NOT NULL REFERENCES public.patients(id),\n  room text\n);');
    expect(schema).toContain('CREATE TABLE IF NOT EXISTS public.visit_notes');
    expect(schema.startsWith('-- Core tables.\n')).toBe(true);
  });

  it('a migration that does not apply to the base schema is reported at its line', { timeout: 300_000 }, async () => {
    const { root, git, write } = workspace({ 'pgwarden.config.json': CONFIG, 'current_schema/01_core.sql': SCHEMA, 'migration_history/.keep': '' });
    await seedShadowCache(root);
    git('checkout', '-q', '-b', 'feature');
    write('migration_history/2025-10-02_01_bad.sql', '-- ============================================================================\n-- Migration: Bad\n-- ============================================================================\n\nALTER TABLE public.visit ADD COLUMN IF NOT EXISTS room text;\n');
    const report = await runCheck({ config: loadConfig({ cwd: root }) });
    expect(report.findings.find((finding) => finding.rule === 'history-migration-failed')).toMatchObject({ file: 'migration_history/2025-10-02_01_bad.sql', line: 5 });
  });

  it('what an extension the shadow lacks kept from being built is that warning, not errors of the tables and migrations that use it', { timeout: 300_000 }, async () => {
    const geoSchema = `CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE IF NOT EXISTS public.facilities (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  location geography(Point, 4326)
);
ALTER TABLE public.facilities ENABLE ROW LEVEL SECURITY;

CREATE TABLE IF NOT EXISTS public.rooms (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  facility_id uuid NOT NULL REFERENCES public.facilities (id)
);
CREATE INDEX IF NOT EXISTS rooms_facility_id_idx ON public.rooms (facility_id);
ALTER TABLE public.rooms ENABLE ROW LEVEL SECURITY;
`;
    const { root, git, write } = workspace({ 'pgwarden.config.json': CONFIG, 'current_schema/01_core.sql': geoSchema, 'migration_history/.keep': '' });
    git('checkout', '-q', '-b', 'feature');
    const header = '-- ============================================================================\n-- Migration: Fixture\n-- ============================================================================\n\n';
    write('migration_history/2025-10-02_01_phone.sql', `${header}ALTER TABLE public.facilities ADD COLUMN IF NOT EXISTS phone text;\n`);
    // Near miss: a table the shadow did build still fails as written.
    write('migration_history/2025-10-02_02_typo.sql', `${header}ALTER TABLE public.room ADD COLUMN IF NOT EXISTS label text;\n`);
    // An extension the migration itself creates, and what needs it.
    write('migration_history/2025-10-02_03_cron.sql', `${header}CREATE EXTENSION IF NOT EXISTS pg_cron;\nSELECT cron.schedule('nightly', '0 3 * * *', 'SELECT 1');\n`);
    const report = await runCheck({ config: loadConfig({ cwd: root }) });
    const summary = report.findings.map((finding) => `${finding.file}:${finding.line} ${finding.rule} ${finding.severity}`);
    expect(summary).toEqual([
      'current_schema/01_core.sql:1 shadow-missing-extension warning',
      'migration_history/2025-10-02_01_phone.sql:5 history-migration-failed warning',
      'migration_history/2025-10-02_02_typo.sql:5 history-migration-failed error',
      'migration_history/2025-10-02_03_cron.sql:5 history-migration-failed warning',
      'migration_history/2025-10-02_03_cron.sql:6 history-migration-failed warning',
    ]);
    expect(report.findings[1]!.message).toBe('cannot be applied to the shadow, which lacks extension postgis: relation "public.facilities" does not exist');
    // lint --deep judges the same way: the shadow's gap is a warning, the typo stays an error.
    const deep = await deepLint(loadConfig({ cwd: root }));
    expect(deep.findings.filter((finding) => finding.rule.startsWith('deep-')).map((finding) => `${finding.file}:${finding.line} ${finding.rule} ${finding.severity}`)).toEqual([
      'migration_history/2025-10-02_01_phone.sql:5 deep-statement-failed warning',
      'migration_history/2025-10-02_02_typo.sql:5 deep-statement-failed error',
      'migration_history/2025-10-02_03_cron.sql:5 deep-statement-failed warning',
      'migration_history/2025-10-02_03_cron.sql:6 deep-statement-failed warning',
    ]);
  });
});

describe('check --base over a migration that creates extensions', () => {
  it('--fix on a schema file that starts with a byte order mark: the fixed schema builds, the mark stays at the very start only', { timeout: 300_000 }, async () => {
    const BOM = '\uFEFF';
    // The first statement gets the column, and the extension goes at the top of the file: both next to the mark.
    const schema = SCHEMA.replace('-- Core tables.\n', '');
    const { root, git, write } = workspace({ 'pgwarden.config.json': CONFIG, 'current_schema/01_core.sql': BOM + schema, 'migration_history/.keep': '' });
    await seedShadowCache(root);
    git('checkout', '-q', '-b', 'feature');
    write(
      'migration_history/2025-10-02_01_patient_names.sql',
      `${BOM}-- ============================================================================
-- Migration: Patient name search
-- Date: 2025-10-02
-- ============================================================================

CREATE EXTENSION IF NOT EXISTS pg_trgm;
ALTER TABLE public.patients ADD COLUMN IF NOT EXISTS nickname text;
`,
    );
    const config = loadConfig({ cwd: root });

    const fixed = await runCheck({ config, fix: true });
    expect(fixed.fixed?.unwritable).toEqual([]);
    expect(fixed.fixed?.files).toEqual(['current_schema/01_core.sql']);
    // Builds (no shadow- finding) and holds the history.
    expect(fixed.findings.filter((finding) => finding.rule.startsWith('shadow-') || finding.rule === 'schema-out-of-sync' || finding.rule === 'history-migration-failed')).toEqual([]);
    expect(fixed.consistency.changes).toEqual([]);
    const written = readFileSync(join(root, 'current_schema/01_core.sql'), 'utf8');
    expect(written.startsWith(`${BOM}CREATE EXTENSION IF NOT EXISTS pg_trgm;\n\nCREATE TABLE IF NOT EXISTS public.patients (`)).toBe(true);
    expect(written.lastIndexOf(BOM)).toBe(0);
    expect(written).toContain('  full_name text NOT NULL,\n  nickname text\n);');
  });

  it('replays it with the extensions it creates registered on the shadow: no failure, no difference', { timeout: 300_000 }, async () => {
    const { root, write } = workspace({ 'pgwarden.config.json': CONFIG, 'current_schema/01_core.sql': SCHEMA, 'migration_history/.keep': '' });
    // Not committed: everything since HEAD is the migration and current_schema/ updated to hold it.
    write(
      'migration_history/2025-10-02_01_visit_embeddings.sql',
      `-- ============================================================================
-- Migration: Visit embeddings
-- ============================================================================

CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS btree_gin;
ALTER TABLE public.visits ADD COLUMN IF NOT EXISTS embedding vector(3);
CREATE INDEX IF NOT EXISTS visits_patient_gin_idx ON public.visits USING gin (patient_id);
`,
    );
    write(
      'current_schema/01_core.sql',
      `CREATE EXTENSION IF NOT EXISTS vector;\nCREATE EXTENSION IF NOT EXISTS btree_gin;\n${SCHEMA.replace('REFERENCES public.patients(id)\n', 'REFERENCES public.patients(id),\n  embedding vector(3)\n')}CREATE INDEX IF NOT EXISTS visits_patient_gin_idx ON public.visits USING gin (patient_id);\n`,
    );
    const report = await runCheck({ config: loadConfig({ cwd: root }), base: 'HEAD' });
    expect(report.consistency.migrations).toEqual(['migration_history/2025-10-02_01_visit_embeddings.sql']);
    expect(report.findings.filter((finding) => finding.rule === 'history-migration-failed' || finding.rule.startsWith('shadow-'))).toEqual([]);
    expect(report.consistency.changes).toEqual([]);
  });
});

describe('check --live on a real server', async () => {
  const available = await serverAvailable('check --live');
  it.skipIf(!available)('reports a column added on the database outside any migration', async () => {
    const { root } = workspace({ 'pgwarden.config.json': CONFIG, 'current_schema/01_core.sql': SCHEMA });
    await seedShadowCache(root);
    const live = await createTestDatabase('check_live');
    try {
      const admin = await live.admin();
      await admin.query(SCHEMA);
      await admin.query('ALTER TABLE public.patients ADD COLUMN nickname text');
      const database = await openDatabase({ url: live.url });
      try {
        const report = await runCheck({ config: loadConfig({ cwd: root }), live: { database, label: 'live' } });
        const drift = report.findings.filter((finding) => finding.rule === 'live-drift');
        expect(drift).toHaveLength(1);
        expect(drift[0]!.message).toContain('public.patients.nickname');
        expect(drift[0]!.file).toBe('current_schema/01_core.sql');
      } finally {
        await database.close();
      }
    } finally {
      await live.drop();
    }
  });
});
