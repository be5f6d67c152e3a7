/**
 * Adoption on an existing history, end to end with the built binary in real temporary git
 * repositories: `pgwarden baseline` turns an old history into history (only integrity rules),
 * the next new migration is linted in full, and `pgwarden lint --changed [REV]` lints only the
 * files added or modified since REV with the whole history as context.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, CliWorkspace, cleanupWorkspaces } from '../support/cli-workspace.js';

interface JsonFinding {
  file: string;
  line: number;
  rule: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

/** A migration written the way an older history often is: no header fences, no IF NOT EXISTS, no RLS, no rollback. */
function legacy(title: string, sql: string): string {
  return `-- Migration: ${title}\n-- Date: someday\n--\n${sql}\n`;
}

const HISTORY: Record<string, string> = {
  'migration_history/2024-01-10_01_create_visits.sql': legacy('Create visits', 'CREATE TABLE public.visits (id uuid PRIMARY KEY, clinic_id uuid);'),
  'migration_history/2024-01-11_02_add_visit_notes.sql': legacy('Visit notes', 'CREATE TABLE public.visit_notes (id uuid PRIMARY KEY, visit_id uuid, body text);\nDROP TABLE public.old_notes;'),
  'migration_history/archive/2024-01-12_03_backfill.sql': legacy('Backfill', "INSERT INTO public.visit_notes (id, body) VALUES (gen_random_uuid(), 'x');"),
};

/** A new migration with the same mistakes: it must be linted in full. */
const NEW_FILE = 'migration_history/2024-02-01_04_add_visit_tags.sql';
const NEW_SQL = legacy('Visit tags', 'CREATE TABLE public.visit_tags (id uuid PRIMARY KEY, label text);');

function git(ws: CliWorkspace, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: ws.root, stdio: 'pipe' }).toString('utf8');
}

function historyRepo(): CliWorkspace {
  const ws = new CliWorkspace({ migrations: false, schema: false, config: {} });
  for (const [path, text] of Object.entries(HISTORY)) ws.write(path, text);
  git(ws, 'init', '-q', '-b', 'main');
  git(ws, 'add', '-A');
  git(ws, 'commit', '-q', '-m', 'history');
  return ws;
}

async function lintJson(ws: CliWorkspace, args: string[] = []): Promise<{ code: number | null; findings: JsonFinding[]; stderr: string }> {
  const result = await ws.run(['lint', '--format', 'json', ...args]);
  return { code: result.code, findings: result.stdout ? (JSON.parse(result.stdout) as JsonFinding[]) : [], stderr: result.stderr };
}

const errorsIn = (findings: JsonFinding[]) => findings.filter((finding) => finding.severity === 'error');

beforeAll(() => assertBuilt());
afterAll(() => cleanupWorkspaces());

describe.concurrent('adoption on an existing history', () => {
  it('pgwarden baseline: the existing history then reports no error, and the next new migration is linted in full', async () => {
    const ws = historyRepo();
    const before = await lintJson(ws);
    expect(before.code).toBe(1);
    expect(new Set(errorsIn(before.findings).map((finding) => finding.file))).toEqual(new Set(Object.keys(HISTORY)));

    // Headers that record no execution cannot say which migrations ran: the user names the last one.
    const baseline = await ws.run(['baseline', '2024-01-12_03']);
    expect(baseline.stderr).toBe('');
    expect(baseline.code).toBe(0);
    expect(baseline.stdout).toBe('baseline 2024-01-12_03 written to pgwarden.config.json: 3 migrations now count as executed\n');
    expect(JSON.parse(ws.read('pgwarden.config.json'))).toEqual({ baseline: '2024-01-12_03' });

    const after = await lintJson(ws);
    expect(after.code).toBe(0);
    expect(errorsIn(after.findings)).toEqual([]);

    ws.write(NEW_FILE, NEW_SQL);
    const next = await lintJson(ws);
    expect(next.code).toBe(1);
    const rules = new Set(next.findings.map((finding) => finding.rule));
    expect(next.findings.every((finding) => finding.file === NEW_FILE)).toBe(true);
    for (const rule of ['header-present', 'header-date', 'idempotent-create', 'rls-on-new-table']) expect(rules).toContain(rule);

    // A new file's sequence number is still checked against the whole (executed) history.
    ws.write('migration_history/2024-02-02_03_duplicate_number.sql', NEW_SQL.replace('visit_tags', 'visit_flags'));
    const duplicate = await lintJson(ws, ['migration_history/2024-02-02_03_duplicate_number.sql']);
    expect(duplicate.findings.map((finding) => finding.rule)).toContain('sequence-number');
    ws.cleanup();
  });

  it('an executed history still gets the integrity rules: its SQL must not change', async () => {
    const ws = historyRepo();
    expect((await ws.run(['baseline', '2024-01-12_03'])).code).toBe(0);
    git(ws, 'add', '-A');
    git(ws, 'commit', '-q', '-m', 'baseline');
    ws.edit('migration_history/2024-01-10_01_create_visits.sql', 'clinic_id uuid', 'clinic_id bigint');
    const result = await lintJson(ws, ['--since', 'HEAD']);
    expect(result.code).toBe(1);
    expect(result.findings.map((finding) => [finding.file, finding.rule])).toEqual([['migration_history/2024-01-10_01_create_visits.sql', 'executed-immutable']]);
    ws.cleanup();
  });

  it('a baseline that is not a version is a one-line configuration error', async () => {
    const ws = new CliWorkspace({ migrations: false, schema: false, config: { baseline: 'yesterday' } });
    ws.write(NEW_FILE, NEW_SQL);
    const result = await ws.run(['lint']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"baseline" must be a migration version YYYY-MM-DD_NN');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    ws.cleanup();
  });

  it('pgwarden baseline without any migration says so and changes nothing', async () => {
    const ws = new CliWorkspace({ migrations: false, schema: false, config: {} });
    const result = await ws.run(['baseline']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^pgwarden: no migration with a YYYY-MM-DD_NN_ name in .*migration_history: there is no history to baseline\n$/);
    expect(JSON.parse(ws.read('pgwarden.config.json'))).toEqual({});
    ws.cleanup();
  });
});

/** A migration written to the convention; `executed` ticks every box and records the execution, else it says "[ ] Not yet executed". */
function conventional(version: string, executed: boolean): string {
  const box = executed ? '[X]' : '[ ]';
  return [
    '-- ============================================================================',
    `-- Migration: Create table ${version}`,
    `-- Date: ${version.slice(0, 10)}`,
    '-- Issue: adoption test',
    '--',
    '-- SOURCE OF TRUTH SCHEMA UPDATED:',
    `--   ${box} current_schema/01_tables.sql (Line 1: table added)`,
    '--',
    '-- MIGRATION EXECUTED:',
    `--   ${executed ? `[X] Executed ${version.slice(0, 10)}` : '[ ] Not yet executed'}`,
    '-- ============================================================================',
    '',
    // No IF NOT EXISTS: idempotent-create reports it while the migration is still to run.
    `CREATE TABLE public.t_${version.slice(-2)} (id bigint PRIMARY KEY);`,
    '',
  ].join('\n');
}

/** The team's own formatting (4 spaces, inline objects): baseline must not touch it. */
const TEAM_CONFIG = '{\n    "$schema": "./node_modules/@pgwarden/core/pgwarden.schema.json",\n    "environments": { "local": {} },\n    "rules": {"header-present": "warning", "rls-on-new-table": "off"}\n}\n';

function conventionalRepo(executed: Record<string, boolean>, config = TEAM_CONFIG): CliWorkspace {
  const ws = new CliWorkspace({ migrations: false, schema: false, config });
  for (const [version, done] of Object.entries(executed)) ws.write(`migration_history/${version}_create_t.sql`, conventional(version, done));
  return ws;
}

describe.concurrent('pgwarden baseline: the last migration already executed, one key of the config changed', () => {
  const HISTORY_STATE = { '2025-10-01_01': true, '2025-10-02_02': true, '2025-10-03_03': true, '2025-10-10_04': false, '2025-10-11_05': false };

  it('defaults to the newest migration whose header records an execution; the pending ones stay linted in full', async () => {
    const ws = conventionalRepo(HISTORY_STATE);
    const result = await ws.run(['baseline']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('baseline 2025-10-03_03 written to pgwarden.config.json: 3 migrations now count as executed; 2 after it still to run\n');
    expect(ws.read('pgwarden.config.json')).toBe(TEAM_CONFIG.replace('"off"}\n}', '"off"},\n    "baseline": "2025-10-03_03"\n}'));

    const lint = await lintJson(ws);
    const pending = new Set(lint.findings.filter((finding) => finding.rule === 'idempotent-create').map((finding) => finding.file));
    expect(pending).toEqual(new Set(['migration_history/2025-10-10_04_create_t.sql', 'migration_history/2025-10-11_05_create_t.sql']));

    // Run again: same version, the file byte for byte as it was.
    const written = ws.read('pgwarden.config.json');
    expect((await ws.run(['baseline'])).code).toBe(0);
    expect(ws.read('pgwarden.config.json')).toBe(written);
    ws.cleanup();
  });

  it('a baseline that covered pending migrations is moved back in place, the rest of the file untouched', async () => {
    const config = TEAM_CONFIG.replace('"environments"', '"baseline":   "2025-10-11_05",\n    "environments"');
    const ws = conventionalRepo(HISTORY_STATE, config);
    const result = await ws.run(['baseline']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('baseline 2025-10-03_03 (was 2025-10-11_05) written to pgwarden.config.json: 3 migrations now count as executed; 2 after it still to run\n');
    expect(ws.read('pgwarden.config.json')).toBe(config.replace('"2025-10-11_05"', '"2025-10-03_03"'));
    ws.cleanup();
  });

  it('asks for the version when the headers cannot tell, and changes nothing', async () => {
    const contradicting = conventionalRepo({ ...HISTORY_STATE, '2025-10-02_02': false });
    const result = await contradicting.run(['baseline']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'pgwarden: 2025-10-03_03 is the newest migration whose header records an execution, but migration_history/2025-10-02_02_create_t.sql before it is marked not yet executed: name the last migration already executed, as in pgwarden baseline YYYY-MM-DD_NN\n',
    );
    expect(contradicting.read('pgwarden.config.json')).toBe(TEAM_CONFIG);
    contradicting.cleanup();

    const legacy = historyRepo();
    const unmarked = await legacy.run(['baseline']);
    expect(unmarked.code).toBe(2);
    expect(unmarked.stderr).toBe(
      "pgwarden: no migration's header records an execution, so the files cannot tell which ones ran (the history runs from 2024-01-10_01 to 2024-01-12_03): name the last migration already executed, as in pgwarden baseline YYYY-MM-DD_NN\n",
    );
    expect(JSON.parse(legacy.read('pgwarden.config.json'))).toEqual({});
    legacy.cleanup();
  });

  it('an explicit VERSION: must be one of the history; a pending migration it covers is named, not silently counted', async () => {
    const ws = conventionalRepo(HISTORY_STATE);
    const unknown = await ws.run(['baseline', '2025-10-09_09']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('pgwarden: no migration of the history has version 2025-10-09_09 (the history runs from 2025-10-01_01 to 2025-10-11_05): name one of its versions\n');
    const notAVersion = await ws.run(['baseline', 'yesterday']);
    expect(notAVersion.code).toBe(2);
    expect(notAVersion.stderr).toBe('pgwarden: "yesterday" is not a migration version: give one as YYYY-MM-DD_NN, e.g. 2025-10-11_05\n');
    expect(ws.read('pgwarden.config.json')).toBe(TEAM_CONFIG);

    const named = await ws.run(['baseline', '2025-10-10_04']);
    expect(named.code).toBe(0);
    expect(named.stdout).toBe(
      'baseline 2025-10-10_04 written to pgwarden.config.json: 4 migrations now count as executed; 1 after it still to run\n' +
        '  counted as executed although its header says not yet executed: migration_history/2025-10-10_04_create_t.sql\n',
    );
    ws.cleanup();
  });
});

describe.concurrent('pgwarden lint --changed [REV]', () => {
  /** History committed on main, then a feature branch that adds one file and edits an executed one. */
  function featureRepo(): CliWorkspace {
    const ws = historyRepo();
    ws.write('pgwarden.config.json', JSON.stringify({ baseline: '2024-01-12_03' }));
    git(ws, 'add', '-A');
    git(ws, 'commit', '-q', '-m', 'baseline');
    git(ws, 'checkout', '-q', '-b', 'feature');
    ws.write(NEW_FILE, NEW_SQL);
    git(ws, 'add', '-A');
    git(ws, 'commit', '-q', '-m', 'new migration');
    return ws;
  }

  it('default base: the merge-base with main; only the added file is linted, with the history as context', async () => {
    const ws = featureRepo();
    const result = await ws.run(['lint', '--changed']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/ in 1 file\n$/);
    const json = await lintJson(ws, ['--changed']);
    expect(new Set(json.findings.map((finding) => finding.file))).toEqual(new Set([NEW_FILE]));
    ws.cleanup();
  });

  it('an uncommitted edit of an executed migration and an untracked new file are both changed', async () => {
    const ws = featureRepo();
    ws.edit('migration_history/2024-01-11_02_add_visit_notes.sql', 'body text', 'body text NOT NULL');
    ws.write('migration_history/2024-02-03_05_untracked.sql', NEW_SQL.replace('visit_tags', 'visit_marks'));
    const json = await lintJson(ws, ['--changed', 'main']);
    const files = new Set(json.findings.map((finding) => finding.file));
    expect(files).toEqual(new Set([NEW_FILE, 'migration_history/2024-02-03_05_untracked.sql', 'migration_history/2024-01-11_02_add_visit_notes.sql']));
    // The executed file is judged by the integrity rules only, against the base revision.
    expect(json.findings.filter((finding) => finding.file.includes('_02_')).map((finding) => finding.rule)).toEqual(['executed-immutable']);
    ws.cleanup();
  });

  it('--changed=REV with nothing changed says that nothing was linted; an unknown revision is a usage error', async () => {
    const ws = featureRepo();
    const none = await ws.run(['lint', '--changed=HEAD']);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('');
    expect(none.stderr).toBe('pgwarden: no migration file added or modified since HEAD; nothing to lint\n');
    const unknown = await ws.run(['lint', '--changed', 'no-such-branch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(`pgwarden: --changed no-such-branch: no such revision in the repository at ${ws.root}\n`);
    ws.cleanup();
  });

  it('without a default branch to compare with, asks for a revision', async () => {
    const ws = new CliWorkspace({ migrations: false, schema: false, config: {} });
    ws.write(NEW_FILE, NEW_SQL);
    git(ws, 'init', '-q', '-b', 'trunk');
    git(ws, 'add', '-A');
    git(ws, 'commit', '-q', '-m', 'x');
    const result = await ws.run(['lint', '--changed']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('pgwarden: --changed: found no default branch (origin/HEAD, main, master) to compare with; name a revision: --changed <REV>\n');
    ws.cleanup();
  });
});
