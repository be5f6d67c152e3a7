/**
 * `pgwarden migrate`, `status`, `repair`, `new` and `approve` end to end: the real built
 * binary on temporary copies of the demo workspace. The real-server part needs PostgreSQL
 * (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres); each test
 * creates its own database and afterAll drops them. Without a server that part is skipped
 * with one line (a failure under PGWARDEN_REQUIRE_DB=1); the rest runs anyway.
 */

import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import {
  createTestDatabase,
  serverAvailable,
  urlForDatabase,
  type TestDatabase,
} from '../../packages/core/src/runner/__fixtures__/test-db.js';
import {
  assertBuilt,
  CliWorkspace,
  cleanupWorkspaces,
  DEMO_MIGRATIONS,
  demoFile,
  lines,
  readDemo,
  splitHeader,
  stackLines,
  TEST_USER,
  type CliResult,
} from '../support/cli-workspace.js';

const DEMO_COUNT = 19;
const FILE_19 = demoFile(19);

beforeAll(() => assertBuilt());
afterAll(() => cleanupWorkspaces());

/** Asserts a failure reported as exactly one line on stderr, with no stack trace. */
function expectOneLineFailure(result: CliResult, code: number, fragment: string): void {
  expect(result.code, result.all).toBe(code);
  expect(lines(result.stderr), result.stderr).toHaveLength(1);
  expect(result.stderr).toContain(fragment);
  expect(stackLines(result.all)).toEqual([]);
  expect(result.all).not.toContain('internal error');
}

/** The approvals recorded in a header: "-- APPROVED: NAME DATE sha256:HEX [for FILE]". */
function approvals(text: string): Array<{ by: string; date: string; checksum: string; line: number; boundTo?: string }> {
  return text.split('\n').flatMap((line, index) => {
    const match = /^-- APPROVED: (\S+) (\d{4}-\d{2}-\d{2}) sha256:([0-9a-f]{64})(?: for (\S+))?$/.exec(line);
    return match ? [{ by: match[1]!, date: match[2]!, checksum: match[3]!, line: index + 1, boundTo: match[4] }] : [];
  });
}

/** Edits file 19's SQL body (same policy, predicates swapped): voids its approvals, still lint-clean. */
function editBodyOf19(ws: CliWorkspace): void {
  ws.edit(FILE_19, 'USING (author_id = auth.uid() AND signed_at IS NULL)', 'USING (signed_at IS NULL AND author_id = auth.uid())');
}

describe.concurrent('without a server', () => {
  it('an environment whose urlEnv variable is unset: exit 2 naming the variable', async () => {
    const ws = new CliWorkspace();
    for (const [env, variable] of [
      ['staging', 'STAGING_DATABASE_URL'],
      ['production', 'PRODUCTION_DATABASE_URL'],
    ]) {
      for (const command of ['migrate', 'status']) {
        const result = await ws.run([command, '--env', env!]);
        expectOneLineFailure(result, 2, `environment "${env}" reads its database URL from ${variable}, which is not set: set ${variable} (or pass --database-url)`);
        expect(result.stderr).toMatch(/^pgwarden: configuration error: /);
      }
    }
    ws.cleanup();
  });

  it('an unknown environment: exit 2 listing the configured ones', async () => {
    const ws = new CliWorkspace();
    const result = await ws.run(['migrate', '--env', 'qa']);
    expectOneLineFailure(result, 2, 'unknown environment "qa" (configured: local, staging, production)');
    ws.cleanup();
  });

  it('an unreachable server: one line on stderr, exit 1, no stack trace, never the password', async () => {
    const ws = new CliWorkspace();
    const cases: Array<{ args: string[]; env?: Record<string, string> }> = [
      { args: ['migrate', '--database-url', 'postgres://postgres@127.0.0.1:1/x'] },
      { args: ['migrate', '--database-url', 'postgres://postgres:s3cret@127.0.0.1:1/x'] },
      { args: ['migrate', '--dry-run', '--database-url', 'postgres://postgres:s3cret@127.0.0.1:1/x'] },
      { args: ['status', '--database-url', 'postgres://postgres:s3cret@127.0.0.1:1/x'] },
      { args: ['repair', '--accept', '2025-09-09_19', '--by', 'alice', '--reason', 'x', '--database-url', 'postgres://postgres:s3cret@127.0.0.1:1/x'] },
      // The same URL from the environment's variable.
      { args: ['migrate', '--env', 'staging'], env: { STAGING_DATABASE_URL: 'postgres://postgres:s3cret@127.0.0.1:1/x' } },
    ];
    for (const { args, env } of cases) {
      const result = await ws.run(args, { env });
      expectOneLineFailure(result, 1, 'pgwarden: cannot connect to 127.0.0.1:1 (postgres://postgres@127.0.0.1:1/x): connection refused');
      expect(result.all).not.toContain('s3cret');
    }
    // Nothing was finalised.
    expect(ws.read(FILE_19)).toBe(readDemo(FILE_19));
    ws.cleanup();
  });

  it('a URL that is not a postgres URL: a configuration error (exit 2) in one line, never the password', async () => {
    const ws = new CliWorkspace();
    const result = await ws.run(['status', '--database-url', 'mysql://root:s3cret@127.0.0.1/x']);
    expectOneLineFailure(result, 2, 'configuration error: the database URL in --database-url must start with postgres:// or postgresql://');
    expect(result.all).not.toContain('s3cret');
    ws.cleanup();
  });

  describe('new <slug>', () => {
    it('creates the next-numbered file from the template, which lints with only the template placeholders', async () => {
      const ws = new CliWorkspace();
      const result = await ws.run(['new', 'add_clinical_note_nickname']);
      expect(result.code, result.all).toBe(0);
      const created = ws.migrationFiles().filter((name) => !existsSync(join(DEMO_MIGRATIONS, name)));
      expect(created).toHaveLength(1);
      const [name] = created;
      expect(name).toMatch(/^(\d{4}-\d{2}-\d{2})_20_add_clinical_note_nickname\.sql$/);
      const rel = `migration_history/${name}`;
      expect(result.stdout).toBe(`pgwarden: created ${ws.path(rel)}\n`);
      const text = ws.read(rel);
      expect(text).toContain(`-- Date: ${name!.slice(0, 10)}\n`);
      expect(text).toContain('-- Migration: Add clinical note nickname\n');
      expect(text).toContain('--   [ ] Not yet executed\n');

      const lint = await ws.run(['lint', '--format', 'json', rel]);
      expect(lint.code).toBe(1);
      const findings = JSON.parse(lint.stdout) as Array<{ rule: string; severity: string; message: string }>;
      // Only the placeholders a writer must fill in: no naming, numbering, date or syntax finding.
      expect(findings.every((finding) => finding.severity === 'error')).toBe(true);
      expect(new Set(findings.map((finding) => finding.rule))).toEqual(new Set(['header-fields', 'source-of-truth-refs']));
      const placeholders = findings.filter((finding) => finding.rule === 'header-fields').map((finding) => finding.message);
      for (const field of ['Issue', 'PROBLEM', 'SOLUTION', 'AFFECTED TABLES', 'SOURCE OF TRUTH SCHEMA UPDATED']) {
        expect(placeholders.some((message) => message.startsWith(`header field ${field} still holds the template placeholder`)), field).toBe(true);
      }
      expect(findings.find((finding) => finding.rule === 'source-of-truth-refs')!.message).toBe(
        'source-of-truth file current_schema/XX_filename.sql does not exist in current_schema/',
      );

      // The next one gets 21.
      expect((await ws.run(['new', 'second_change', '--date', '2026-01-02'])).code).toBe(0);
      expect(existsSync(ws.path('migration_history/2026-01-02_21_second_change.sql'))).toBe(true);
      ws.cleanup();
    });

    it('--dir puts the file in a sub-folder of the history, never outside it', async () => {
      const ws = new CliWorkspace();
      const result = await ws.run(['new', 'add_clinical_note_nickname', '--date', '2025-10-01', '--dir', 'migration_history_2025-10']);
      expect(result.code, result.all).toBe(0);
      const rel = 'migration_history/migration_history_2025-10/2025-10-01_20_add_clinical_note_nickname.sql';
      expect(result.stdout).toBe(`pgwarden: created ${ws.path(rel)}\n`);
      for (const dir of ['..', '../elsewhere', ws.path('elsewhere')]) {
        const outside = await ws.run(['new', 'second_change', '--dir', dir]);
        expectOneLineFailure(outside, 2, `pgwarden: --dir ${dir}: must be a sub-folder of migration_history/`);
      }
      expect(existsSync(ws.path('elsewhere'))).toBe(false);
      ws.cleanup();
    });

    it('refuses a bad slug with exit 2, one line, no file', async () => {
      const ws = new CliWorkspace();
      const cases: Array<[string, string]> = [
        ['Add-Nickname', "The descriptive name 'Add-Nickname' must be lower-case snake_case (letters, digits and single underscores, e.g. add_nickname)."],
        ['add__nickname', "The descriptive name 'add__nickname' must be lower-case snake_case"],
        ['sub/2026-01-01_20_x', 'a slug cannot contain / or \\'],
      ];
      for (const [slug, message] of cases) {
        const result = await ws.run(['new', slug]);
        expectOneLineFailure(result, 2, `pgwarden: slug "${slug}": ${message}`);
      }
      expect(ws.migrationFiles()).toHaveLength(DEMO_COUNT);
      const missing = await ws.run(['new']);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('pgwarden: expected exactly one slug');
      expect((await ws.run(['new', 'x', '--date', '2025-02-30'])).stderr).toBe('pgwarden: --date 2025-02-30 is not a real YYYY-MM-DD date\n');
      ws.cleanup();
    });
  });

  describe('approve <file> --by NAME', () => {
    it('refuses a file with lint errors: exit 1, errors listed, file unchanged', async () => {
      const ws = new CliWorkspace();
      expect((await ws.run(['new', 'add_clinical_note_nickname', '--date', '2025-10-01'])).code).toBe(0);
      const rel = 'migration_history/2025-10-01_20_add_clinical_note_nickname.sql';
      const before = ws.read(rel);
      const result = await ws.run(['approve', rel, '--by', 'carol']);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`${rel}:4:4  header field Issue still holds the template placeholder "[Problem being solved]"  (header-fields)`);
      expect(result.stderr).toMatch(/\npgwarden: not approved: fix the \d+ lint errors first\n$/);
      expect(ws.read(rel)).toBe(before);
      ws.cleanup();
    });

    it('writes an APPROVED line bound to the body checksum into a clean file', async () => {
      const ws = new CliWorkspace();
      // File 19's header and body as a new migration 20, without its approvals: its checksum
      // must equal the one file 19's reviewers approved (same body, same directives).
      const { header, body } = splitHeader(readDemo(FILE_19));
      const rel = 'migration_history/2025-10-01_20_reassert_clinical_notes_update_policy.sql';
      ws.write(rel, `${header.replace('-- Date: 2025-09-09', '-- Date: 2025-10-01').replace(/^-- APPROVED:.*\n/gm, '')}\n${body}`);
      const expected = approvals(readDemo(FILE_19))[0]!.checksum;

      const result = await ws.run(['approve', rel, '--by', 'carol']);
      expect(result.code, result.all).toBe(0);
      expect(result.stdout).toBe(`pgwarden: ${rel} approved by carol (sha256:${expected.slice(0, 12)}...)\n`);
      const written = approvals(ws.read(rel));
      expect(written).toHaveLength(1);
      expect(written[0]).toMatchObject({ by: 'carol', checksum: expected, boundTo: '2025-10-01_20_reassert_clinical_notes_update_policy.sql' });
      // Only the header changed.
      expect(splitHeader(ws.read(rel)).body).toBe(body);
      expect(readdirSync(ws.path('migration_history')).filter((name) => name.startsWith('.'))).toEqual([]);

      // A second reviewer adds a second line; the file still lints clean.
      expect((await ws.run(['approve', rel, '--by', 'dan'])).code).toBe(0);
      expect(approvals(ws.read(rel)).map((a) => a.by)).toEqual(['carol', 'dan']);
      expect((await ws.run(['lint', rel])).code).toBe(0);
      ws.cleanup();
    });

    it('keeps the byte order mark a file starts with, at the very start only', async () => {
      const ws = new CliWorkspace();
      const { header, body } = splitHeader(readDemo(FILE_19));
      const rel = 'migration_history/2025-10-01_20_reassert_clinical_notes_update_policy.sql';
      ws.write(rel, `\uFEFF${header.replace('-- Date: 2025-09-09', '-- Date: 2025-10-01').replace(/^-- APPROVED:.*\n/gm, '')}\n${body}`);
      const result = await ws.run(['approve', rel, '--by', 'carol']);
      expect(result.code, result.all).toBe(0);
      const written = ws.read(rel);
      expect(written.lastIndexOf('\uFEFF')).toBe(0);
      expect(approvals(written)).toEqual([expect.objectContaining({ by: 'carol', checksum: approvals(readDemo(FILE_19))[0]!.checksum })]);
      ws.cleanup();
    });

    it('needs --by NAME: exit 2', async () => {
      const ws = new CliWorkspace();
      const result = await ws.run(['approve', FILE_19]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('pgwarden: approve needs --by NAME');
      ws.cleanup();
    });
  });
});

const enabled = await serverAvailable('tests/cli/migrate.test.ts');

describe.skipIf(!enabled).concurrent('on a real server', () => {
  const databases: TestDatabase[] = [];

  /** A new empty database with its admin client (dropped in afterAll). */
  async function freshDb(): Promise<{ url: string; admin: pg.Client }> {
    const db = await createTestDatabase('cli');
    databases.push(db);
    return { url: db.url, admin: await db.admin() };
  }

  const tableExists = async (admin: pg.Client, name: string) =>
    (await admin.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [name])).rows[0]!.present;

  const historyRows = async (admin: pg.Client) =>
    (await admin.query<{ version: string; status: string; applied_by: string }>('SELECT version, status, applied_by FROM pgwarden.migration_history ORDER BY version')).rows;

  beforeAll(async () => {
    // The supabase preset creates cluster-wide roles with IF NOT EXISTS guards, which race when
    // two fresh processes run it at once; create them once here, tolerating a concurrent creator.
    const { admin } = await freshDb();
    for (const role of ['anon', 'authenticated', 'service_role']) {
      await admin.query(`CREATE ROLE ${role} NOLOGIN NOINHERIT${role === 'service_role' ? ' BYPASSRLS' : ''}`).catch((error: { code?: string }) => {
        if (error.code !== '42710' && error.code !== '23505') throw error;
      });
    }
  });
  afterAll(async () => {
    await Promise.all(databases.map((db) => db.drop()));
  });

  it('applies the demo history as it stands, finalises the headers, and a second and third run apply nothing', async () => {
    const ws = new CliWorkspace();
    const { url, admin } = await freshDb();
    // staging records its executions in the headers (a local run would not).
    const first = await ws.run(['migrate', '--env', 'staging'], { env: { STAGING_DATABASE_URL: url } });
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('  preset   supabase: created the roles and auth schema the migrations expect');
    expect(first.code).toBe(0);
    const applied = first.stdout.split('\n').filter((line) => line.startsWith('  applied  '));
    expect(applied.map((line) => line.trim().split(/\s+/)[1])).toEqual(ws.migrationFiles());
    for (const line of applied) expect(line).toMatch(/ \d+(\.\d)? m?s$/);
    expect(first.stdout.split('\n')[0]).toBe(`pgwarden: migrating ${url} (env staging)`);
    expect(first.stdout).toMatch(new RegExp(`\\npgwarden: ${DEMO_COUNT} applied, 0 already applied in [\\d.]+ m?s\\n$`));

    // In the database: the schema and one applied history row per file, by the runner's user.
    expect(await tableExists(admin, 'public.patient_reported_outcomes')).toBe(true);
    const rows = await historyRows(admin);
    expect(rows).toHaveLength(DEMO_COUNT);
    expect(rows.every((row) => row.status === 'applied' && row.applied_by === TEST_USER)).toBe(true);

    // Headers finalised: exactly the execution placeholder became the record; the body is untouched.
    for (const name of ws.migrationFiles()) {
      const rel = `migration_history/${name}`;
      const before = readDemo(rel).split('\n');
      const after = ws.read(rel).split('\n');
      expect(after).toHaveLength(before.length);
      const changed = before.flatMap((line, index) => (line === after[index] ? [] : [[line, after[index]!]]));
      expect(changed, rel).toHaveLength(1);
      expect(changed[0]![0]).toBe('--   [ ] Not yet executed');
      expect(changed[0]![1]).toMatch(new RegExp(`^--   \\[X\\] staging \\d{4}-\\d{2}-\\d{2} by ${TEST_USER} \\(\\d+ ms\\) pgwarden \\S+$`));
    }
    expect(readdirSync(ws.path('migration_history')).filter((name) => name.startsWith('.'))).toEqual([]);

    // Checksums unchanged by the finalisation: the next runs find nothing tampered and nothing to do.
    for (let run = 2; run <= 3; run++) {
      const again = await ws.run(['migrate', '--database-url', url, '--preset', 'supabase']);
      expect(again.stderr).toBe('');
      expect(again.code).toBe(0);
      expect(again.stdout).not.toContain('  applied  ');
      expect(again.stdout).toMatch(new RegExp(`\\npgwarden: 0 applied, ${DEMO_COUNT} already applied in [\\d.]+ m?s\\n$`));
    }
    expect(await historyRows(admin)).toHaveLength(DEMO_COUNT);

    const status = await ws.run(['status', '--database-url', url]);
    expect(status.code).toBe(0);
    const table = status.stdout.split('\n');
    expect(table[0]).toBe(`pgwarden: ${url} (env local)`);
    expect(table[1]).toMatch(/^STATE\s+MIGRATION\s+APPLIED AT\s+BY\s+APPROVALS\s+NOTE$/);
    const body = table.slice(2, 2 + DEMO_COUNT);
    for (const [index, name] of ws.migrationFiles().entries()) {
      expect(body[index]).toMatch(new RegExp(`^applied\\s+${name.replace(/\./g, '\\.')}\\s+\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\s+${TEST_USER}\\s+2/1$`));
    }
    expect(status.stdout).toContain(`\n${DEMO_COUNT} applied, 0 pending, 0 failed, 0 tampered, 0 missing\n`);

    const json = await ws.run(['status', '--database-url', url, '--json']);
    expect(json.code).toBe(0);
    const states = JSON.parse(json.stdout) as Array<{ state: string; name: string; approvals: { valid: number; required: number } }>;
    expect(states.map((row) => row.name)).toEqual(ws.migrationFiles());
    expect(states.every((row) => row.state === 'applied' && row.approvals.valid === 2 && row.approvals.required === 1)).toBe(true);
    ws.cleanup();
  });

  it('a run with nothing pending does not load the SQL parser; near miss: an invalid index left by an applied concurrent build does, and is refused', async () => {
    const ws = new CliWorkspace();
    const { url, admin } = await freshDb();
    expect((await ws.run(['migrate', '--database-url', url, '--preset', 'supabase'])).code).toBe(0);
    // Printed at exit by a preloaded module: whether libpg-query (loaded through require) was loaded.
    const report = ws.path('report-parser.mjs');
    writeFileSync(
      report,
      "import { createRequire } from 'node:module';\nconst cache = createRequire(import.meta.url).cache;\nprocess.on('exit', () => process.stderr.write(`parser loaded: ${Object.keys(cache).some((path) => path.includes('libpg-query'))}\\n`));\n",
    );
    const again = (await ws.run(['migrate', '--database-url', url, '--preset', 'supabase'], { env: { NODE_OPTIONS: `--import=${pathToFileURL(report).href}` } }));
    expect(again.code, again.all).toBe(0);
    expect(again.stdout).toContain(`0 applied, ${DEMO_COUNT} already applied`);
    expect(again.stderr).toBe('parser loaded: false\n');

    // The demo's file 14 builds this index concurrently; marked invalid, as an interrupted build leaves it.
    await admin.query("UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'public.idx_lab_results_patient_loinc_collected'::regclass");
    const refused = await ws.run(['migrate', '--database-url', url, '--preset', 'supabase'], { env: { NODE_OPTIONS: `--import=${pathToFileURL(report).href}` } });
    expect(refused.code).toBe(1);
    expect(refused.all).toMatch(/2025-06-02_14_index_documents_and_lab_results_concurrently\.sql:\d+: recorded as applied, but index idx_lab_results_patient_loinc_collected of statement 4 is invalid/);
    expect(refused.stderr).toContain('parser loaded: true\n');
    ws.cleanup();
  });

  it('on the embedded database too, a run with nothing pending does not load the SQL parser (the extensions the history creates are ones it always registers)', async () => {
    const ws = new CliWorkspace();
    expect((await ws.run(['migrate'])).code).toBe(0);
    const report = ws.path('report-parser.mjs');
    writeFileSync(
      report,
      "import { createRequire } from 'node:module';\nconst cache = createRequire(import.meta.url).cache;\nprocess.on('exit', () => process.stderr.write(`parser loaded: ${Object.keys(cache).some((path) => path.includes('libpg-query'))}\\n`));\n",
    );
    const again = await ws.run(['migrate'], { env: { NODE_OPTIONS: `--import=${pathToFileURL(report).href}` } });
    expect(again.code, again.all).toBe(0);
    expect(again.stdout).toContain(`0 applied, ${DEMO_COUNT} already applied`);
    expect(again.stderr).toBe('parser loaded: false\n');
    ws.cleanup();
  });

  it('--no-finalize applies without touching the files', async () => {
    const ws = new CliWorkspace();
    const { url, admin } = await freshDb();
    const result = await ws.run(['migrate', '--database-url', url, '--preset', 'supabase', '--no-finalize']);
    expect(result.code, result.all).toBe(0);
    expect(result.stdout).toContain(`pgwarden: ${DEMO_COUNT} applied, 0 already applied`);
    for (const name of ws.migrationFiles()) expect(ws.read(`migration_history/${name}`)).toBe(readDemo(`migration_history/${name}`));
    expect(await historyRows(admin)).toHaveLength(DEMO_COUNT);
    ws.cleanup();
  });

  it('--dry-run lists what would run and changes nothing, in the database or the files', async () => {
    const ws = new CliWorkspace();
    const { url, admin } = await freshDb();
    const result = await ws.run(['migrate', '--database-url', url, '--preset', 'supabase', '--dry-run']);
    expect(result.code, result.all).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(`pgwarden: migrating ${url} (env local), dry run`);
    const planned = result.stdout.split('\n').filter((line) => line.startsWith('  would apply  '));
    expect(planned.map((line) => line.slice('  would apply  '.length).split('  ')[0])).toEqual(ws.migrationFiles());
    expect(result.stdout).toContain('  would apply  2025-06-02_14_index_documents_and_lab_results_concurrently.sql  (no-transaction)');
    expect(result.stdout).toMatch(new RegExp(`\\npgwarden: 0 applied, 0 already applied, ${DEMO_COUNT} pending in [\\d.]+ m?s\\n$`));
    expect(result.stdout).not.toContain('  applied  ');

    const { rows } = await admin.query<{ nspname: string }>(
      "SELECT nspname FROM pg_namespace WHERE nspname IN ('pgwarden', 'auth', 'storage', 'extensions') OR (nspname = 'public' AND EXISTS (SELECT 1 FROM pg_class WHERE relnamespace = 'public'::regnamespace))",
    );
    expect(rows).toEqual([]);
    for (const name of ws.migrationFiles()) expect(ws.read(`migration_history/${name}`)).toBe(readDemo(`migration_history/${name}`));

    // status on that database: everything pending, and status itself creates nothing either.
    const status = await ws.run(['status', '--database-url', url]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`\n0 applied, ${DEMO_COUNT} pending, 0 failed, 0 tampered, 0 missing\n`);
    expect(await tableExists(admin, 'pgwarden.migration_history')).toBe(false);
    ws.cleanup();
  });

  it('--to VERSION stops there; the next run applies the rest; an unknown version is refused', async () => {
    const ws = new CliWorkspace();
    const { url } = await freshDb();
    const files = ws.migrationFiles();
    const to = await ws.run(['migrate', '--database-url', url, '--preset', 'supabase', '--to', '2025-03-05_10']);
    expect(to.code, to.all).toBe(0);
    expect(to.stdout.split('\n').filter((line) => line.startsWith('  applied  ')).map((line) => line.trim().split(/\s+/)[1])).toEqual(files.slice(0, 10));
    expect(to.stdout).toContain('pgwarden: 10 applied, 0 already applied');

    const status = await ws.run(['status', '--database-url', url]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('\n10 applied, 9 pending, 0 failed, 0 tampered, 0 missing\n');
    expect(status.stdout).toMatch(/\npending\s+2025-03-24_11_add_document_status_quarantined\.sql\s+2\/1\n/);

    const unknown = await ws.run(['migrate', '--database-url', url, '--to', '2025-03-06_10']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('  refused  --to 2025-03-06_10: no migration has this version (YYYY-MM-DD_NN)\n');

    const rest = await ws.run(['migrate', '--database-url', url, '--preset', 'supabase']);
    expect(rest.code, rest.all).toBe(0);
    expect(rest.stdout).toContain('pgwarden: 9 applied, 10 already applied');
    ws.cleanup();
  });

  it('approval gate: a migration edited after approval is refused, naming the voided approvals; a new review lets it run', async () => {
    const ws = new CliWorkspace();
    const { url, admin } = await freshDb();
    editBodyOf19(ws);
    const [first, second] = approvals(ws.read(FILE_19));

    const result = await ws.run(['migrate', '--database-url', url, '--preset', 'supabase']);
    expect(result.code).toBe(1);
    const refused = lines(result.stderr);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(
      new RegExp(
        `^  refused  ${escape(FILE_19)}: has 0 of 1 required approval for environment local; ` +
          `the approval by ${escape(`${first!.by} (${first!.date}, line ${first!.line}), ${second!.by} (${second!.date}, line ${second!.line})`)} ` +
          `was voided by a later edit of the SQL \\(approved ${first!.checksum.slice(0, 12)}, now [0-9a-f]{12}\\): have it reviewed again, then run pgwarden approve$`,
      ),
    );
    expect(result.stdout).toContain('pgwarden: 0 applied, 0 already applied, 1 refused');
    // A refusal stops the whole run before anything executes.
    expect(result.stdout).not.toContain('  applied  ');
    expect(await tableExists(admin, 'public.patients')).toBe(false);

    const status = await ws.run(['status', '--database-url', url]);
    expect(status.stdout).toMatch(new RegExp(`\\npending\\s+${escape(FILE_19.slice('migration_history/'.length))}\\s+0/1 \\(voided by an edit\\)\\n`));

    // One new review (env local on a server requires one) and the history applies.
    expect((await ws.run(['approve', FILE_19, '--by', 'carol'])).code).toBe(0);
    const applied = await ws.run(['migrate', '--database-url', url, '--preset', 'supabase']);
    expect(applied.code, applied.all).toBe(0);
    expect(applied.stdout).toContain(`pgwarden: ${DEMO_COUNT} applied, 0 already applied`);
    ws.cleanup();
  });

  it('--env production refuses migrations without a staging execution record; local -> staging -> production succeeds', async () => {
    const ws = new CliWorkspace();
    const local = await freshDb();
    const staging = await freshDb();
    const production = await freshDb();
    const env = { STAGING_DATABASE_URL: staging.url, PRODUCTION_DATABASE_URL: production.url };

    const early = await ws.run(['migrate', '--env', 'production', '--preset', 'supabase'], { env });
    expect(early.code).toBe(1);
    expect(early.stdout.split('\n')[0]).toBe(`pgwarden: migrating ${production.url} (env production)`);
    const refused = lines(early.stderr);
    expect(refused).toHaveLength(DEMO_COUNT);
    for (const [index, name] of ws.migrationFiles().entries()) {
      expect(refused[index]).toBe(
        `  refused  migration_history/${name}: must be applied to staging before production (no execution record for staging in its header): run pgwarden migrate --env staging first`,
      );
    }
    expect(early.stdout).toContain(`pgwarden: 0 applied, 0 already applied, ${DEMO_COUNT} refused`);
    expect(await tableExists(production.admin, 'public.patients')).toBe(false);

    // A local run (no --env) records nothing: production still refuses.
    expect((await ws.run(['migrate', '--database-url', local.url, '--preset', 'supabase'])).code).toBe(0);
    expect(ws.read(FILE_19)).toBe(readDemo(FILE_19));

    // The promotion order, each recording step writing its execution into the headers.
    const toStaging = await ws.run(['migrate', '--env', 'staging', '--preset', 'supabase'], { env });
    expect(toStaging.code, toStaging.all).toBe(0);
    expect(toStaging.stdout).toContain(`pgwarden: ${DEMO_COUNT} applied, 0 already applied`);
    const toProduction = await ws.run(['migrate', '--env', 'production', '--preset', 'supabase'], { env });
    expect(toProduction.code, toProduction.all).toBe(0);
    expect(toProduction.stdout).toContain(`pgwarden: ${DEMO_COUNT} applied, 0 already applied`);
    const header = splitHeader(ws.read(FILE_19)).header;
    expect(header).toMatch(/\n--   \[X\] staging \S+ by cli-tester \(\d+ ms\) pgwarden \S+\n--   \[X\] production \S+ by cli-tester \(\d+ ms\) pgwarden \S+\n/);
    expect((await ws.run(['status', '--env', 'production'], { env })).stdout).toContain(`\n${DEMO_COUNT} applied, 0 pending`);
    ws.cleanup();
  });

  it('a pending migration with a lint error is refused, naming the rule and its position', async () => {
    const ws = new CliWorkspace();
    const { url, admin } = await freshDb();
    // A header edit: the approvals stay valid, the lint error is the only problem.
    ws.edit(FILE_19, '-- Date: 2025-09-09', '-- Date: 2025-09-10');
    const result = await ws.run(['migrate', '--database-url', url, '--preset', 'supabase']);
    expect(result.code).toBe(1);
    expect(lines(result.stderr)).toEqual([
      `  refused  ${FILE_19}: has lint errors, fix them first: ${FILE_19}:3:10 header Date 2025-09-10 differs from the file name's date 2025-09-09 (${FILE_19.slice('migration_history/'.length)}) (header-date)`,
    ]);
    expect(result.stdout).toContain('pgwarden: 0 applied, 0 already applied, 1 refused');
    expect(await tableExists(admin, 'public.patients')).toBe(false);
    ws.cleanup();
  });

  it('a missing database: one line naming it, exit 1, no stack trace, never the password', async () => {
    const ws = new CliWorkspace();
    const name = `pgw_cli_missing_${randomBytes(4).toString('hex')}`;
    const plain = urlForDatabase(name);
    const withPassword = new URL(plain);
    withPassword.password = 's3cret';
    for (const url of [plain, withPassword.toString()]) {
      for (const args of [['migrate', '--database-url', url], ['status', '--database-url', url], ['migrate', '--dry-run', '--database-url', url]]) {
        const result = await ws.run(args);
        expectOneLineFailure(result, 1, `pgwarden: database "${name}" does not exist at ${plain}: create it (createdb ${name}) or fix the database name in the URL`);
        expect(result.all).not.toContain('s3cret');
      }
    }
    ws.cleanup();
  });

  it('a server URL with a password is printed without it', async () => {
    const ws = new CliWorkspace();
    const { url } = await freshDb();
    // Trust authentication accepts any password.
    const withPassword = new URL(url);
    withPassword.password = 's3cret';
    const result = await ws.run(['migrate', '--database-url', withPassword.toString(), '--preset', 'supabase', '--to', '2025-01-15_01']);
    expect(result.code, result.all).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(`pgwarden: migrating ${url} (env local)`);
    const status = await ws.run(['status', '--database-url', withPassword.toString()]);
    expect(status.code).toBe(0);
    expect(result.all + status.all).not.toContain('s3cret');
    ws.cleanup();
  });

  it('repair: an applied migration whose body changed is tampered (status exit 1, migrate refuses) until repaired, audited', async () => {
    const ws = new CliWorkspace();
    const { url, admin } = await freshDb();
    expect((await ws.run(['migrate', '--database-url', url, '--preset', 'supabase'])).code).toBe(0);
    const headerOnly = ws.read(FILE_19).replace('-- Issue: ', '-- Issue: (reviewed again) ');
    ws.write(FILE_19, headerOnly);
    const afterHeaderEdit = await ws.run(['status', '--database-url', url]);
    expect(afterHeaderEdit.code).toBe(0);

    editBodyOf19(ws);
    const name19 = FILE_19.slice('migration_history/'.length);
    const status = await ws.run(['status', '--database-url', url]);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(new RegExp(`\\ntampered\\s+${escape(name19)}\\s+\\d{4}-\\d{2}-\\d{2} [\\d:]+\\s+${TEST_USER}\\s+0/1 \\(voided by an edit\\)\\n`));
    expect(status.stdout).toContain(`\n${DEMO_COUNT - 1} applied, 0 pending, 0 failed, 1 tampered, 0 missing\n`);

    const migrate = await ws.run(['migrate', '--database-url', url]);
    expect(migrate.code).toBe(1);
    expect(lines(migrate.stderr)).toHaveLength(1);
    expect(migrate.stderr).toMatch(
      new RegExp(
        `^  refused  ${escape(FILE_19)}: the SQL changed after it was applied \\(recorded [0-9a-f]{12}, file now [0-9a-f]{12}\\): revert the edit and write a new migration, or accept it with pgwarden repair --accept 2025-09-09_19 --by NAME --reason TEXT\\n$`,
      ),
    );

    const incomplete = await ws.run(['repair', '--database-url', url, '--accept', '2025-09-09_19', '--by', 'alice']);
    expect(incomplete.code).toBe(2);
    expect(incomplete.stderr).toContain('pgwarden: repair needs --accept MIGRATION, --by NAME and --reason TEXT');
    const unknown = await ws.run(['repair', '--database-url', url, '--accept', '2025-09-09_99', '--by', 'alice', '--reason', 'x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      'pgwarden: 2025-09-09_99: no migration file has this version: name a migration by its version (YYYY-MM-DD_NN), its file name (YYYY-MM-DD_NN_slug, .sql optional) or its path\n',
    );

    const repair = await ws.run(['repair', '--database-url', url, '--accept', '2025-09-09_19', '--by', 'alice', '--reason', 'predicates reordered, same policy']);
    expect(repair.code, repair.all).toBe(0);
    expect(repair.stdout).toMatch(new RegExp(`^pgwarden: ${escape(name19)}: checksum [0-9a-f]{12} -> [0-9a-f]{12} accepted by alice\\n$`));
    const log = await admin.query('SELECT version, repaired_by, reason FROM pgwarden.repair_log');
    expect(log.rows).toEqual([{ version: '2025-09-09_19', repaired_by: 'alice', reason: 'predicates reordered, same policy' }]);

    const clean = await ws.run(['status', '--database-url', url]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain(`\n${DEMO_COUNT} applied, 0 pending, 0 failed, 0 tampered, 0 missing\n`);
    const again = await ws.run(['migrate', '--database-url', url]);
    expect(again.code, again.all).toBe(0);
    expect(again.stdout).toContain(`pgwarden: 0 applied, ${DEMO_COUNT} already applied`);
    ws.cleanup();
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
