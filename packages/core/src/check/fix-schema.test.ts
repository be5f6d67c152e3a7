import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CatalogChange } from '../catalog/types.js';
import { createTestDatabase, serverAvailable } from '../runner/__fixtures__/test-db.js';
import { loadParser } from '../sql/index.js';
import { planSchemaFix, type MigrationSource, type SqlSource } from './fix-schema.js';

const CORE = `-- Core tables of the clinic.
CREATE TABLE IF NOT EXISTS public.patients (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  full_name text NOT NULL, -- as the patient writes it
  legacy_code text,
  created_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE public.patients ENABLE ROW LEVEL SECURITY;

CREATE TABLE IF NOT EXISTS public.visits (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id uuid NOT NULL REFERENCES public.patients(id),
  status text NOT NULL DEFAULT 'open',
  CONSTRAINT visits_status_check CHECK (status IN ('open', 'closed'))
);

CREATE TYPE public.visit_kind AS ENUM ('in_person', 'video');

-- Old helper, still here.
CREATE OR REPLACE FUNCTION public.visit_count(p uuid) RETURNS integer
LANGUAGE sql STABLE AS $$ SELECT count(*)::int FROM public.visits WHERE patient_id = p $$;

CREATE POLICY patients_read ON public.patients FOR SELECT USING (true);
`;

const EXTRA = `-- Later domain.

-- Free-text notes (replaced by visit_notes).
CREATE TABLE IF NOT EXISTS public.notes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  body text NOT NULL
);
`;

const MIGRATION = `-- ============================================================================
-- Migration: Visit notes and check-in time
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [ ] current_schema/02_extra.sql (Line 1: visit_notes added)
-- ============================================================================

ALTER TABLE public.visits ADD COLUMN IF NOT EXISTS checked_in_at timestamptz, ADD COLUMN IF NOT EXISTS room text DEFAULT 'A' CHECK (room <> '');
ALTER TABLE public.patients ADD COLUMN IF NOT EXISTS phone text;
ALTER TABLE public.patients DROP COLUMN IF EXISTS legacy_code;

CREATE TABLE IF NOT EXISTS public.visit_notes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  visit_id uuid NOT NULL REFERENCES public.visits(id) ON DELETE CASCADE,
  note text NOT NULL
);
ALTER TABLE public.visit_notes ENABLE ROW LEVEL SECURITY;
CREATE INDEX IF NOT EXISTS visit_notes_visit_id_idx ON public.visit_notes (visit_id);

CREATE INDEX IF NOT EXISTS visits_patient_id_idx ON public.visits (patient_id);

CREATE OR REPLACE FUNCTION public.visit_count(p uuid) RETURNS integer
LANGUAGE sql STABLE AS $$ SELECT count(*)::int FROM public.visits WHERE patient_id = p AND status = 'closed' $$;

DROP POLICY IF EXISTS patients_read ON public.patients;
CREATE POLICY patients_read ON public.patients FOR SELECT USING (auth_ok());

ALTER TYPE public.visit_kind ADD VALUE IF NOT EXISTS 'phone';

DROP TABLE IF EXISTS public.notes;
`;

const PRELUDE = `CREATE OR REPLACE FUNCTION public.auth_ok() RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;\n`;

const schema: SqlSource[] = [
  { path: 'current_schema/01_core.sql', text: PRELUDE + CORE },
  { path: 'current_schema/02_extra.sql', text: EXTRA },
];
const migrations: MigrationSource[] = [{ path: 'migration_history/2025-10-01_01_visit_notes.sql', text: MIGRATION, sourceOfTruthFiles: ['current_schema/02_extra.sql'] }];

function change(action: CatalogChange['action'], kind: CatalogChange['object']['kind'], key: string, extra: Partial<CatalogChange> = {}): CatalogChange {
  return { action, object: { kind, key }, message: `${kind} ${key} ${action}`, ...extra };
}

// What the catalog diff says current_schema/ lacks (added), has in excess (removed) or has differently (changed).
const CHANGES: CatalogChange[] = [
  change('added', 'column', 'public.visits.checked_in_at'),
  change('added', 'column', 'public.visits.room'),
  change('added', 'column', 'public.patients.phone'),
  change('removed', 'column', 'public.patients.legacy_code'),
  change('added', 'table', 'public.visit_notes'),
  change('added', 'index', 'public.visit_notes_visit_id_idx'),
  change('added', 'index', 'public.visits_patient_id_idx'),
  change('changed', 'function', 'public.visit_count(uuid)', { property: 'bodyHash' }),
  change('changed', 'policy', 'public.patients.patients_read', { property: 'using' }),
  change('changed', 'enum', 'public.visit_kind', { property: 'labels', before: ['in_person', 'video'], after: ['in_person', 'video', 'phone'] }),
  change('removed', 'table', 'public.notes'),
];

beforeAll(loadParser);

describe('planSchemaFix', () => {
  it('writes each change where a person would, keeping comments and layout', () => {
    const plan = planSchemaFix(schema, migrations, CHANGES);
    expect(plan.unwritable).toEqual([]);
    const core = plan.files.get('current_schema/01_core.sql')!;
    // New column after the last column, the trailing comment of the old last column stays on its line.
    expect(core).toContain("  full_name text NOT NULL, -- as the patient writes it\n  created_at timestamptz NOT NULL DEFAULT now(),\n  phone text\n);");
    expect(core).not.toContain('legacy_code');
    // Columns go before the table constraints.
    expect(core).toContain("  status text NOT NULL DEFAULT 'open',\n  checked_in_at timestamptz,\n  room text DEFAULT 'A' CHECK (room <> ''),\n  CONSTRAINT visits_status_check");
    // Function and policy replaced in place, comments above them kept.
    expect(core).toContain("-- Old helper, still here.\nCREATE OR REPLACE FUNCTION public.visit_count(p uuid) RETURNS integer\nLANGUAGE sql STABLE AS $$ SELECT count(*)::int FROM public.visits WHERE patient_id = p AND status = 'closed' $$;");
    expect(core).toContain('CREATE POLICY patients_read ON public.patients FOR SELECT USING (auth_ok());');
    expect(core).not.toContain('USING (true)');
    expect(core).toContain("CREATE TYPE public.visit_kind AS ENUM ('in_person', 'video', 'phone');");
    // The index on an existing table goes after the last statement about that table.
    expect(core.indexOf('visits_patient_id_idx')).toBeGreaterThan(core.indexOf('visits_status_check'));
    expect(core.indexOf('visits_patient_id_idx')).toBeLessThan(core.indexOf('CREATE TYPE public.visit_kind'));
    // The new table, with its RLS and index, goes to the file the header names; the dropped table is gone.
    const extra = plan.files.get('current_schema/02_extra.sql')!;
    expect(extra).not.toContain('public.notes');
    expect(extra).not.toContain('Free-text notes');
    expect(extra).toContain('-- Later domain.');
    expect(extra).toMatch(/CREATE TABLE IF NOT EXISTS public\.visit_notes[\s\S]*ENABLE ROW LEVEL SECURITY;\n\nCREATE INDEX IF NOT EXISTS visit_notes_visit_id_idx/);
    expect(plan.written.map((note) => note.file)).toContain('current_schema/02_extra.sql');
  });

  it('lists what it cannot write with the file to edit instead of guessing', () => {
    const plan = planSchemaFix(schema, migrations, [
      change('added', 'column', 'public.visits.priority'),
      change('changed', 'column', 'public.patients.full_name', { property: 'collation', message: 'column public.patients.full_name: collation changed' }),
    ]);
    expect(plan.files.size).toBe(0);
    expect(plan.unwritable.map((note) => [note.change.object.key, note.file])).toEqual([
      ['public.visits.priority', 'current_schema/01_core.sql'],
      ['public.patients.full_name', undefined],
    ]);
    expect(plan.unwritable[0]!.message).toMatch(/no migration ADD COLUMN/);
  });

  it('writes a new function before the trigger that uses it, and names a comment change as a change', () => {
    const touch = `-- ============================================================================
-- Migration: Touch trigger
-- ============================================================================

CREATE OR REPLACE FUNCTION public.touch_created_at()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.created_at := now();
  RETURN NEW;
END;
$$;

DROP TRIGGER IF EXISTS trg_patients_touch ON public.patients;
CREATE TRIGGER trg_patients_touch BEFORE UPDATE ON public.patients FOR EACH ROW EXECUTE FUNCTION public.touch_created_at();

COMMENT ON COLUMN public.patients.created_at IS 'Set by trg_patients_touch';
`;
    const plan = planSchemaFix(schema, [{ path: 'migration_history/2025-10-02_02_touch.sql', text: touch }], [
      change('changed', 'column', 'public.patients.created_at', { property: 'comment' }),
      change('added', 'trigger', 'public.patients.trg_patients_touch'),
      change('added', 'function', 'public.touch_created_at()'),
    ]);
    expect(plan.unwritable).toEqual([]);
    // current_schema/ builds in file order: the function the fix would append at the end of the last file comes before its trigger.
    const core = plan.files.get('current_schema/01_core.sql')!;
    expect(core.indexOf('CREATE OR REPLACE FUNCTION public.touch_created_at()')).toBeGreaterThan(-1);
    expect(core.indexOf('CREATE OR REPLACE FUNCTION public.touch_created_at()')).toBeLessThan(core.indexOf('CREATE TRIGGER trg_patients_touch'));
    expect(plan.files.get('current_schema/02_extra.sql')).toBeUndefined();
    expect(plan.written.map((note) => note.message)).toEqual([
      "added the history's changes to column public.patients.created_at beside table public.patients",
      'added trigger public.patients.trg_patients_touch beside table public.patients',
      'added function public.touch_created_at() from migration_history/2025-10-02_02_touch.sql, before its first use',
    ]);
  });

  it("carries what the history did to a new column and constraint after adding them (a comment, a VALIDATE)", () => {
    const noShow = `ALTER TABLE public.visits ADD COLUMN IF NOT EXISTS no_show_reason text;
COMMENT ON COLUMN public.visits.no_show_reason IS 'Why the patient did not come';
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'visits_no_show_check') THEN
    ALTER TABLE public.visits ADD CONSTRAINT visits_no_show_check CHECK (status <> 'no_show' OR no_show_reason IS NOT NULL) NOT VALID;
  END IF;
END $$;
ALTER TABLE public.visits VALIDATE CONSTRAINT visits_no_show_check;
`;
    const plan = planSchemaFix(schema, [{ path: 'migration_history/2025-10-02_02_no_show.sql', text: noShow }], [
      change('added', 'column', 'public.visits.no_show_reason'),
      change('added', 'constraint', 'public.visits.visits_no_show_check'),
    ]);
    expect(plan.unwritable).toEqual([]);
    const core = plan.files.get('current_schema/01_core.sql')!;
    expect(core).toContain("  status text NOT NULL DEFAULT 'open',\n  no_show_reason text,\n  CONSTRAINT visits_status_check");
    expect(core).toContain("COMMENT ON COLUMN public.visits.no_show_reason IS 'Why the patient did not come';");
    // NOT VALID, then validated: the schema file holds a validated constraint too.
    expect(core.indexOf('ALTER TABLE public.visits VALIDATE CONSTRAINT visits_no_show_check;')).toBeGreaterThan(core.indexOf('NOT VALID'));
  });

  it('leaves a new function at the end when nothing earlier uses it', () => {
    const helper = `CREATE OR REPLACE FUNCTION public.patient_initials(p_name text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT left(p_name, 1) $$;
`;
    const plan = planSchemaFix(schema, [{ path: 'migration_history/2025-10-02_02_helper.sql', text: helper }], [change('added', 'function', 'public.patient_initials(text)')]);
    expect(plan.files.get('current_schema/02_extra.sql')!.endsWith(helper)).toBe(true);
    expect(plan.written[0]!.message).not.toContain('before its first use');
  });

  it('writes an extension the history creates at the top of the first file, before anything that may use it', () => {
    const migration: MigrationSource = { path: 'migration_history/2025-10-03_02_vector.sql', text: 'CREATE EXTENSION IF NOT EXISTS vector;\nCREATE EXTENSION IF NOT EXISTS btree_gin;\n' };
    const plan = planSchemaFix(schema, [migration], [change('added', 'extension', 'vector'), change('added', 'extension', 'btree_gin')]);
    expect(plan.unwritable).toEqual([]);
    expect(plan.files.get('current_schema/01_core.sql')!.startsWith('CREATE EXTENSION IF NOT EXISTS vector;\n\nCREATE EXTENSION IF NOT EXISTS btree_gin;\n\nCREATE OR REPLACE FUNCTION public.auth_ok()')).toBe(true);
    const withOpening = planSchemaFix([{ path: 'current_schema/01_core.sql', text: `-- File comment.\n\n${CORE}` }], [migration], [change('added', 'extension', 'vector')]);
    expect(withOpening.files.get('current_schema/01_core.sql')!.startsWith('-- File comment.\n\nCREATE EXTENSION IF NOT EXISTS vector;\n\n-- Core tables')).toBe(true);
  });

  it('removes the last column of a table with the comma before it', () => {
    const plan = planSchemaFix(schema, [], [change('removed', 'column', 'public.patients.created_at')]);
    expect(plan.files.get('current_schema/01_core.sql')).toContain('  legacy_code text\n);');
  });
});

describe('planSchemaFix on a real server', async () => {
  const available = await serverAvailable('fix-schema round trip');
  it.skipIf(!available)('the fixed current_schema/ builds the same schema as current_schema/ plus the migration (pg_dump)', async () => {
    const asHistory = await createTestDatabase('fix_history');
    const asFixed = await createTestDatabase('fix_fixed');
    try {
      const history = await asHistory.admin();
      for (const file of schema) await history.query(file.text);
      await history.query(MIGRATION);
      const fixed = await asFixed.admin();
      const plan = planSchemaFix(schema, migrations, CHANGES);
      for (const file of schema) await fixed.query(plan.files.get(file.path) ?? file.text);
      const dump = (url: string) => execFileSync('pg_dump', ['--schema-only', '--no-owner', '--no-privileges', url], { encoding: 'utf8' }).replace(/^(--|\\(un)?restrict ).*$/gm, '');
      expect(dump(asFixed.url)).toEqual(dump(asHistory.url));
    } finally {
      await asHistory.drop();
      await asFixed.drop();
    }
  });
});
