/*
 * The commit hook, end to end: a real git repository in a temporary folder, the workspace's
 * own .husky/pre-commit and .lintstagedrc.mjs copied verbatim, husky installed the way
 * `npm ci` does it (`husky` sets core.hooksPath=.husky/_), and `git commit` run for real.
 *
 * node_modules and packages/ are symlinks to the workspace, so lint-staged, husky and the
 * pgwarden binary are the real, built ones (build first: `npx tsc -b packages/core packages/cli`).
 *
 * Every node process started under `git commit` appends its argv to a trace file (through
 * NODE_OPTIONS=--import), so a test can say which processes ran: that pgwarden linted exactly the
 * staged migrations, or that it did not run at all for a commit that touches no migration.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serverAvailable, TEST_DATABASE_URL } from '../../packages/core/src/runner/__fixtures__/test-db.js';

const WORKSPACE = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI_DIST = join(WORKSPACE, 'packages', 'cli', 'dist', 'bin.cjs');

/** Small valid migrations of the demo history; 11 becomes the executed one. */
const FIXTURES = [
  '2025-02-10_09_add_vital_signs_bmi.sql',
  '2025-03-24_11_add_document_status_quarantined.sql',
  '2025-09-09_19_restrict_clinical_notes_update_policy.sql',
];
const EXECUTED = `migration_history/${FIXTURES[1]}`;
const EXECUTION_RECORD = '--   [X] production 2025-03-25 by alice (1200 ms)';

let base: string;
let repo: string;
let traceFile: string;
let env: NodeJS.ProcessEnv;
/** `Line N` of current_schema/04_ai_processing.sql that holds the comment the good migration rewrites. */
let commentLine: number;

interface CommitResult {
  status: number | null;
  output: string;
  /** argv (after the node binary) of every `pgwarden lint` process the hook started. */
  pgwardenRuns: string[][];
  /** argv of every node process started under git commit. */
  processes: string[][];
}

function run(command: string, args: string[], options: { input?: string } = {}): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd: repo, env, encoding: 'utf8', timeout: 60_000, input: options.input });
  if (result.error) throw result.error;
  return result;
}

function git(...args: string[]): string {
  const result = run('git', args);
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed (${result.status}):\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

function commit(message: string): CommitResult {
  writeFileSync(traceFile, '');
  const result = run('git', ['commit', '-m', message]);
  const processes = readFileSync(traceFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as string[]);
  return {
    status: result.status,
    output: `${result.stdout}\n${result.stderr}`,
    processes,
    pgwardenRuns: processes.filter((argv) => argv[1] === 'lint' && argv.includes('--since')),
  };
}

const commitCount = () => Number(git('rev-list', '--count', 'HEAD').trim());
const readRepo = (path: string) => readFileSync(join(repo, path), 'utf8');
const writeRepo = (path: string, text: string) => {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), text);
};
const staged = (path: string) => git('show', `:${path}`);
const committed = (path: string) => git('show', `HEAD:${path}`);
const stagedNames = () => git('diff', '--cached', '--name-only').split('\n').filter(Boolean);

function migrationFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? migrationFiles(join(dir, entry.name)) : entry.name.endsWith('.sql') ? [entry.name] : [],
  );
}

/** The next free name of the history in the working tree: sequence max+1, dated after every file. */
function nextMigration(slug: string, folder = 'migration_history'): { path: string; date: string } {
  const sequences = migrationFiles(join(repo, 'migration_history')).map((name) => Number(name.slice(11, 13)));
  const sequence = Math.max(...sequences) + 1;
  const date = new Date(Date.UTC(2025, 9, 1 + sequence - 20)).toISOString().slice(0, 10);
  return { path: `${folder}/${date}_${String(sequence).padStart(2, '0')}_${slug}.sql`, date };
}

const GOOD_STATEMENT =
  "COMMENT ON COLUMN public.documents.quarantine_reason IS 'Why the scanner quarantined the document (status quarantined); NULL otherwise.';";

/** A migration that follows the convention; `statement` replaces its one SQL statement. */
function migrationText(date: string, statement = GOOD_STATEMENT): string {
  return [
    '-- ============================================================================',
    '-- Migration: Clarify the comment on documents.quarantine_reason',
    `-- Date: ${date}`,
    '-- Issue: The column comment does not say who writes the reason',
    '--',
    '-- PROBLEM: Support staff read the column comment to learn who fills in',
    '--   quarantine_reason and cannot tell.',
    '-- SOLUTION: Rewrite the column comment.',
    '-- AFFECTED TABLES: documents',
    '--',
    '-- SOURCE OF TRUTH SCHEMA UPDATED:',
    `--   [X] current_schema/04_ai_processing.sql (Line ${commentLine}: COMMENT ON COLUMN documents.quarantine_reason)`,
    '--',
    '-- DOWNSTREAM UPDATES:',
    '--   [N/A] Bridge schemas updated (if applicable)',
    '--   [N/A] TypeScript types updated (if applicable)',
    '--',
    '-- MIGRATION EXECUTED:',
    '--   [ ] Not yet executed',
    '-- ============================================================================',
    '',
    statement,
    '',
    '-- Verification Query',
    "-- VERIFY: SELECT col_description('public.documents'::regclass, 1) IS NOT NULL",
    '',
  ].join('\n');
}

/** 1-based line of the first line of `text` containing `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`"${needle}" not found`);
  return index + 1;
}

beforeAll(() => {
  if (!existsSync(CLI_DIST)) throw new Error(`${CLI_DIST} is missing: build first (npx tsc -b packages/core packages/cli packages/nx)`);
  base = realpathSync(mkdtempSync(join(tmpdir(), 'pgw-hook-')));
  repo = join(base, 'repo');
  traceFile = join(base, 'trace.jsonl');
  const tracer = join(base, 'trace-argv.mjs');
  writeFileSync(
    tracer,
    "import { appendFileSync } from 'node:fs';\n" +
      'if (process.env.PGW_TRACE_FILE) appendFileSync(process.env.PGW_TRACE_FILE, JSON.stringify(process.argv.slice(1)) + "\\n");\n',
  );

  // A clean environment: no inherited git plumbing variables, no user or system git config,
  // and HUSKY unset (HUSKY=0 would silently skip the hook).
  env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('GIT_') && key !== 'HUSKY' && key !== 'NODE_OPTIONS'),
  );
  Object.assign(env, {
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: join(base, 'gitconfig'),
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    NODE_OPTIONS: `--import=${pathToFileURL(tracer).href}`,
    PGW_TRACE_FILE: traceFile,
  });
  writeFileSync(join(base, 'gitconfig'), '');

  mkdirSync(repo);
  git('init', '-q', '-b', 'main', '.');
  git('config', 'user.name', 'Hook Test');
  git('config', 'user.email', 'hook-test@example.invalid');
  git('config', 'commit.gpgsign', 'false');

  // The workspace's real hook configuration, verbatim.
  cpSync(join(WORKSPACE, '.lintstagedrc.mjs'), join(repo, '.lintstagedrc.mjs'));
  mkdirSync(join(repo, '.husky'));
  cpSync(join(WORKSPACE, '.husky', 'pre-commit'), join(repo, '.husky', 'pre-commit'));
  cpSync(join(WORKSPACE, 'pgwarden.config.json'), join(repo, 'pgwarden.config.json'));
  cpSync(join(WORKSPACE, 'current_schema'), join(repo, 'current_schema'), { recursive: true });
  symlinkSync(join(WORKSPACE, 'node_modules'), join(repo, 'node_modules'));
  symlinkSync(join(WORKSPACE, 'packages'), join(repo, 'packages'));
  // No trailing slash: the entries are symlinks, which git does not treat as folders.
  writeFileSync(join(repo, '.gitignore'), '/node_modules\n/packages\n');
  writeFileSync(join(repo, 'package.json'), `${JSON.stringify({ name: 'hook-test', private: true, type: 'module' }, null, 2)}\n`);
  for (const name of FIXTURES) cpSync(join(WORKSPACE, 'migration_history', name), join(repo, 'migration_history', name));
  const executed = readRepo(EXECUTED);
  expect(executed).toContain('--   [ ] Not yet executed');
  writeRepo(EXECUTED, executed.replace('--   [ ] Not yet executed', EXECUTION_RECORD));

  commentLine = lineOf(readRepo('current_schema/04_ai_processing.sql'), 'COMMENT ON COLUMN public.documents.quarantine_reason');

  // Install the hook the way `npm ci` does through "prepare": husky.
  const husky = run('npx', ['--no-install', 'husky']);
  expect(husky.status, husky.stdout + husky.stderr).toBe(0);
  expect(git('config', 'core.hooksPath').trim()).toBe('.husky/_');
  expect(existsSync(join(repo, '.husky', '_', 'pre-commit'))).toBe(true);

  // The initial commit goes through the hook too: the fixtures must pass it.
  git('add', '-A');
  const initial = commit('initial history');
  expect(initial.status, initial.output).toBe(0);
  expect(initial.pgwardenRuns).toHaveLength(1);
  expect(commitCount()).toBe(1);
}, 120_000);

afterAll(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

afterEach(() => {
  // Each test starts from the last commit, with nothing staged and no stray files.
  git('reset', '-q', '--hard', 'HEAD');
  git('clean', '-fdq');
});

describe('pre-commit hook in a real repository', () => {
  it('runs the real lint-staged from the linked node_modules and the real pgwarden binary', () => {
    const { path, date } = nextMigration('comment_documents_quarantine_reason');
    writeRepo(path, migrationText(date));
    git('add', path);
    const result = commit('probe');
    expect(result.status, result.output).toBe(0);
    const lintStaged = result.processes.find((argv) => /lint-staged/.test(argv[0] ?? ''));
    expect(lintStaged, JSON.stringify(result.processes)).toBeDefined();
    expect(realpathSync(lintStaged![0]!)).toContain(join(realpathSync(join(WORKSPACE, 'node_modules')), 'lint-staged'));
    expect(result.pgwardenRuns).toHaveLength(1);
    const binary = realpathSync(result.pgwardenRuns[0]![0]!);
    expect(binary.startsWith(join(realpathSync(WORKSPACE), 'packages', 'cli'))).toBe(true);
    // The hook never boots Nx (DESIGN.md: it would cost 1.4-2.6 s per commit).
    // (the nx package's own files, not any folder named nx, such as a checkout at .../nx/)
    expect(result.processes.filter((argv) => /[/\\]node_modules[/\\](nx|@nx)[/\\]/.test(realpathSync(argv[0] ?? '.')))).toEqual([]);
  });

  describe('a bad migration is rejected with file:line:column and the rule', () => {
    const cases = [
      {
        name: 'ADD CONSTRAINT IF NOT EXISTS (a syntax error)',
        rule: 'syntax',
        statement:
          'ALTER TABLE public.documents ADD CONSTRAINT IF NOT EXISTS documents_quarantine_reason_length CHECK (length(quarantine_reason) <= 500);',
        // The parser points somewhere in "IF NOT EXISTS"; the hint shows the DO-block guard.
        columns: (line: string) => [line.indexOf('ADD CONSTRAINT') + 1, line.indexOf('EXISTS') + 1] as const,
        message: /ADD CONSTRAINT has no IF NOT EXISTS/,
      },
      {
        name: 'CREATE TABLE without IF NOT EXISTS',
        rule: 'idempotent-create',
        statement: 'CREATE TABLE public.quarantine_reviews (id bigint PRIMARY KEY, reviewer text NOT NULL);',
        columns: () => [1, 1] as const,
        message: /IF NOT EXISTS/,
      },
      {
        name: 'an emoji',
        rule: 'no-emoji',
        statement: `${GOOD_STATEMENT}\n-- reviewed by security \u{1F680} ok`,
        columns: (line: string) => [line.indexOf('\u{1F680}') + 1, line.indexOf('\u{1F680}') + 1] as const,
        message: /emoji U\+1F680/,
      },
    ];

    it.each(cases)('$name', ({ rule, statement, columns, message }) => {
      const before = commitCount();
      const { path, date } = nextMigration('clarify_quarantine_reason');
      const text = migrationText(date, statement);
      writeRepo(path, text);
      git('add', path);

      const result = commit('bad migration');

      expect(result.status, result.output).not.toBe(0);
      expect(commitCount()).toBe(before);
      expect(result.pgwardenRuns).toHaveLength(1);
      expect(result.pgwardenRuns[0]!.some((arg) => arg.endsWith(path))).toBe(true);
      // lint-staged puts things back as they were: the file is still staged, unchanged.
      expect(stagedNames()).toEqual([path]);
      expect(readRepo(path)).toBe(text);

      const badLine = text.split('\n').find((line) => line.includes(rule === 'no-emoji' ? '\u{1F680}' : statement.split('\n')[0]!))!;
      const line = lineOf(text, badLine);
      const reported = result.output
        .split('\n')
        .find((out) => out.startsWith(`${path}:${line}:`) && out.trimEnd().endsWith(rule));
      expect(reported, result.output).toBeDefined();
      const column = Number(/^[^:]+:\d+:(\d+)/.exec(reported!)![1]);
      const [min, max] = columns(badLine);
      expect(column).toBeGreaterThanOrEqual(min);
      expect(column).toBeLessThanOrEqual(max);
      expect(reported).toMatch(/\berror\b/);
      expect(reported).toMatch(message);
      expect(result.output).toMatch(/husky - pre-commit script failed/);
    });
  });

  it('commits a good new migration (next sequence number, full header)', () => {
    const before = commitCount();
    const { path, date } = nextMigration('clarify_quarantine_reason');
    writeRepo(path, migrationText(date));
    git('add', path);

    const result = commit('good migration');

    expect(result.status, result.output).toBe(0);
    expect(commitCount()).toBe(before + 1);
    expect(result.pgwardenRuns).toHaveLength(1);
    expect(git('show', '--name-only', '--format=', 'HEAD').trim()).toBe(path);
    expect(result.output).not.toMatch(/error/i);
  });

  it('judges a partially staged file on its staged content: valid staged, invalid unstaged -> committed, unstaged change kept', () => {
    const before = commitCount();
    const { path, date } = nextMigration('clarify_quarantine_reason');
    const good = migrationText(date);
    const bad = `${good}\nCREATE TABLE public.quarantine_reviews (id bigint PRIMARY KEY);\n`;
    writeRepo(path, good);
    git('add', path);
    writeRepo(path, bad);

    const result = commit('partially staged, valid part');

    expect(result.status, result.output).toBe(0);
    expect(commitCount()).toBe(before + 1);
    expect(result.pgwardenRuns).toHaveLength(1);
    expect(committed(path)).toBe(good);
    expect(readRepo(path)).toBe(bad);
    expect(git('diff', '--name-only').trim()).toBe(path);
    expect(stagedNames()).toEqual([]);
    expect(git('stash', 'list').trim()).toBe('');
  });

  it('judges a partially staged file on its staged content: invalid staged, valid unstaged -> rejected, both versions kept', () => {
    const before = commitCount();
    const { path, date } = nextMigration('clarify_quarantine_reason');
    const good = migrationText(date);
    const bad = migrationText(date, 'CREATE TABLE public.quarantine_reviews (id bigint PRIMARY KEY);');
    writeRepo(path, bad);
    git('add', path);
    writeRepo(path, good);

    const result = commit('partially staged, invalid part');

    expect(result.status, result.output).not.toBe(0);
    expect(commitCount()).toBe(before);
    expect(result.output).toContain(`${path}:${lineOf(bad, 'CREATE TABLE')}:1`);
    expect(result.output).toMatch(/idempotent-create/);
    expect(staged(path)).toBe(bad);
    expect(readRepo(path)).toBe(good);
    expect(git('stash', 'list').trim()).toBe('');
  });

  describe('an executed migration is append-only', () => {
    it('refuses a change to its SQL body, naming the executed-immutable rule and the changed line', () => {
      const before = commitCount();
      const text = readRepo(EXECUTED);
      expect(text).toContain(EXECUTION_RECORD);
      const original = 'ADD COLUMN IF NOT EXISTS quarantine_reason text;';
      const changed = text.replace(original, 'ADD COLUMN IF NOT EXISTS quarantine_reason varchar(500);');
      expect(changed).not.toBe(text);
      writeRepo(EXECUTED, changed);
      git('add', EXECUTED);

      const result = commit('edit executed SQL');

      expect(result.status, result.output).not.toBe(0);
      expect(commitCount()).toBe(before);
      const line = lineOf(changed, 'varchar(500)');
      const reported = result.output.split('\n').find((out) => out.startsWith(`${EXECUTED}:${line}:`) && out.trimEnd().endsWith('executed-immutable'));
      expect(reported, result.output).toBeDefined();
      expect(reported).toContain('was executed on production 2025-03-25 but its SQL changed');
      expect(reported).toContain(JSON.stringify(original));
      expect(result.output).toMatch(/append-only/);
    });

    it('refuses a statement appended to its body', () => {
      const before = commitCount();
      writeRepo(EXECUTED, `${readRepo(EXECUTED)}\nCOMMENT ON COLUMN public.documents.quarantine_reason IS 'changed';\n`);
      git('add', EXECUTED);

      const result = commit('append to executed SQL');

      expect(result.status, result.output).not.toBe(0);
      expect(commitCount()).toBe(before);
      expect(result.output).toMatch(new RegExp(`^${EXECUTED}:\\d+:\\d+ .*executed-immutable$`, 'm'));
    });

    it('commits header-only edits: prose, and a second execution record', () => {
      const before = commitCount();
      const prose = readRepo(EXECUTED).replace('-- Issue: Documents flagged', '-- Issue: Uploaded documents flagged');
      expect(prose).not.toBe(readRepo(EXECUTED));
      writeRepo(EXECUTED, prose);
      git('add', EXECUTED);
      const first = commit('reword executed header');
      expect(first.status, first.output).toBe(0);
      expect(first.pgwardenRuns).toHaveLength(1);
      expect(commitCount()).toBe(before + 1);

      const recorded = prose.replace(EXECUTION_RECORD, `${EXECUTION_RECORD}\n--   [X] staging 2025-03-24 by bob (900 ms)`);
      writeRepo(EXECUTED, recorded);
      git('add', EXECUTED);
      const second = commit('record staging execution');
      expect(second.status, second.output).toBe(0);
      expect(commitCount()).toBe(before + 2);
      expect(committed(EXECUTED)).toBe(recorded);
    });
  });

  // A moved or renamed executed migration is compared with the committed file of the same name or version.
  it('refuses an executed migration moved to a sub-folder with its SQL changed', () => {
    const before = commitCount();
    const moved = EXECUTED.replace('migration_history/', 'migration_history/2025/');
    mkdirSync(join(repo, 'migration_history', '2025'), { recursive: true });
    git('mv', EXECUTED, moved);
    writeRepo(moved, readRepo(moved).replace('quarantine_reason text;', 'quarantine_reason varchar(500);'));
    git('add', '-A');
    const result = commit('move and edit executed SQL');
    expect(result.status, result.output).not.toBe(0);
    expect(commitCount()).toBe(before);
    expect(result.output).toMatch(/executed-immutable/);
  });

  it('commits an executed migration moved to a sub-folder unchanged', () => {
    const before = commitCount();
    const moved = EXECUTED.replace('migration_history/', 'migration_history/2025/');
    mkdirSync(join(repo, 'migration_history', '2025'), { recursive: true });
    git('mv', EXECUTED, moved);
    const result = commit('archive executed migration');
    expect(result.status, result.output).toBe(0);
    expect(commitCount()).toBe(before + 1);
  });

  it('refuses deleting an executed migration, and allows deleting one never executed', () => {
    const before = commitCount();
    // Wherever an earlier test left it (it may have been moved into a sub-folder).
    const executed = git('ls-files', '--', 'migration_history').split('\n').find((file) => file.endsWith(FIXTURES[1]))!;
    git('rm', '-q', executed);
    const refused = commit('delete executed migration');
    expect(refused.status, refused.output).not.toBe(0);
    expect(commitCount()).toBe(before);
    expect(refused.output).toMatch(new RegExp(`^${executed}:1:1 .*executed on production 2025-03-25.* and is deleted.*executed-immutable$`, 'm'));
    git('reset', '-q', '--hard', 'HEAD');

    const draft = `migration_history/${FIXTURES[2]}`;
    expect(readRepo(draft)).not.toContain('[X] production');
    git('rm', '-q', draft);
    const allowed = commit('delete a draft migration');
    expect(allowed.status, allowed.output).toBe(0);
    expect(commitCount()).toBe(before + 1);
  });

  it('does not run pgwarden for a commit that touches no migration', () => {
    const before = commitCount();
    writeRepo('docs/notes.md', '# Notes\n');
    writeRepo('current_schema/README.md', 'not SQL\n');
    git('add', 'docs/notes.md', 'current_schema/README.md');

    const result = commit('docs only');

    expect(result.status, result.output).toBe(0);
    expect(commitCount()).toBe(before + 1);
    // The hook ran (lint-staged started) but had nothing to send to pgwarden.
    expect(result.processes.some((argv) => /lint-staged/.test(argv[0] ?? ''))).toBe(true);
    expect(result.pgwardenRuns).toEqual([]);
    expect(result.output).toMatch(/could not find any staged files matching configured tasks|No staged files match/i);
  });

  it('passes a migration in a sub-folder whose name has a space to pgwarden as one path', () => {
    const before = commitCount();
    const { path, date } = nextMigration('clarify_quarantine_reason', 'migration_history/2025 q4');
    writeRepo(path, migrationText(date));
    git('add', path);

    const result = commit('sub-folder with a space');

    expect(result.status, result.output).toBe(0);
    expect(commitCount()).toBe(before + 1);
    expect(result.pgwardenRuns[0]!.slice(-1)[0]).toBe(join(repo, path));
  });

  // KNOWN BUG (reported): .lintstagedrc.mjs quotes paths for a POSIX shell ('it'\''s'), but lint-staged 16
  // runs tasks without a shell and splits the string with string-argv, which knows no backslash escapes.
  // A path with an apostrophe (a sub-folder, or a checkout under /home/o'brien/) reaches pgwarden as two
  // bogus paths and every such commit is refused. Drop `.fails` once the quoting is fixed.
  it('passes a migration whose path has an apostrophe to pgwarden as one path', () => {
    const { path, date } = nextMigration('clarify_quarantine_reason', "migration_history/q4 it's");
    writeRepo(path, migrationText(date));
    git('add', path);
    const result = commit('sub-folder with an apostrophe');
    expect(result.status, result.output).toBe(0);
    expect(result.pgwardenRuns[0]!.slice(-1)[0]).toBe(join(repo, path));
  });
});

const typesServer = await serverAvailable('tests/hook/pre-commit.test.ts (generated types)');

describe.skipIf(!typesServer)('pre-commit hook: generated types follow current_schema', () => {
  it('refuses a schema change whose generated types are stale, naming them and the command; commits once regenerated', () => {
    // Repository-local outputs (packages/ is the workspace's), and a shadow on the test server.
    const config = JSON.parse(readRepo('pgwarden.config.json'));
    config.types = { outputs: [{ path: 'db-types/database.ts', format: 'supabase', schemas: ['public'] }] };
    config.shadow = { url: TEST_DATABASE_URL };
    writeRepo('pgwarden.config.json', `${JSON.stringify(config, null, 2)}\n`);
    const pgwarden = (...args: string[]) => run(process.execPath, [CLI_DIST, ...args]);
    const generated = pgwarden('types');
    expect(generated.status, generated.stdout + generated.stderr).toBe(0);
    git('add', '-A');
    const fresh = commit('types generated');
    expect(fresh.status, fresh.output).toBe(0);
    expect(fresh.processes.some((argv) => argv[1] === 'types' && argv[2] === '--fresh')).toBe(true);

    const before = commitCount();
    const schemaFile = 'current_schema/04_ai_processing.sql';
    writeRepo(schemaFile, `${readRepo(schemaFile)}\nALTER TABLE public.documents ADD COLUMN IF NOT EXISTS reviewer_note text;\n`);
    git('add', schemaFile);
    const stale = commit('schema change without types');
    expect(stale.status).not.toBe(0);
    expect(commitCount()).toBe(before);
    expect(stale.output).toContain('db-types/database.ts: stale (generated from different schema files, overlays, configuration or pgwarden version)');
    expect(stale.output).toContain('run: pgwarden types');

    // Near miss: the same change with the types regenerated goes through.
    const regenerated = pgwarden('types');
    expect(regenerated.status, regenerated.stdout + regenerated.stderr).toBe(0);
    expect(readRepo('db-types/database.ts')).toContain('reviewer_note: string | null');
    git('add', '-A');
    const accepted = commit('schema change with types');
    expect(accepted.status, accepted.output).toBe(0);
    expect(commitCount()).toBe(before + 1);
  }, 180_000);
});
