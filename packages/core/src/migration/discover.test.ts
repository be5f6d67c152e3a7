import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverMigrations, sortByVersion } from './discover.js';

const root = mkdtempSync(join(tmpdir(), 'pgwarden-discover-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function touch(path: string): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), '-- migration\n');
}

describe('discoverMigrations', () => {
  it('finds .sql files recursively, sorted by date then sequence then path', async () => {
    touch('migration_history/2025-10-08_18_add_processing_time_minutes.sql');
    touch('migration_history/2025-09-01_00_initial.sql');
    touch('migration_history/2025-09-01_00_duplicate_number.sql');
    touch('migration_history/migration_history_2025-10/2025-10-08_104_late.sql');
    touch('migration_history/migration_history_2025-10/2025-10-08_19_grouped.sql');
    touch('migration_history/2025-10-09_20_SHOUTING.SQL');
    touch('migration_history/readme_no_version.sql');
    touch('migration_history/notes.md');
    touch('migration_history/.archive/2025-01-01_01_hidden.sql');
    touch('migration_history/node_modules/pkg/2025-01-01_01_dependency.sql');
    mkdirSync(join(root, 'migration_history', 'x.sql'));
    symlinkSync(
      join(root, 'migration_history/2025-09-01_00_initial.sql'),
      join(root, 'migration_history/migration_history_2025-10/2025-10-10_21_linked.sql'),
    );

    const found = await discoverMigrations(join(root, 'migration_history'));
    expect(found.every((path) => path.startsWith(root))).toBe(true);
    expect(found.map((path) => relative(join(root, 'migration_history'), path))).toEqual([
      '2025-09-01_00_duplicate_number.sql',
      '2025-09-01_00_initial.sql',
      '2025-10-08_18_add_processing_time_minutes.sql',
      'migration_history_2025-10/2025-10-08_19_grouped.sql',
      'migration_history_2025-10/2025-10-08_104_late.sql',
      '2025-10-09_20_SHOUTING.SQL',
      'migration_history_2025-10/2025-10-10_21_linked.sql',
      'readme_no_version.sql',
    ]);
  });

  it('returns an empty list for an empty directory and throws a clear error for a missing one', async () => {
    mkdirSync(join(root, 'empty'));
    expect(await discoverMigrations(join(root, 'empty'))).toEqual([]);
    await expect(discoverMigrations(join(root, 'missing'))).rejects.toThrow(`The migrations directory ${join(root, 'missing')} does not exist.`);
  });
});

describe('sortByVersion', () => {
  it('compares sequence numbers as numbers and paths by code unit', () => {
    expect(sortByVersion(['/b/2025-01-01_10_a.sql', '/a/2025-01-01_9_a.sql', '/B/2025-01-01_10_a.sql', '/z/other.sql', '/a/2024-12-31_99_a.sql'])).toEqual([
      '/a/2024-12-31_99_a.sql',
      '/a/2025-01-01_9_a.sql',
      '/B/2025-01-01_10_a.sql',
      '/b/2025-01-01_10_a.sql',
      '/z/other.sql',
    ]);
  });
});
