/**
 * The plan executor on a real fixture workspace (the impact fixture as `packages/database`, PGlite
 * shadows): every pending migration by default, named files as JSON, --write only under an
 * uncached target and only when every file has a header, one-line usage errors.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TargetConfiguration } from '@nx/devkit';
import { parseMigration } from '@pgwarden/core/migration/index';
import { combineOptionsForExecutor } from 'nx/src/utils/params';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captured, FixtureWorkspace } from '../__fixtures__/workspace.js';
import planExecutor from './plan.js';

const TARGETS: Record<string, TargetConfiguration> = {
  plan: { executor: '@pgwarden/nx:plan', cache: true, options: {} },
  'plan-write': { executor: '@pgwarden/nx:plan', cache: false, options: { write: true } },
};
const SHORTEN = 'migration_history/2025-10-01_01_shorten_names.sql';
const NICKNAME = 'migration_history/2025-10-02_02_add_nickname.sql';

let ws: FixtureWorkspace;
beforeAll(() => {
  ws = new FixtureWorkspace('plan', TARGETS);
});
afterAll(() => ws.remove());

const read = (rel: string) => readFileSync(join(ws.root, ws.path(rel)), 'utf8');

describe('@pgwarden/nx:plan', () => {
  it('without files, plans every pending migration in version order, as Markdown; an error finding fails the task', async () => {
    const { result, stdout } = await captured(() => planExecutor({}, ws.context('plan')));
    const headings = stdout.split('\n').filter((line) => line.startsWith('# Impact of '));
    expect(headings).toEqual([`# Impact of ${SHORTEN}`, `# Impact of ${NICKNAME}`]);
    // The lock and the current_schema/ location, read on the shadow, relative to the project.
    expect(stdout).toContain('| 17 | ALTER TABLE | ACCESS EXCLUSIVE on public.people |');
    expect(stdout).toContain('- public.people: current_schema/01_people.sql:2');
    expect(stdout).not.toContain(ws.root);
    // ADD COLUMN without IF NOT EXISTS fails on a second run: not idempotent, an error.
    expect(result).toEqual({ success: false });
  });

  it('named files (workspace-relative) as a JSON array; plan-write fills the header and keeps the body', async () => {
    const before = read(NICKNAME);
    const { result, stdout, stderr } = await captured(() => planExecutor({ files: [ws.path(NICKNAME)], format: 'json', write: true }, ws.context('plan-write')));
    const reports = JSON.parse(stdout) as { file: string; idempotent: { proved: boolean }; affectedTables: { table: string; definedAt?: { file: string; line: number } }[] }[];
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ file: NICKNAME, idempotent: { proved: false }, affectedTables: [{ table: 'public.people', definedAt: { file: 'current_schema/01_people.sql', line: 2 } }] });
    expect(result).toEqual({ success: false });
    expect(stderr).toContain(`pgwarden: ${NICKNAME}: header updated`);
    const after = read(NICKNAME);
    expect(after).toContain('-- AFFECTED TABLES: people\n');
    expect(after).toContain('--   [ ] current_schema/01_people.sql (Line 5: added column public.people.nickname to CREATE TABLE public.people)\n');
    const checksum = (text: string) => parseMigration({ path: NICKNAME, relPath: NICKNAME, text }).checksum;
    expect(checksum(after)).toBe(checksum(before));
  });

  it('write under the cached target is refused before any work, naming the uncached one; the file is untouched', async () => {
    const before = read(SHORTEN);
    const { result, stdout, stderr } = await captured(() => planExecutor({ files: [ws.path(SHORTEN)], write: true }, ws.context('plan')));
    expect(result).toEqual({ success: false });
    expect(stdout).toBe('');
    expect(stderr).toBe('pgwarden: write edits the migration headers, and plan is cached: Nx would replay its output from the cache without writing them. Run nx run database:plan-write.\n');
    expect(read(SHORTEN)).toBe(before);
  });

  it('write with a file that has no header changes no file, not even the ones that have one', async () => {
    const headerless = 'migration_history/2025-10-03_03_no_header.sql';
    writeFileSync(join(ws.root, ws.path(headerless)), 'ALTER TABLE public.people ADD COLUMN IF NOT EXISTS email text;\n');
    const before = read(SHORTEN);
    const { result, stdout, stderr } = await captured(() => planExecutor({ files: [ws.path(SHORTEN), ws.path(headerless)], write: true }, ws.context('plan-write')));
    expect(result).toEqual({ success: false });
    expect(stdout).toBe('');
    expect(stderr).toBe(`pgwarden: ${headerless}: no header block to fill (start the file with the template's '-- ====' header); nothing was written\n`);
    expect(read(SHORTEN)).toBe(before);
  });

  it('a file that does not exist: one line naming it and how paths are read, no stack', async () => {
    const { result, stderr } = await captured(() => planExecutor({ files: ['migration_history/nope.sql'] }, ws.context('plan')));
    expect(result).toEqual({ success: false });
    expect(stderr).toBe('pgwarden: migration_history/nope.sql: no such file (files are relative to the workspace root)\n');
  });
});

describe('options, as Nx combines and validates them for `nx run`', () => {
  const schema = JSON.parse(readFileSync(new URL('./schema.json', import.meta.url), 'utf8'));
  const combine = (commandLine: Parameters<typeof combineOptionsForExecutor>[0], target: string) => combineOptionsForExecutor(commandLine, '', TARGETS[target]!, schema, 'database', '');

  it('--files takes a comma-separated list; plan-write brings write; defaults fill the rest', () => {
    expect(combine({ files: 'a.sql,b.sql' }, 'plan')).toEqual({ files: ['a.sql', 'b.sql'], format: 'md', write: false });
    expect(combine({ format: 'json' }, 'plan-write')).toEqual({ format: 'json', write: true });
  });

  it('an unknown format or option is refused before the executor runs', () => {
    expect(() => combine({ format: 'html' }, 'plan')).toThrow(/format/);
    expect(() => combine({ env: 'staging' }, 'plan')).toThrow(/env/);
  });
});
