/**
 * The schema a pending migration meets: current_schema/ plus the earlier migrations it does not
 * reflect yet. Fixture: a baseline whose policy a later migration replaced (both ticked, so
 * current_schema/ holds only the new policy), then two unticked migrations where the second needs
 * the first. Replaying the baseline would bring the old policy back and make the replacement's
 * rollback look incomplete.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedShadowCache } from '../../../../tests/support/shared-shadow-cache.js';
import { loadConfig } from '../config/load.js';
import { discoverMigrations, parseMigration, sortByVersion, toRelPath } from '../migration/index.js';
import { deepLint } from './deep-lint.js';
import { appliedBefore, reflectedInCurrentSchema } from './pending.js';

const FIXTURE = join(import.meta.dirname, '__fixtures__/reflected');
let workspace: string;

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'pgwarden-reflected-'));
  cpSync(FIXTURE, workspace, { recursive: true });
  // The preset bases every cold build starts from, built once per run.
  await seedShadowCache(workspace);
}, 600_000);
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

async function history() {
  const paths = sortByVersion(await discoverMigrations(join(workspace, 'migration_history')));
  return paths.map((path) => parseMigration({ path, relPath: toRelPath(workspace, path), text: readFileSync(path, 'utf8') }));
}

describe('the schema a pending migration meets', () => {
  it('counts a migration with every source-of-truth entry ticked as reflected in current_schema/', async () => {
    const migrations = await history();
    expect(migrations.map((migration) => reflectedInCurrentSchema(migration))).toEqual([true, true, false, false]);
    expect(appliedBefore(migrations, migrations[3]!).map((migration) => migration.name.version)).toEqual(['2025-03-01_03']);
    expect(appliedBefore(migrations, migrations[1]!)).toEqual([]);
  });

  it('does not replay a reflected baseline: the replacement policy and its rollback prove clean', async () => {
    const report = await deepLint(loadConfig({ cwd: workspace }));
    expect(report.checked).toHaveLength(4);
    expect(report.findings).toEqual([]);
  }, 600_000);

  it('proves a named reflected migration on current_schema/ alone', async () => {
    const report = await deepLint(loadConfig({ cwd: workspace }), { paths: [join(workspace, 'migration_history/2025-02-01_02_restrict_note_updates.sql')] });
    expect(report.findings).toEqual([]);
  }, 600_000);

  it('applies the earlier unreflected migration a named one needs (near miss: the column exists)', async () => {
    const report = await deepLint(loadConfig({ cwd: workspace }), { paths: [join(workspace, 'migration_history/2025-03-02_04_index_note_title.sql')] });
    expect(report.checked).toEqual(['migration_history/2025-03-02_04_index_note_title.sql']);
    expect(report.findings).toEqual([]);
  }, 600_000);
});

describe('nothing pending', () => {
  it('with every migration at or before the baseline, deepLint proves nothing and builds no shadow (near miss: the last one pending is proved on one)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'pgwarden-nothing-pending-'));
    try {
      cpSync(FIXTURE, folder, { recursive: true });
      writeFileSync(join(folder, 'pgwarden.config.json'), JSON.stringify({ preset: 'none', exposedSchemas: ['public'], baseline: '2025-03-02_04' }));
      const none = await deepLint(loadConfig({ cwd: folder }));
      expect(none).toEqual({ findings: [], checked: [], functionsVerified: 0, cache: 'off' });
      writeFileSync(join(folder, 'pgwarden.config.json'), JSON.stringify({ preset: 'none', exposedSchemas: ['public'], baseline: '2025-03-01_03' }));
      const one = await deepLint(loadConfig({ cwd: folder }));
      expect(one.checked).toEqual(['migration_history/2025-03-02_04_index_note_title.sql']);
      expect(one.cache).not.toBe('off');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 600_000);
});
