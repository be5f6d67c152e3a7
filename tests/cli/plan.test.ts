/**
 * `pgwarden plan` and `lint --hook` end to end: the real built binary on temporary copies of the
 * impact fixtures (PGlite shadows). plan: Markdown and JSON, --write keeps the body (checksum),
 * usage errors exit 2 with one line. lint --hook: the deep proofs run only when the config sets
 * hook.deep.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMigration } from '../../packages/core/src/migration/index.js';
import { assertBuilt, REPO_ROOT, runCli, stackLines } from '../support/cli-workspace.js';
import { seedShadowCache } from '../support/shared-shadow-cache.js';

const FIXTURES = join(REPO_ROOT, 'packages/core/src/impact/__fixtures__');
const NICKNAME = 'migration_history/2025-10-02_02_add_nickname.sql';
const folders: string[] = [];

/** A copy of the fixture, its shadow cache seeded with the bases every cold build starts from (built once per run). */
async function copyOf(fixture: string): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), `pgwarden-cli-${fixture}-`));
  cpSync(join(FIXTURES, fixture), folder, { recursive: true });
  folders.push(folder);
  await seedShadowCache(folder);
  return folder;
}

beforeAll(() => assertBuilt());
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

describe('pgwarden plan', () => {
  it('prints the Markdown report, then --write fills the header without touching the body', async () => {
    const cwd = await copyOf('plan');
    const before = readFileSync(join(cwd, NICKNAME), 'utf8');
    const result = await runCli(['plan', NICKNAME, '--write'], { cwd, timeoutMs: 300_000 });
    expect(result.stdout).toContain('| 10 | ALTER TABLE | ACCESS EXCLUSIVE on public.people |');
    expect(result.stdout).toContain('- public.people: current_schema/01_people.sql:2');
    expect(result.stdout).toContain('- Idempotent: no');
    expect(result.stderr).toContain(`${NICKNAME}: header updated`);
    expect(result.code).toBe(1); // the proofs found an error (not idempotent)
    const after = readFileSync(join(cwd, NICKNAME), 'utf8');
    expect(after).toContain('-- AFFECTED TABLES: people\n');
    expect(after).toContain('--   [ ] current_schema/01_people.sql (Line 5: added column public.people.nickname to CREATE TABLE public.people)\n');
    expect(parseMigration({ path: NICKNAME, relPath: NICKNAME, text: after }).checksum).toBe(parseMigration({ path: NICKNAME, relPath: NICKNAME, text: before }).checksum);
  }, 300_000);

  it('prints JSON with workspace-relative paths and exits 0 for a clean migration', async () => {
    const cwd = await copyOf('plan');
    const clean = 'migration_history/2025-10-03_03_add_email.sql';
    writeFileSync(join(cwd, clean), readFileSync(join(cwd, NICKNAME), 'utf8').replace('ADD COLUMN nickname', 'ADD COLUMN IF NOT EXISTS email').replace('2025-10-02', '2025-10-03'));
    const result = await runCli(['plan', clean, '--format', 'json'], { cwd, timeoutMs: 300_000 });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ file: clean, idempotent: { proved: true }, affectedTables: [{ table: 'public.people', definedAt: { file: 'current_schema/01_people.sql', line: 2 } }] });
    expect(result.stdout).not.toContain(cwd);
  }, 300_000);

  it('bad input: one line, exit 2, no stack', async () => {
    const cwd = await copyOf('plan');
    for (const args of [['plan'], ['plan', 'migration_history/nope.sql'], ['plan', NICKNAME, '--format', 'html']]) {
      const result = await runCli(args, { cwd });
      expect(result.code, args.join(' ')).toBe(2);
      expect(stackLines(result.all)).toEqual([]);
    }
    expect((await runCli(['plan', 'migration_history/nope.sql'], { cwd })).stderr).toBe('pgwarden: migration_history/nope.sql: no such file\n');
  });
});

describe('pgwarden lint --hook', () => {
  const FILE = 'migration_history/2025-10-01_06_not_idempotent_create.sql';

  it('stays shallow without hook.deep (near miss: the deep finding is absent)', async () => {
    const cwd = await copyOf('deep');
    const result = await runCli(['lint', '--hook', '--format', 'json', FILE], { cwd, timeoutMs: 300_000 });
    expect(JSON.parse(result.stdout).map((finding: { rule: string }) => finding.rule)).not.toContain('deep-not-idempotent');
    expect(result.stderr).not.toContain('deep:');
  }, 300_000);

  it('runs the deep proofs on the named files with hook.deep: true', async () => {
    const cwd = await copyOf('deep');
    writeFileSync(join(cwd, 'pgwarden.config.json'), JSON.stringify({ preset: 'none', exposedSchemas: ['public'], hook: { deep: true } }));
    const result = await runCli(['lint', '--hook', '--format', 'json', FILE], { cwd, timeoutMs: 300_000 });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toContainEqual(expect.objectContaining({ file: FILE, line: 6, rule: 'deep-not-idempotent' }));
    expect(result.stderr).toContain('deep: 1 migration(s) applied');
  }, 300_000);
});
