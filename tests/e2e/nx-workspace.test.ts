/**
 * pgwarden adopted by a workspace that is not this one: the three packages are packed with
 * `npm pack`, installed from the tarballs into a fresh Nx 22.7.12 workspace in a temporary
 * folder (one `npm install`, from the registry or npm's cache), and used as a new team would:
 * `nx g @pgwarden/nx:init` with the database project in a sub-folder, commits through the
 * real husky + lint-staged hook, `nx run db:lint` (deep) and `nx run db:plan` from the cache on
 * their second run, `nx run db:migrate` on the embedded database and (with
 * PostgreSQL at TEST_DATABASE_URL, in its own database) on a server through `--env`, and
 * `nx show projects --affected` and `nx affected -t typecheck` after a schema change. Steps
 * run in order and share the workspace. Without a server the real-server step is skipped
 * with one line (a failure under PGWARDEN_REQUIRE_DB=1).
 */

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, serverAvailable, type TestDatabase } from '../../packages/core/src/runner/__fixtures__/test-db.js';
import { REPO_ROOT } from '../support/cli-workspace.js';

const PACKAGES = ['core', 'cli', 'nx'] as const;
const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'packages/core/package.json'), 'utf8')) as { version: string }).version;
const DB = 'packages/db';
const GOOD = `${DB}/migration_history/2025-10-01_01_add_notes.sql`;

let temp: string;
let ws: string;
const tarballs: Record<string, string> = {};
let database: TestDatabase | undefined;
/**
 * The workspace's own Nx binary, the one `npx nx` resolves to, started without npx: npx spends about
 * a second of CPU loading npm before each of the suite's Nx runs. One step still goes through npx.
 */
const NX = 'node_modules/.bin/nx';

/**
 * The child environment: no daemon or cloud, no npm settings inherited from an `npm test` parent.
 * Plugins load in the Nx process (NX_ISOLATE_PLUGINS=false): isolation starts a plugin worker per
 * plugin for every Nx run, a third of this suite's CPU. One step (`nx show projects` after init) runs
 * isolated, as a new workspace's Nx does by default.
 */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key) && key !== 'INIT_CWD') env[key] = value;
  return { ...env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NX_ISOLATE_PLUGINS: 'false', CI: 'true', FORCE_COLOR: '0', NO_COLOR: '1', PGWARDEN_USER: 'e2e', ...extra };
}

function run(command: string, args: string[], extra: Record<string, string> = {}, cwd = ws): SpawnSyncReturns<string> & { output2: string } {
  const result = spawnSync(command, args, { cwd, env: childEnv(extra), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return Object.assign(result, { output2: `${result.stdout}\n${result.stderr}` });
}

function ok(command: string, args: string[], extra: Record<string, string> = {}): string {
  const result = run(command, args, extra);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.output2}`);
  return result.output2;
}

function write(path: string, text: string): void {
  mkdirSync(dirname(join(ws, path)), { recursive: true });
  writeFileSync(join(ws, path), text);
}

const GOOD_MIGRATION = `-- ============================================================================
-- Migration: Add notes
-- Date: 2025-10-01
-- Issue: Clinicians need free-text notes
--
-- PROBLEM: There is nowhere to store notes.
-- SOLUTION: Add the notes table with row level security.
-- AFFECTED TABLES: notes
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/01_notes.sql (Line 1: notes table added)
--
-- DOWNSTREAM UPDATES:
--   [N/A] Bridge schemas updated (if applicable)
--   [N/A] TypeScript types updated (if applicable)
--
-- MIGRATION EXECUTED:
--   [ ] Not yet executed
-- ============================================================================

CREATE TABLE IF NOT EXISTS public.notes (
  id bigint PRIMARY KEY,
  body text NOT NULL
);
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;

-- VERIFY: SELECT count(*) = 0 FROM public.notes;
`;

const SCHEMA = `CREATE TABLE IF NOT EXISTS public.notes (
  id bigint PRIMARY KEY,
  body text NOT NULL
);
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
`;

beforeAll(() => {
  for (const name of PACKAGES) {
    const entry = join(REPO_ROOT, 'packages', name, 'dist/index.js');
    if (name !== 'cli' && !existsSync(entry)) throw new Error(`${entry} does not exist: build first (npx tsc -b packages/core packages/cli packages/nx)`);
  }
  temp = mkdtempSync(join(tmpdir(), 'pgw-nx-e2e-'));
  const packDir = join(temp, 'tarballs');
  mkdirSync(packDir);
  // One npm process packs the three (npm's start-up is most of a pack); it prints one file name per package.
  const workspaces = PACKAGES.flatMap((name) => ['-w', `packages/${name}`]);
  const packed = spawnSync('npm', ['pack', '--silent', '--pack-destination', packDir, ...workspaces], { cwd: REPO_ROOT, env: childEnv(), encoding: 'utf8' });
  if (packed.status !== 0) throw new Error(`npm pack ${PACKAGES.join(', ')} failed:\n${packed.stderr}`);
  const names = packed.stdout.trim().split('\n');
  for (const name of PACKAGES) {
    const file = names.find((line) => line === `pgwarden-${name}-${VERSION}.tgz`);
    if (!file) throw new Error(`npm pack printed no tarball for packages/${name}:\n${packed.stdout}`);
    tarballs[name] = join(packDir, file);
  }

  // A fresh workspace: a types package generated from the database, a consumer of it, and an
  // unrelated package that must never be affected by a schema change.
  ws = join(temp, 'ws');
  mkdirSync(ws);
  write('package.json', JSON.stringify({ name: 'fixture', private: true, workspaces: ['packages/*'] }, null, 2));
  write('nx.json', JSON.stringify({ $schema: './node_modules/nx/schemas/nx-schema.json' }, null, 2));
  write('.gitignore', 'node_modules\n.nx\n');
  const typecheck = { typecheck: 'tsc --noEmit -p .' };
  const tsconfig = JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'preserve', moduleResolution: 'bundler', skipLibCheck: true }, include: ['src'] });
  write('packages/db-types/package.json', JSON.stringify({ name: '@fixture/db-types', version: '0.0.0', private: true, scripts: typecheck }));
  write('packages/db-types/tsconfig.json', tsconfig);
  write('packages/db-types/src/generated/index.ts', 'export type Note = { id: number; body: string };\n');
  write('packages/web/package.json', JSON.stringify({ name: '@fixture/web', version: '0.0.0', private: true, scripts: typecheck, dependencies: { '@fixture/db-types': '*' } }));
  write('packages/web/tsconfig.json', tsconfig);
  write('packages/web/src/index.ts', "import type { Note } from '@fixture/db-types/src/generated';\nexport const title = (note: Note): string => note.body;\n");
  write('packages/other/package.json', JSON.stringify({ name: '@fixture/other', version: '0.0.0', private: true, scripts: typecheck }));
  write('packages/other/tsconfig.json', tsconfig);
  write('packages/other/src/index.ts', 'export const other = 1;\n');
  ok('git', ['init', '-q', '-b', 'main']);
  ok('git', ['config', 'user.email', 'e2e@example.com']);
  ok('git', ['config', 'user.name', 'e2e']);
  ok('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '-D', 'nx@22.7.12', '@nx/devkit@22.7.12', 'typescript@5.9.3', ...PACKAGES.map((name) => tarballs[name])]);
}, 900_000);

afterAll(async () => {
  await database?.drop();
  if (temp) rmSync(temp, { recursive: true, force: true });
});

// Generous per-step ceilings: each step spawns Nx (and npm) several times on a shared machine.
describe('pgwarden in a new Nx workspace, from the packed tarballs', { timeout: 900_000 }, () => {
  it('the tarballs hold only built entry points: no build info, no source maps, every export resolves', () => {
    for (const name of PACKAGES) {
      const listing = ok('tar', ['tzf', tarballs[name]]);
      expect(listing).not.toMatch(/tsbuildinfo|\.map$|\.test\.js/m);
      const manifest = JSON.parse(readFileSync(join(ws, 'node_modules/@pgwarden', name, 'package.json'), 'utf8')) as { exports?: Record<string, unknown> };
      const targets = Object.entries(manifest.exports ?? {}).flatMap(([key, value]) => {
        expect(key).not.toContain('*');
        return typeof value === 'string' ? [value] : Object.values(value as Record<string, string>);
      });
      for (const target of targets) expect(existsSync(join(ws, 'node_modules/@pgwarden', name, target)), `${name}: ${target}`).toBe(true);
    }
    // Installing the CLI brings the engine, at exactly its own version.
    const cli = JSON.parse(readFileSync(join(ws, 'node_modules/@pgwarden/cli/package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(cli.dependencies['@pgwarden/core']).toBe(VERSION);
    const rooms = ok('node', ['--input-type=module', '-e', "import('@pgwarden/core').then((core) => console.log(Object.keys(core).sort().join(',')))"]);
    expect(rooms.trim().split(',')).toEqual(expect.arrayContaining(['catalog', 'check', 'config', 'db', 'impact', 'lint', 'migration', 'runner', 'shadow', 'typegen', 'verify', 'workspace']));
  });

  it('pgwarden run where there is no migrations folder says so and exits 2, naming the folder and the config', () => {
    const result = run('npx', ['--no-install', 'pgwarden', 'lint']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`no migrations folder at ${join(ws, 'migration_history')}`);
    expect(result.stderr).toContain('no pgwarden.config.json found');
    expect(result.output2).not.toContain('no problems');
  });

  it('nx g @pgwarden/nx:init sets up a database project in a sub-folder, and running it again changes nothing', () => {
    ok(NX, ['g', '@pgwarden/nx:init', `--directory=${DB}`, '--no-interactive']);
    expect(JSON.parse(readFileSync(join(ws, 'nx.json'), 'utf8')).plugins).toContain('@pgwarden/nx');
    expect(existsSync(join(ws, DB, 'migration_history'))).toBe(true);
    expect(existsSync(join(ws, 'node_modules/husky/package.json'))).toBe(true);
    expect(readFileSync(join(ws, '.gitignore'), 'utf8')).toContain('.pgwarden/');
    expect(ok('git', ['config', 'core.hooksPath']).trim()).toBe('.husky/_');
    // The environments and the types output the rest of the test uses.
    const config = JSON.parse(readFileSync(join(ws, DB, 'pgwarden.config.json'), 'utf8'));
    config.environments = { local: {}, staging: { urlEnv: 'STAGING_DATABASE_URL', approvals: 0, record: true } };
    config.types = { outDir: '../db-types/src/generated' };
    write(`${DB}/pgwarden.config.json`, `${JSON.stringify(config, null, 2)}\n`);
    write(`${DB}/current_schema/01_notes.sql`, SCHEMA);
    ok('git', ['add', '-A']);
    ok('git', ['commit', '-qm', 'pgwarden init']);

    ok(NX, ['g', '@pgwarden/nx:init', `--directory=${DB}`, '--no-interactive']);
    expect(ok('git', ['status', '--porcelain'])).toBe('\n');
    const projects = ok(NX, ['show', 'projects', '--json'], { NX_ISOLATE_PLUGINS: 'true' });
    expect(JSON.parse(projects.trim()).sort()).toEqual(['@fixture/db-types', '@fixture/other', '@fixture/web', 'db']);
  });

  it('the commit hook (sub-folder config) rejects a bad migration and accepts a good one', () => {
    const head = ok('git', ['rev-parse', 'HEAD']);
    write(`${DB}/migration_history/2025-10-01_01_bad.sql`, 'CREATE TABLE notes (id int);\n');
    ok('git', ['add', '-A']);
    const rejected = run('git', ['commit', '-qm', 'bad migration']);
    expect(rejected.status).not.toBe(0);
    expect(rejected.output2).toContain('header-present');
    expect(ok('git', ['rev-parse', 'HEAD'])).toBe(head);
    ok('git', ['rm', '-q', '--cached', `${DB}/migration_history/2025-10-01_01_bad.sql`]);
    rmSync(join(ws, DB, 'migration_history/2025-10-01_01_bad.sql'));

    ok(NX, ['g', '@pgwarden/nx:migration', 'add_notes', '--date=2025-10-01', '--no-interactive']);
    expect(readFileSync(join(ws, GOOD), 'utf8')).toContain('-- Migration: Add notes');
    write(GOOD, GOOD_MIGRATION);
    ok('git', ['add', '-A']);
    ok('git', ['commit', '-qm', 'add notes']);
    expect(ok('git', ['rev-parse', 'HEAD'])).not.toBe(head);
  });

  it('nx run db:lint runs deep and is cacheable: the second run comes from the cache', () => {
    const first = ok(NX, ['run', 'db:lint']);
    expect(first).toContain('0 errors');
    expect(first).toContain('deep: 1 migration(s) applied to a shadow of current_schema');
    expect(ok(NX, ['run', 'db:lint'])).toContain('read the output from the cache');
  });

  // Two Nx runs only (each costs Nx's start-up): write refusal and option errors are the executor test's.
  it('nx run db:plan reports the pending migration and is cached', () => {
    const report = ok(NX, ['run', 'db:plan']);
    expect(report).toContain('# Impact of migration_history/2025-10-01_01_add_notes.sql');
    expect(report).toContain('- Idempotent: yes');
    expect(ok(NX, ['run', 'db:plan'])).toContain('read the output from the cache');
    expect(ok('git', ['status', '--porcelain']).trim()).toBe('');
  });

  it('nx run db:migrate applies the migration to the embedded database and changes no tracked file', () => {
    const output = ok(NX, ['run', 'db:migrate']);
    expect(output).toContain('applied  2025-10-01_01_add_notes.sql');
    expect(output).toContain('1 applied, 0 already applied');
    // A local run records nothing in the header: the working tree stays clean.
    expect(readFileSync(join(ws, GOOD), 'utf8')).toBe(GOOD_MIGRATION);
    expect(ok('git', ['status', '--porcelain']).trim()).toBe('');
  });

  it('nx run db:migrate --env=staging applies it to a real server; a URL with a password is refused', async () => {
    if (!(await serverAvailable('nx e2e: migrate --env=staging'))) return;
    database = await createTestDatabase('nx_e2e');
    const output = ok(NX, ['run', 'db:migrate', '--env=staging'], { STAGING_DATABASE_URL: database.url });
    expect(output).toContain('(env staging)');
    expect(output).toContain('1 applied');
    const admin = await database.admin();
    expect((await admin.query("SELECT to_regclass('public.notes') IS NOT NULL AS present")).rows[0].present).toBe(true);
    // staging records: the execution record in the header is committed (a header-only change passes the hook) ...
    const executed = readFileSync(join(ws, GOOD), 'utf8');
    expect(executed).toMatch(/\n--   \[X\] staging \S+ by \S+ \(\d+ ms\) pgwarden \S+\n/);
    ok('git', ['add', '-A']);
    ok('git', ['commit', '-qm', 'executed add notes']);
    // ... and the sub-folder layout is checked like a root one: an edit to its body is refused.
    write(GOOD, executed.replace('body text NOT NULL', 'body text'));
    ok('git', ['add', '-A']);
    const edited = run('git', ['commit', '-qm', 'edit an executed migration']);
    expect(edited.status).not.toBe(0);
    expect(edited.output2).toContain('executed-immutable');
    ok('git', ['reset', '-q']);
    ok('git', ['reset', '-q', '--hard', 'HEAD~1']);

    const refused = run(NX, ['run', 'db:status', '--databaseUrl=postgres://app:s3cret@127.0.0.1:1/x']);
    expect(refused.status).not.toBe(0);
    expect(refused.output2).toContain('databaseUrl contains a password');
  });

  it('nx run db:check proves the schema; nx run db:types generates the types package, and a second run comes from the cache', () => {
    expect(ok(NX, ['run', 'db:check'])).toContain('Successfully ran target check');
    ok(NX, ['run', 'db:types']);
    const generated = readFileSync(join(ws, 'packages/db-types/src/generated/database.ts'), 'utf8');
    expect(generated).toContain('notes: {');
    expect(ok(NX, ['run', 'db:types'])).toContain('read the output from the cache');
    expect(ok(NX, ['sync:check'])).toContain('up to date');
    ok('git', ['add', '-A']);
    ok('git', ['commit', '-qm', 'generated types']);
  });

  it('a schema change marks exactly the database project, the types package and its consumer affected', () => {
    write(`${DB}/current_schema/01_notes.sql`, `${SCHEMA}COMMENT ON TABLE public.notes IS 'free-text notes';\n`);
    const affected = ok(NX, ['show', 'projects', '--affected', '--base=HEAD', '--json']);
    expect(JSON.parse(affected.trim().split('\n').pop()!).sort()).toEqual(['@fixture/db-types', '@fixture/web', 'db']);
    // `nx affected -t typecheck` runs exactly the types package's and its consumer's, and they pass.
    const typechecked = ok(NX, ['affected', '-t', 'typecheck', '--base=HEAD', '--outputStyle=static']);
    expect(typechecked).toContain('@fixture/db-types:typecheck');
    expect(typechecked).toContain('@fixture/web:typecheck');
    expect(typechecked).not.toContain('@fixture/other:typecheck');
    ok('git', ['checkout', '-q', 'HEAD', '--', `${DB}/current_schema`]);
    // A change elsewhere leaves the database project alone.
    write('packages/other/src/extra.ts', 'export const extra = 2;\n');
    const other = ok(NX, ['show', 'projects', '--affected', '--base=HEAD', '--json']);
    expect(JSON.parse(other.trim().split('\n').pop()!)).toEqual(['@fixture/other']);
  });
});
