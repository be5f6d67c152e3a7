/**
 * A team's workflow end to end (issue 9), with the real built binary: local runs change no tracked
 * file (embedded database, in a real git repository), execution records only for recording
 * environments, the target deciding the gates, and signed execution records. The real-server part
 * uses PostgreSQL (TEST_DATABASE_URL); without one it is skipped with one line.
 */

import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, serverAvailable, type TestDatabase } from '../../packages/core/src/runner/__fixtures__/test-db.js';
import { assertBuilt, CliWorkspace, cleanupWorkspaces, demoFile, lines, readDemo, splitHeader, stackLines, TEST_USER, type CliResult } from '../support/cli-workspace.js';

const DEMO_COUNT = 19;
const FILE_19 = demoFile(19);

beforeAll(() => assertBuilt());
afterAll(() => cleanupWorkspaces());

function git(ws: CliWorkspace, args: string[]): string {
  return execFileSync('git', args, { cwd: ws.root, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
}

/** The demo workspace as a real git repository with everything committed (no .gitignore of its own). */
function committedWorkspace(): CliWorkspace {
  const ws = new CliWorkspace();
  git(ws, ['init', '-q', '-b', 'main']);
  git(ws, ['-c', 'user.name=Alice', '-c', 'user.email=alice@example.com', 'add', '-A']);
  git(ws, ['-c', 'user.name=Alice', '-c', 'user.email=alice@example.com', 'commit', '-q', '-m', 'demo']);
  return ws;
}

function expectOneLineFailure(result: CliResult, code: number, fragment: string): void {
  expect(result.code, result.all).toBe(code);
  expect(lines(result.stderr), result.stderr).toHaveLength(1);
  expect(result.stderr).toContain(fragment);
  expect(stackLines(result.all)).toEqual([]);
}

describe('local runs touch no shared file', () => {
  it('migrate on the embedded database of a committed clone leaves git status clean and every header as it was', async () => {
    const ws = committedWorkspace();
    const result = await ws.run(['migrate']);
    expect(result.code, result.all).toBe(0);
    expect(result.stdout).toContain(`pgwarden: ${DEMO_COUNT} applied, 0 already applied`);
    expect(git(ws, ['status', '--porcelain', '--untracked-files=all'])).toBe('');
    for (const name of ws.migrationFiles()) expect(ws.read(`migration_history/${name}`)).toBe(readDemo(`migration_history/${name}`));
    // The lint of the committed files is still clean: no open boxes from a local record.
    const lint = await ws.run(['lint']);
    expect(lint.code, lint.all).toBe(0);
    ws.cleanup();
  });
});

describe('configuration of recording environments', () => {
  it('requires naming an environment that does not record is a configuration error, naming the setting', async () => {
    const ws = new CliWorkspace({
      config: { environments: { local: {}, staging: { urlEnv: 'STAGING_DATABASE_URL', requires: ['local'] } } },
    });
    const result = await ws.run(['migrate', '--dry-run']);
    expectOneLineFailure(result, 2, '"environments.staging.requires" names "local", which does not record executions in the headers');
    ws.cleanup();
  });

  it('an empty --database-url is an error, never the embedded database', async () => {
    const ws = new CliWorkspace();
    for (const url of ['', '  ']) {
      const result = await ws.run(['migrate', '--database-url', url]);
      expectOneLineFailure(result, 2, '--database-url is empty (an unset variable?)');
    }
    const { existsSync } = await import('node:fs');
    expect(existsSync(ws.path('.pgwarden'))).toBe(false);
    ws.cleanup();
  });

  it('migrate --env NAME with its urlEnv variable unset says which variable to set', async () => {
    const ws = new CliWorkspace();
    const result = await ws.run(['migrate', '--env', 'production']);
    expectOneLineFailure(result, 2, 'reads its database URL from PRODUCTION_DATABASE_URL, which is not set: set PRODUCTION_DATABASE_URL');
    ws.cleanup();
  });
});

describe('pgwarden approve', () => {
  it('binds version and file name, takes a bot reviewer, and refuses a second approval by the same reviewer', async () => {
    const ws = new CliWorkspace();
    ws.write(FILE_19, ws.read(FILE_19).replace(/^-- APPROVED: .*\n/gm, ''));
    const name = FILE_19.slice('migration_history/'.length);
    const first = await ws.run(['approve', FILE_19, '--by', 'alice']);
    expect(first.code, first.all).toBe(0);
    expect(ws.read(FILE_19)).toMatch(new RegExp(`\\n-- APPROVED: alice \\d{4}-\\d{2}-\\d{2} sha256:[0-9a-f]{64} for ${name.replace(/\./g, '\\.')}\\n`));
    const again = await ws.run(['approve', FILE_19, '--by', 'Alice']);
    expectOneLineFailure(again, 1, `pgwarden: not approved: ${FILE_19} is already approved by alice (`);
    const bot = await ws.run(['approve', FILE_19, '--by', 'bot:review-assistant']);
    expect(bot.code, bot.all).toBe(0);
    expect(ws.read(FILE_19)).toMatch(/\n-- APPROVED: bot:review-assistant \S+ sha256:[0-9a-f]{64} for /);
    const bad = await ws.run(['approve', FILE_19, '--by', 'human:alice']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('a reviewer is NAME (a person) or bot:NAME (a review bot)');
    // Earlier-format lines (no binding) are replaced by a bound one, not duplicated.
    const old = new CliWorkspace();
    const reviewer = /^-- APPROVED: (\S+)/m.exec(old.read(FILE_19))![1]!;
    const rebound = await old.run(['approve', FILE_19, '--by', reviewer]);
    expect(rebound.code, rebound.all).toBe(0);
    expect(old.read(FILE_19).match(new RegExp(`^-- APPROVED: ${reviewer.replace(/\./g, '\\.')} `, 'gm'))).toHaveLength(1);
    ws.cleanup();
    old.cleanup();
  });
});

describe('with a server', async () => {
  const available = await serverAvailable('team workflow (tests/cli/team-workflow.test.ts)');
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const db of databases) await db.drop();
  });
  async function freshDb(): Promise<TestDatabase> {
    const db = await createTestDatabase('team');
    databases.push(db);
    return db;
  }

  it.skipIf(!available)('--database-url without --env naming production\'s database is refused before anything runs; with --env production its gates apply', async () => {
    const ws = new CliWorkspace();
    const production = await freshDb();
    // Another spelling of the same host, port and database.
    const sameDatabase = production.url.replace('127.0.0.1', 'localhost');
    const env = { PRODUCTION_DATABASE_URL: production.url };
    const bare = await ws.run(['migrate', '--database-url', sameDatabase, '--preset', 'supabase'], { env });
    expectOneLineFailure(bare, 2, '--database-url points at the database of environment "production" (PRODUCTION_DATABASE_URL): pass --env production so that its gates apply');
    const admin = await production.admin();
    const { rows } = await admin.query(`SELECT to_regclass('pgwarden.schema_history') IS NOT NULL AS exists`);
    expect(rows[0].exists).toBe(false);
    // With --env production, production's gates: staging records are missing.
    const gated = await ws.run(['migrate', '--env', 'production', '--database-url', sameDatabase, '--preset', 'supabase'], { env });
    expect(gated.code).toBe(1);
    expect(gated.stderr).toContain(`  refused  ${FILE_19}: must be applied to staging before production`);
    // A different database on the same server is not production's.
    const other = await freshDb();
    const local = await ws.run(['migrate', '--database-url', other.url, '--preset', 'supabase'], { env });
    expect(local.code, local.all).toBe(0);
    expect(ws.read(FILE_19)).toBe(readDemo(FILE_19));
    ws.cleanup();
  });

  it.skipIf(!available)('a recording environment writes records naming environment, date, who, duration and pgwarden version; production then accepts them', async () => {
    const ws = new CliWorkspace();
    const staging = await freshDb();
    const production = await freshDb();
    const env = { STAGING_DATABASE_URL: staging.url, PRODUCTION_DATABASE_URL: production.url };
    const toStaging = await ws.run(['migrate', '--env', 'staging', '--preset', 'supabase'], { env });
    expect(toStaging.code, toStaging.all).toBe(0);
    const record = /\n--   \[X\] staging (\d{4}-\d{2}-\d{2}) by (\S+) \((\d+) ms\) pgwarden (\S+)\n/.exec(splitHeader(ws.read(FILE_19)).header);
    expect(record, ws.read(FILE_19)).not.toBeNull();
    expect(record![2]).toBe(TEST_USER);
    expect(record![4]).toMatch(/^\d+\.\d+\.\d+/);
    const toProduction = await ws.run(['migrate', '--env', 'production', '--preset', 'supabase'], { env });
    expect(toProduction.code, toProduction.all).toBe(0);
    expect(splitHeader(ws.read(FILE_19)).header).toMatch(/\n--   \[X\] staging .*\n--   \[X\] production \S+ by cli-tester \(\d+ ms\) pgwarden \S+\n/);
    ws.cleanup();
  });

  it.skipIf(!available)('signed records: a hand-written or copied staging record is refused by production, naming it; a genuine one is accepted', async () => {
    const config = JSON.parse(readDemo('pgwarden.config.json'));
    config.environments.staging.recordKeyEnv = 'STAGING_RECORD_KEY';
    const ws = new CliWorkspace({ config });
    const staging = await freshDb();
    const production = await freshDb();
    const key = 'team-secret-for-staging-records';
    const env = { STAGING_DATABASE_URL: staging.url, PRODUCTION_DATABASE_URL: production.url, STAGING_RECORD_KEY: key };

    // A forged record: the text a real run writes, without (then with a wrong) signature.
    const forged = '--   [X] staging 2025-01-01 by nobody (1 ms) pgwarden 0.1.0';
    ws.edit(FILE_19, /--   \[ \] Not yet executed[^\n]*/, forged);
    const refused = await ws.run(['migrate', '--env', 'production', '--preset', 'supabase', '--to', '2025-09-09_19'], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`  refused  ${FILE_19}: the execution record "staging 2025-01-01 by nobody"`);
    expect(refused.stderr).toContain('does not verify (it is not signed');
    ws.edit(FILE_19, forged, `${forged} hmac:${'ab'.repeat(32)}`);
    const wrong = await ws.run(['migrate', '--env', 'production', '--preset', 'supabase'], { env });
    expect(wrong.stderr).toContain('its signature does not match this file and the environment\'s key');
    ws.edit(FILE_19, /--   \[X\] staging 2025-01-01[^\n]*/, '--   [ ] Not yet executed');

    // The key is needed to verify: unset, production names the variable.
    const noKey = await ws.run(['migrate', '--env', 'production', '--preset', 'supabase'], { env: { ...env, STAGING_RECORD_KEY: undefined } });
    expectOneLineFailure(noKey, 2, 'signs its execution records with the secret in STAGING_RECORD_KEY, which is not set: set STAGING_RECORD_KEY');

    // Genuine: staging signs, production verifies.
    expect((await ws.run(['migrate', '--env', 'staging', '--preset', 'supabase'], { env })).code).toBe(0);
    const header = splitHeader(ws.read(FILE_19)).header;
    expect(header).toMatch(/\n--   \[X\] staging \S+ by cli-tester \(\d+ ms\) pgwarden \S+ hmac:[0-9a-f]{64}\n/);
    const accepted = await ws.run(['migrate', '--env', 'production', '--preset', 'supabase'], { env });
    expect(accepted.code, accepted.all).toBe(0);
    expect(accepted.stdout).toContain(`pgwarden: ${DEMO_COUNT} applied, 0 already applied`);

    // A genuine record copied onto another file's header does not verify there.
    const other = demoFile(18);
    const signed = /--   \[X\] staging [^\n]*/.exec(header)![0];
    const copy = new CliWorkspace({ config });
    copy.edit(other, /--   \[ \] Not yet executed[^\n]*/, signed);
    const copied = await copy.run(['migrate', '--env', 'production', '--preset', 'supabase', '--dry-run'], { env: { ...env, PRODUCTION_DATABASE_URL: (await freshDb()).url } });
    expect(copied.stderr).toContain(`  refused  ${other}: the execution record "staging`);
    ws.cleanup();
    copy.cleanup();
  });

  it.skipIf(!available)('clear outcomes: one verdict per file; refused files name the approved ones they block; --dry-run --sql prints the SQL', async () => {
    const ws = new CliWorkspace();
    const db = await freshDb();
    // Files 10 and 12 lose their approvals (local on a server needs one); the 17 others keep theirs.
    const unapproved = [demoFile(10), demoFile(12)];
    for (const file of unapproved) ws.write(file, ws.read(file).replace(/^-- APPROVED: .*\n/gm, ''));
    for (const dryRun of [true, false]) {
      const result = await ws.run(['migrate', '--database-url', db.url, '--preset', 'supabase', ...(dryRun ? ['--dry-run'] : [])]);
      expect(result.code).toBe(1);
      const verdicts = result.all.split('\n').filter((line) => /^  (refused|blocked|would apply) /.test(line));
      // Exactly one verdict per file.
      const files = ws.migrationFiles().map((name) => `migration_history/${name}`);
      expect(verdicts).toHaveLength(files.length);
      for (const file of files) {
        // The file a verdict is about comes first on its line.
        const mine = verdicts.filter((line) => /^  (?:refused|blocked|would apply)\s+(?:migration_history\/)?([^\s:]+)/.exec(line)![1] === file.slice('migration_history/'.length));
        expect(mine, file).toHaveLength(1);
        if (unapproved.includes(file)) expect(mine[0]).toMatch(/^  refused  .*has 0 of 1 required approval/);
        else {
          expect(mine[0]).toBe(
            `  blocked  ${file}: passes its gates, but ${dryRun ? 'would not run' : 'did not run'}: nothing runs while ${unapproved.join(', ')} are refused (fix them, or pass --to VERSION to stop before)`,
          );
        }
      }
      expect(result.stdout).toContain(`0 applied, 0 already applied, 2 refused, ${files.length - 2} blocked`);
    }

    // With the gates passing, --dry-run --sql prints each file's SQL after its verdict, and runs nothing.
    const clean = new CliWorkspace();
    const sql = await clean.run(['migrate', '--database-url', db.url, '--preset', 'supabase', '--dry-run', '--sql', '--to', '2025-09-09_19']);
    expect(sql.code, sql.all).toBe(0);
    const body19 = splitHeader(readDemo(FILE_19)).body.trim();
    expect(sql.stdout).toContain(`  would apply  ${FILE_19.slice('migration_history/'.length)}\n-- ${FILE_19}\n${body19.split('\n')[0]}`);
    expect(sql.stdout).toContain(body19.split('\n').at(-1));
    const admin = await db.admin();
    expect((await admin.query(`SELECT to_regclass('public.patients') IS NULL AS absent`)).rows[0].absent).toBe(true);
    const usage = await clean.run(['migrate', '--sql', '--database-url', db.url]);
    expectOneLineFailure(usage, 2, '--sql shows what a dry run would execute: use it with --dry-run');
    ws.cleanup();
    clean.cleanup();
  });

  it.skipIf(!available)('rollback runs the script in one transaction with the history row and an audit line; refused without a script, when not applied, out of order, and where not allowed', async () => {
    const ws = new CliWorkspace();
    const db = await freshDb();
    const applied = await ws.run(['migrate', '--database-url', db.url, '--preset', 'supabase']);
    expect(applied.code, applied.all).toBe(0);
    const admin = await db.admin();
    const policies = async () =>
      (await admin.query(`SELECT policyname FROM pg_policies WHERE tablename = 'clinical_notes' AND cmd = 'UPDATE' ORDER BY 1`)).rows.map((r) => r.policyname);
    expect(await policies()).toEqual(['clinical_notes_update_author_unsigned']);

    // Out of order: 15 has a script, but 16..19 are applied after it.
    const early = await ws.run(['rollback', '2025-06-23_15', '--database-url', db.url]);
    expectOneLineFailure(early, 1, `rollback: ${demoFile(15)}: later migrations are applied (`);
    // No script: named.
    const none = await ws.run(['rollback', '2025-08-26_18', '--database-url', db.url]);
    expectOneLineFailure(none, 1, `rollback: ${demoFile(18)}: has no rollback script`);
    // Not allowed on staging (allowRollback defaults to local and the embedded database).
    const staging = await ws.run(['rollback', '2025-09-09_19', '--env', 'staging'], { env: { STAGING_DATABASE_URL: db.url } });
    expectOneLineFailure(staging, 2, 'rollback is not allowed on environment "staging": set "allowRollback": true on it');

    const done = await ws.run(['rollback', '2025-09-09_19', '--database-url', db.url, '--by', 'alice', '--reason', 'policy too strict']);
    expect(done.code, done.all).toBe(0);
    expect(done.stdout).toContain(`pgwarden: ${FILE_19.slice('migration_history/'.length)}: rolled back in `);
    expect(await policies()).toEqual(['clinical_notes_update_care_staff']);
    const history = await admin.query(`SELECT count(*)::int AS n FROM pgwarden.migration_history WHERE version = '2025-09-09_19'`);
    expect(history.rows[0].n).toBe(0);
    const log = await admin.query(`SELECT version, rolled_back_by, reason FROM pgwarden.rollback_log`);
    expect(log.rows).toEqual([{ version: '2025-09-09_19', rolled_back_by: 'alice', reason: 'policy too strict' }]);
    expect(ws.read(FILE_19)).toBe(readDemo(FILE_19));

    const again = await ws.run(['rollback', '2025-09-09_19', '--database-url', db.url]);
    expectOneLineFailure(again, 1, `rollback: ${FILE_19}: is not applied in `);
    // Pending again: migrate applies it once more.
    const reapplied = await ws.run(['migrate', '--database-url', db.url, '--preset', 'supabase']);
    expect(reapplied.stdout).toContain(`pgwarden: 1 applied, ${DEMO_COUNT - 1} already applied`);
    expect(await policies()).toEqual(['clinical_notes_update_author_unsigned']);
    ws.cleanup();
  });
});
