import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../config/defaults.js';
import { loadHistory } from './history.js';

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'pgwarden-history-'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function write(relPath: string, content: string | Buffer): void {
  const path = join(root, relPath);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

const migration = (date: string) => `-- ============================================================================
-- Migration: Add a note
-- Date: ${date}
-- ============================================================================

ALTER TABLE public.visits ADD COLUMN IF NOT EXISTS note text;
`;

describe('loadHistory', () => {
  it('parses every readable migration in version order, sub-folders included, with root-relative paths', async () => {
    write('migration_history/2025-02/2025-02-01_03_c.sql', migration('2025-02-01'));
    write('migration_history/2025-01-02_02_b.sql', migration('2025-01-02'));
    write('migration_history/2025-01-01_01_a.sql', migration('2025-01-01'));
    write('migration_history/README.md', 'not a migration');
    const history = await loadHistory(defaultConfig(root));
    expect(history.unreadable).toEqual([]);
    expect(history.migrations.map((m) => m.relPath)).toEqual([
      'migration_history/2025-01-01_01_a.sql',
      'migration_history/2025-01-02_02_b.sql',
      'migration_history/2025-02/2025-02-01_03_c.sql',
    ]);
    const [first] = history.migrations;
    expect(first!.path).toBe(join(root, 'migration_history/2025-01-01_01_a.sql'));
    expect(first!.name).toMatchObject({ date: '2025-01-01', sequence: 1, slug: 'a' });
    expect(first!.text).toBe(migration('2025-01-01'));
    expect(first!.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reports a binary file in `unreadable` with the reason, and still returns the others', async () => {
    write('migration_history/2025-01-01_01_a.sql', migration('2025-01-01'));
    write('migration_history/2025-01-02_02_blob.sql', Buffer.from([0x2d, 0x2d, 0x0a, 0x00, 0xff]));
    write('migration_history/2025-01-03_03_latin1.sql', Buffer.from('-- caf\xe9\nSELECT 1;\n', 'latin1'));
    const history = await loadHistory(defaultConfig(root));
    expect(history.migrations.map((m) => m.relPath)).toEqual(['migration_history/2025-01-01_01_a.sql']);
    expect(history.unreadable).toEqual([
      { relPath: 'migration_history/2025-01-02_02_blob.sql', message: 'contains a NUL byte (line 2), so it looks like a binary file, not SQL' },
      { relPath: 'migration_history/2025-01-03_03_latin1.sql', message: 'is not valid UTF-8 (first bad byte at line 1); save it as UTF-8' },
    ]);
  });

  it('a missing migrations folder is an empty history', async () => {
    expect(await loadHistory(defaultConfig(root))).toEqual({ migrations: [], unreadable: [] });
    expect(await loadHistory({ ...defaultConfig(root), migrationsDir: 'db/nowhere' })).toEqual({ migrations: [], unreadable: [] });
  });

  it('an empty migrations folder is an empty history', async () => {
    mkdirSync(join(root, 'migration_history'));
    expect(await loadHistory(defaultConfig(root))).toEqual({ migrations: [], unreadable: [] });
  });

  it('a migrations "folder" that is a file is an error, not an empty history', async () => {
    write('migration_history', 'oops');
    await expect(loadHistory(defaultConfig(root))).rejects.toThrow('is not a directory');
  });

  it('reads the configured folder', async () => {
    write('db/migrations/2025-01-01_01_a.sql', migration('2025-01-01'));
    write('migration_history/2025-01-02_02_b.sql', migration('2025-01-02'));
    const history = await loadHistory({ ...defaultConfig(root), migrationsDir: 'db/migrations' });
    expect(history.migrations.map((m) => m.relPath)).toEqual(['db/migrations/2025-01-01_01_a.sql']);
  });
});
