import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../config/defaults.js';
import type { PgwardenConfig } from '../config/types.js';
import { parseMigration } from '../migration/index.js';
import { RULE_IDS } from '../rules/registry.js';
import type { Finding } from '../rules/types.js';
import { appliesTo, enabledRuleIds, lint, lintSource, toRelPath } from './engine.js';

const SCHEMA = `-- core tables
CREATE TABLE IF NOT EXISTS public.visits (
  id uuid PRIMARY KEY,
  note text
);
`;

/** A migration that follows the convention; its only finding is access-exclusive-lock (info) on the ALTER. */
function migration(date: string, body = 'ALTER TABLE public.visits ADD COLUMN IF NOT EXISTS note text;\n', executed = '[ ] Not yet executed'): string {
  return `-- ============================================================================
-- Migration: Add a note to visits
-- Date: ${date}
-- Issue: Clinicians need free-text notes
--
-- PROBLEM: There is nowhere to write a note.
-- SOLUTION: Add a column.
-- AFFECTED TABLES: visits
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/01_core.sql (Line 4: visits.note added)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [N/A] TypeScript types updated (if applicable)
--
-- MIGRATION EXECUTED:
--   ${executed}
-- ============================================================================

${body}
-- VERIFY: SELECT count(*) = 1 FROM information_schema.columns WHERE table_name = 'visits' AND column_name = 'note'
`;
}

const BODY_LINE = 21; // the first body line of migration()

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'pgwarden-engine-'));
  write('current_schema/01_core.sql', SCHEMA);
  mkdirSync(join(root, 'migration_history'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function write(relPath: string, content: string | Buffer): string {
  const path = join(root, relPath);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

function config(overrides: Partial<PgwardenConfig> = {}): PgwardenConfig {
  return { ...defaultConfig(root), ...overrides };
}

/** Findings as [file base name, line, rule] for compact assertions. */
const brief = (findings: readonly Finding[]) => findings.map((f) => [f.file.split('/').at(-1), f.line, f.rule]);

const QUIET = { rules: { 'access-exclusive-lock': 'off' } } as const;

describe('lint: which files', () => {
  it('a clean history: no findings; every file is linted', async () => {
    write('migration_history/2025-01-01_01_add_visit_note.sql', migration('2025-01-01'));
    write('migration_history/2025-01/2025-01-02_02_add_visit_note_again.sql', migration('2025-01-02'));
    const result = await lint(config(QUIET));
    expect(result).toEqual({ findings: [], filesLinted: 2 });
  });

  it('the baseline migration really has one finding: access-exclusive-lock, info, on the ALTER', async () => {
    write('migration_history/2025-01-01_01_add_visit_note.sql', migration('2025-01-01'));
    const { findings } = await lint(config());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      file: 'migration_history/2025-01-01_01_add_visit_note.sql',
      line: BODY_LINE,
      column: 1,
      endLine: BODY_LINE,
      endColumn: 'ALTER TABLE public.visits ADD COLUMN IF NOT EXISTS note text'.length + 1,
      rule: 'access-exclusive-lock',
      severity: 'info',
    });
  });

  it('no migrations folder: nothing to lint, no error', async () => {
    rmSync(join(root, 'migration_history'), { recursive: true });
    expect(await lint(config())).toEqual({ findings: [], filesLinted: 0 });
  });

  it('whole history: a duplicated sequence number is reported on both files', async () => {
    write('migration_history/2025-01-01_01_add_visit_note.sql', migration('2025-01-01'));
    write('migration_history/2025-01-02_01_add_visit_note_again.sql', migration('2025-01-02'));
    const { findings, filesLinted } = await lint(config(QUIET));
    expect(filesLinted).toBe(2);
    expect(brief(findings)).toEqual([
      ['2025-01-01_01_add_visit_note.sql', 1, 'sequence-number'],
      ['2025-01-02_01_add_visit_note_again.sql', 1, 'sequence-number'],
    ]);
    expect(findings[1]!.message).toContain('sequence number 01 is also used by migration_history/2025-01-01_01_add_visit_note.sql');
  });

  it('given paths: only those files are linted, but cross-file rules still see the rest of the history', async () => {
    write('migration_history/2025-01-01_01_add_visit_note.sql', migration('2025-01-01'));
    const staged = write('migration_history/2025-01-02_01_add_visit_note_again.sql', migration('2025-01-02'));
    const relative = await lint(config(QUIET), { paths: ['migration_history/2025-01-02_01_add_visit_note_again.sql'] });
    expect(relative.filesLinted).toBe(1);
    expect(brief(relative.findings)).toEqual([['2025-01-02_01_add_visit_note_again.sql', 1, 'sequence-number']]);
    expect(relative.findings[0]!.message).toContain('migration_history/2025-01-01_01_add_visit_note.sql');

    const absolute = await lint(config(QUIET), { paths: [staged] });
    expect(absolute).toEqual(relative);
  });

  it('given paths: a file outside the migrations folder is linted and still compared with the history', async () => {
    write('migration_history/2025-01-01_01_add_visit_note.sql', migration('2025-01-01'));
    write('elsewhere/2024-12-31_05_add_visit_note_early.sql', migration('2024-12-31'));
    const { findings } = await lint(config(QUIET), { paths: ['elsewhere/2024-12-31_05_add_visit_note_early.sql'] });
    expect(brief(findings)).toEqual([['2024-12-31_05_add_visit_note_early.sql', 1, 'sequence-number']]);
    expect(findings[0]!.file).toBe('elsewhere/2024-12-31_05_add_visit_note_early.sql');
    expect(findings[0]!.message).toContain('out of date order');
  });

  it('a history passed by the caller is used as read, not read again from disk', async () => {
    const staged = write('migration_history/2025-01-02_01_add_visit_note_again.sql', migration('2025-01-02'));
    // Known only to the caller (never written): its sequence number still conflicts, and it is not reported unreadable.
    const path = join(root, 'migration_history/2025-01-01_01_add_visit_note.sql');
    const known = parseMigration({ path, relPath: 'migration_history/2025-01-01_01_add_visit_note.sql', text: migration('2025-01-01') });
    const { findings } = await lint(config(QUIET), { paths: [staged], history: [known] });
    expect(brief(findings)).toEqual([['2025-01-02_01_add_visit_note_again.sql', 1, 'sequence-number']]);
    expect(findings[0]!.message).toContain('migration_history/2025-01-01_01_add_visit_note.sql');
  });

  it('a migrations "folder" that is a file is a one-line configuration error (exit 2), not an empty history', async () => {
    rmSync(join(root, 'migration_history'), { recursive: true, force: true });
    write('migration_history', 'oops');
    const failure = await lint(config(QUIET)).then(
      () => undefined,
      (error: { userMessage?: string; exitCode?: number }) => error,
    );
    expect(failure?.exitCode).toBe(2);
    expect(failure?.userMessage).toBe(`The migrations directory ${join(root, 'migration_history')} is not a directory.`);
  });

  it('an empty paths array lints the whole history', async () => {
    write('migration_history/2025-01-01_01_add_visit_note.sql', migration('2025-01-01'));
    write('migration_history/2025-01-02_02_add_visit_note_again.sql', migration('2025-01-02'));
    expect((await lint(config(QUIET), { paths: [] })).filesLinted).toBe(2);
  });
});

describe('lint: configuration', () => {
  it('a rule turned off in config.rules does not run', async () => {
    write('migration_history/2025-01-01_01_add_visit_note.sql', migration('2025-01-01'));
    expect((await lint(config())).findings.map((f) => f.rule)).toEqual(['access-exclusive-lock']);
    expect((await lint(config({ rules: { 'access-exclusive-lock': 'off' } }))).findings).toEqual([]);
    expect(enabledRuleIds(config({ rules: { 'access-exclusive-lock': 'off', 'no-emoji': 'warning' } }))).toEqual(
      RULE_IDS.filter((id) => id !== 'access-exclusive-lock'),
    );
  });

  it('the configured severity replaces the default one', async () => {
    write('migration_history/2025-01-01_01_add_visit_note.sql', migration('2025-01-01'));
    const { findings } = await lint(config({ rules: { 'access-exclusive-lock': 'error' } }));
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['access-exclusive-lock', 'error']]);
    write('migration_history/2025-01-02_01_add_visit_note_again.sql', migration('2025-01-02'));
    const downgraded = await lint(config({ rules: { 'access-exclusive-lock': 'off', 'sequence-number': 'warning' } }));
    expect(downgraded.findings.map((f) => [f.rule, f.severity])).toEqual([
      ['sequence-number', 'warning'],
      ['sequence-number', 'warning'],
    ]);
  });

  it('a rule that crashes is reported as an error finding; the other rules still report', async () => {
    write('migration_history/2025-01-01_01_add_visit_note.sql', migration('2025-01-01', 'BEGIN;\nALTER TABLE public.visits ADD COLUMN IF NOT EXISTS note text;\nCOMMIT;\n'));
    const broken = config();
    // access-exclusive-lock reads lockTimeout for its hint; the engine itself never does.
    Object.defineProperty(broken, 'lockTimeout', {
      get() {
        throw new Error('boom');
      },
    });
    const { findings } = await lint(broken);
    const crash = findings.filter((f) => f.rule === 'access-exclusive-lock');
    expect(crash).toHaveLength(1);
    expect(crash[0]).toMatchObject({ severity: 'error', message: 'internal error in rule access-exclusive-lock: boom', line: 1, column: 1 });
    expect(findings.filter((f) => f.rule === 'transaction-control').map((f) => f.line)).toEqual([BODY_LINE, BODY_LINE + 2]);
  });

  it('appliesTo: a rule runs only inside its meta.postgres range (inclusive; absent bounds are open)', () => {
    const meta = (postgres?: { min?: number; max?: number }) => ({
      meta: { id: 'x', category: 'meta' as const, defaultSeverity: 'error' as const, description: '', docs: '', postgres },
    });
    expect(appliesTo(meta(), 12)).toBe(true);
    expect(appliesTo(meta({ min: 14 }), 13)).toBe(false);
    expect(appliesTo(meta({ min: 14 }), 14)).toBe(true);
    expect(appliesTo(meta({ max: 13 }), 14)).toBe(false);
    expect(appliesTo(meta({ min: 12, max: 15 }), 15)).toBe(true);
    expect(appliesTo(meta({ min: 12, max: 15 }), 16)).toBe(false);
  });
});

describe('lint: findings', () => {
  it('are sorted by file, line, column, then rule order', async () => {
    // File b: BEGIN on the first body line and an emoji later; file a: a duplicate sequence number on line 1.
    write(
      'migration_history/2025-01-02_01_b_second.sql',
      migration('2025-01-02', "BEGIN;\nALTER TABLE public.visits ADD COLUMN IF NOT EXISTS note text;\nCOMMENT ON COLUMN public.visits.note IS 'free text 🩺';\nCOMMIT;\n"),
    );
    write('migration_history/2025-01-01_01_a_first.sql', migration('2025-01-01'));
    const { findings } = await lint(config());
    const files = findings.map((f) => f.file);
    expect(new Set(files).size).toBe(2);
    const sorted = [...findings].sort(
      (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || RULE_IDS.indexOf(a.rule as never) - RULE_IDS.indexOf(b.rule as never),
    );
    expect(findings).toEqual(sorted);
    expect(findings[0]!.file).toBe('migration_history/2025-01-01_01_a_first.sql');
    const lines = findings.filter((f) => f.file.endsWith('b_second.sql')).map((f) => f.line);
    expect(lines).toEqual([...lines].sort((x, y) => x - y));
    expect(new Set(lines).size).toBeGreaterThan(2);
  });

  it('a statement ignore inside a DO block silences the statement below it, not the next top-level statement', async () => {
    const body = `DO $$
BEGIN
  -- pgwarden-ignore idempotent-create -- created by the bootstrap job, never twice
  CREATE TABLE public.visit_x (id int);
END
$$;

CREATE TABLE public.visit_y (id int);
`;
    write('migration_history/2025-01-01_01_add_visit_note.sql', migration('2025-01-01', body));
    const { findings } = await lint(config({ rules: { 'idempotent-create': 'error' } }), {});
    const idempotent = findings.filter((f) => f.rule === 'idempotent-create' || f.rule === 'unused-ignore');
    expect(idempotent.map((f) => [f.rule, f.line])).toEqual([['idempotent-create', BODY_LINE + 7]]);
    expect(idempotent[0]!.message).toContain('public.visit_y');
  });

  it('a file ignore silences a rule everywhere and is not reported as unused', async () => {
    write(
      'migration_history/2025-01-01_01_add_visit_note.sql',
      migration('2025-01-01', '-- pgwarden-ignore-file access-exclusive-lock -- small table\nALTER TABLE public.visits ADD COLUMN IF NOT EXISTS note text;\n'),
    );
    expect((await lint(config())).findings).toEqual([]);
  });

  it('readable-file: a directory passed as a path is the only finding for it', async () => {
    write('migration_history/2025-01-01_01_add_visit_note.sql', migration('2025-01-01'));
    mkdirSync(join(root, 'migration_history', '2025-01-02_02_folder.sql'));
    // Discovery skips the folder; passed explicitly it is reported.
    expect((await lint(config(QUIET))).filesLinted).toBe(1);
    const { findings, filesLinted } = await lint(config(QUIET), { paths: ['migration_history/2025-01-02_02_folder.sql'] });
    expect(filesLinted).toBe(1);
    expect(findings).toEqual([
      {
        file: 'migration_history/2025-01-02_02_folder.sql',
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 1,
        rule: 'readable-file',
        severity: 'error',
        message: '2025-01-02_02_folder.sql is a directory, not a file',
        hint: 'pass migration files, not folders; a folder whose name ends in .sql is not a migration',
      },
    ]);
  });

  it('readable-file: a binary file in the history and a missing path', async () => {
    write('migration_history/2025-01-01_01_add_visit_note.sql', migration('2025-01-01'));
    write('migration_history/2025-01-02_02_blob.sql', Buffer.from([0x53, 0x45, 0x0a, 0x00, 0x01, 0x02]));
    const { findings } = await lint(config(QUIET));
    expect(brief(findings)).toEqual([['2025-01-02_02_blob.sql', 2, 'readable-file']]);
    expect(findings[0]!.message).toBe('2025-01-02_02_blob.sql contains a NUL byte (line 2), so it looks like a binary file, not SQL');

    const missing = await lint(config(QUIET), { paths: ['migration_history/2025-01-03_03_gone.sql'] });
    expect(missing.findings.map((f) => [f.rule, f.message])).toEqual([['readable-file', '2025-01-03_03_gone.sql does not exist']]);
  });

  it('previousText (absolute path -> text) feeds executed-immutable', async () => {
    const executed = '[X] production 2025-01-05 by maria (120 ms)';
    const before = migration('2025-01-01', 'ALTER TABLE public.visits ADD COLUMN IF NOT EXISTS note text;\n', executed);
    const after = migration('2025-01-01', 'ALTER TABLE public.visits ADD COLUMN IF NOT EXISTS note varchar(200);\n', executed);
    const path = write('migration_history/2025-01-01_01_add_visit_note.sql', after);

    const unchanged = await lint(config(QUIET), { previousText: new Map([[path, after]]) });
    expect(unchanged.findings).toEqual([]);

    const changed = await lint(config(QUIET), { paths: [path], previousText: new Map([[path, before]]) });
    expect(brief(changed.findings)).toEqual([['2025-01-01_01_add_visit_note.sql', BODY_LINE, 'executed-immutable']]);
    expect(changed.findings[0]!.message).toContain('executed on production 2025-01-05');

    // Without a previous version there is nothing to compare.
    expect((await lint(config(QUIET))).findings).toEqual([]);
  });
});

describe('lintSource (programmatic API)', () => {
  it('lints in-memory text with the configured rules; findings carry the relative path', async () => {
    const findings = await lintSource(config(), { relPath: 'migration_history/2025-01-01_01_add_visit_note.sql', text: migration('2025-01-01') });
    expect(brief(findings)).toEqual([['2025-01-01_01_add_visit_note.sql', BODY_LINE, 'access-exclusive-lock']]);
    expect(findings[0]!.file).toBe('migration_history/2025-01-01_01_add_visit_note.sql');
  });

  it('checks cross-file rules against the given history, replacing a history entry with the same path', async () => {
    const other = parseMigration({
      path: join(root, 'migration_history/2025-01-02_01_other.sql'),
      relPath: 'migration_history/2025-01-02_01_other.sql',
      text: migration('2025-01-02'),
    });
    const stale = parseMigration({
      path: join(root, 'migration_history/2025-01-01_01_add_visit_note.sql'),
      relPath: 'migration_history/2025-01-01_01_add_visit_note.sql',
      text: 'stale',
    });
    const findings = await lintSource(config(QUIET), {
      relPath: 'migration_history/2025-01-01_01_add_visit_note.sql',
      text: migration('2025-01-01'),
      history: [other, stale],
    });
    expect(brief(findings)).toEqual([['2025-01-01_01_add_visit_note.sql', 1, 'sequence-number']]);
    expect(findings[0]!.message).toBe(
      'sequence number 01 is also used by migration_history/2025-01-02_01_other.sql: NN is a running number across the whole history, not a per-day counter',
    );
  });

  it('runs only the rule ids it is given, and applies previousText', async () => {
    const text = `${migration('2025-01-01')}BEGIN;\n`;
    const only = await lintSource(config(), { relPath: 'migration_history/2025-01-01_01_add_visit_note.sql', text }, ['transaction-control']);
    expect(only.map((f) => f.rule)).toEqual(['transaction-control']);

    const executed = migration('2025-01-01', 'SELECT 1;\n', '[X] production 2025-01-05 by maria (120 ms)');
    const changed = await lintSource(
      config(),
      { relPath: 'migration_history/2025-01-01_01_add_visit_note.sql', text: executed.replace('SELECT 1', 'SELECT 2'), previousText: executed },
      ['executed-immutable'],
    );
    expect(changed.map((f) => [f.rule, f.line])).toEqual([['executed-immutable', BODY_LINE]]);
  });
});

describe('toRelPath', () => {
  it('makes absolute paths root-relative with forward slashes; keeps relative ones', () => {
    expect(toRelPath('/repo', '/repo/migration_history/a.sql')).toBe('migration_history/a.sql');
    expect(toRelPath('/repo', 'migration_history/a.sql')).toBe('migration_history/a.sql');
  });
});

describe('lint: executed migrations are history', () => {
  const RULE_LINE = `-- ${'='.repeat(76)}`;
  const header = (executed: string) =>
    [RULE_LINE, '-- Migration: Create clinics', '-- Date: 2025-09-01', '-- AFFECTED TABLES: clinics', '-- DOWNSTREAM UPDATES:', '--   [X] Types updated', executed, RULE_LINE, ''].join('\n');
  const BODY = 'CREATE TABLE public.clinics (id uuid PRIMARY KEY);\n';
  const relPath = 'migration_history/2025-09-01_01_create_clinics.sql';
  const rules = (findings: Finding[]) => [...new Set(findings.map((finding) => finding.rule))].sort();

  it('only the integrity rules judge a migration with completion marks, a record, or at or before the baseline', async () => {
    const config = defaultConfig('/repo');
    const open = await lintSource(config, { relPath, text: `${header('--   [ ] Executed')}${BODY}` });
    expect(rules(open)).toEqual(expect.arrayContaining(['header-fields', 'idempotent-create', 'rls-on-new-table']));
    expect(await lintSource(config, { relPath, text: `${header('-- MIGRATION EXECUTED:\n--   Applied on 2025-09-02.')}${BODY}` })).toEqual([]);
    expect(await lintSource(config, { relPath, text: `${header('-- MIGRATION EXECUTED:\n--   [X] production 2025-09-02 by ci')}${BODY}` })).toEqual([]);
    expect(await lintSource({ ...config, baseline: '2025-09-01_01' }, { relPath, text: `${header('--   [ ] Executed')}${BODY}` })).toEqual([]);
    // Near miss: a baseline before this version leaves it to be linted in full.
    expect(rules(await lintSource({ ...config, baseline: '2025-08-31_99' }, { relPath, text: `${header('--   [ ] Executed')}${BODY}` }))).toEqual(rules(open));
  });

  it('still reports a syntax error in an executed migration: it must stay replayable', async () => {
    const text = `${header('-- MIGRATION EXECUTED:\n--   [X] production 2025-09-02 by ci')}ALTER TABLE public.clinics ADD CONSTRAINT IF NOT EXISTS c UNIQUE (id);\n`;
    expect(rules(await lintSource(defaultConfig('/repo'), { relPath, text }))).toEqual(['syntax']);
  });
});

describe('lint: the schema model of the history', () => {
  const files = {
    'migration_history/2025-02-01_01_add_visit_owner.sql': migration(
      '2025-02-01',
      'ALTER TABLE public.visits ADD COLUMN IF NOT EXISTS owner_id uuid;\nALTER TABLE public.visits ADD CONSTRAINT visits_owner_nn CHECK (owner_id IS NOT NULL) NOT VALID;\n',
    ),
    'migration_history/2025-02-02_02_validate_visit_owner.sql': migration('2025-02-02', 'ALTER TABLE public.visits VALIDATE CONSTRAINT visits_owner_nn;\n'),
    'migration_history/2025-02-03_03_require_visit_owner.sql': migration('2025-02-03', 'ALTER TABLE public.visits ALTER COLUMN owner_id SET NOT NULL;\n'),
  };
  const setNotNull = (findings: readonly Finding[]) => brief(findings.filter((finding) => finding.rule === 'set-not-null'));

  it('is the same whether the history is linted in order, in reverse or one file at a time', async () => {
    for (const [relPath, text] of Object.entries(files)) write(relPath, text);
    const paths = Object.keys(files);
    const inOrder = await lint(config(QUIET));
    const reversed = await lint(config(QUIET), { paths: [...paths].reverse() });
    const lastOnly = await lint(config(QUIET), { paths: [paths[2]!] });
    // The CHECK validated in 02 proves owner_id NOT NULL for 03: no full-table scan under the lock.
    expect(setNotNull(inOrder.findings)).toEqual([]);
    expect(sortedBrief(reversed.findings)).toEqual(sortedBrief(inOrder.findings));
    expect(brief(lastOnly.findings)).toEqual(brief(inOrder.findings.filter((finding) => finding.file.endsWith(paths[2]!))));
  });

  it('near miss: without the validating migration, SET NOT NULL scans the table', async () => {
    const [first, , last] = Object.entries(files);
    for (const [relPath, text] of [first!, last!]) write(relPath, text);
    expect(setNotNull((await lint(config(QUIET))).findings)).toEqual([['2025-02-03_03_require_visit_owner.sql', BODY_LINE, 'set-not-null']]);
  });
});

const sortedBrief = (findings: readonly Finding[]) => brief(findings).map((entry) => JSON.stringify(entry)).sort();
