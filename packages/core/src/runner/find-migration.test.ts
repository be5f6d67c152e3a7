/** Naming one migration when files share a version (many files numbered `_00_` on one day). */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMigration } from '../migration/index.js';
import type { Migration } from '../migration/types.js';
import { Workspace } from './__fixtures__/migrations.js';
import { commandNames, findMigration, MigrationNameError, migrationsNamed } from './find-migration.js';

const ws = new Workspace();
afterAll(() => ws.cleanup());

const history = ws.write(
  { file: '2025-09-01_01_create_notes.sql', body: 'SELECT 1;' },
  { file: '2025-09-15_00_add_notes_a.sql', body: 'SELECT 2;' },
  { file: '2025-09-15_00_add_notes_b.sql', body: 'SELECT 3;' },
  { file: '2025-09-15_00_add_notes_c.sql', body: 'SELECT 4;' },
);
const accept = { spell: (name: string) => `pgwarden repair --accept ${name}`, cwd: ws.root };
const baseNames = (found: Migration[]) => found.map((m) => m.name.baseName);

describe('findMigration', () => {
  it('a version that one file has names that file, as before', () => {
    expect(findMigration(history, '2025-09-01_01', accept).name.baseName).toBe('2025-09-01_01_create_notes.sql');
  });

  it('names one of several files of a version by its file name, with or without .sql, or by its path', () => {
    for (const name of [
      '2025-09-15_00_add_notes_b',
      '2025-09-15_00_add_notes_b.sql',
      'migration_history/2025-09-15_00_add_notes_b.sql',
      './migration_history/2025-09-15_00_add_notes_b.sql',
      join(ws.root, 'migration_history/2025-09-15_00_add_notes_b.sql'),
    ]) {
      expect(findMigration(history, name, accept).name.baseName, name).toBe('2025-09-15_00_add_notes_b.sql');
    }
    // Relative to the current folder too: from inside migration_history/.
    expect(findMigration(history, '2025-09-15_00_add_notes_b.sql', { ...accept, cwd: ws.dir }).relPath).toBe('migration_history/2025-09-15_00_add_notes_b.sql');
  });

  it('a shared version is refused (exit 2), listing every file and the exact command for each', () => {
    let error: unknown;
    try {
      findMigration(history, '2025-09-15_00', accept);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MigrationNameError);
    expect((error as MigrationNameError).exitCode).toBe(2);
    expect((error as MigrationNameError).userMessage).toBe(
      '2025-09-15_00: 3 migration files have this version (migration_history/2025-09-15_00_add_notes_a.sql, migration_history/2025-09-15_00_add_notes_b.sql, migration_history/2025-09-15_00_add_notes_c.sql): name the one you mean: pgwarden repair --accept 2025-09-15_00_add_notes_a, pgwarden repair --accept 2025-09-15_00_add_notes_b or pgwarden repair --accept 2025-09-15_00_add_notes_c',
    );
  });

  it('a name that fits no file says what a name may be, and points from a slug to its file', () => {
    expect(() => findMigration(history, '2025-09-15_01', accept)).toThrow(
      '2025-09-15_01: no migration file has this version: name a migration by its version (YYYY-MM-DD_NN), its file name (YYYY-MM-DD_NN_slug, .sql optional) or its path',
    );
    expect(() => findMigration(history, 'add_notes_b', accept)).toThrow(
      'add_notes_b: no migration file has this name: name a migration by its version (YYYY-MM-DD_NN), its file name (YYYY-MM-DD_NN_slug, .sql optional) or its path; did you mean pgwarden repair --accept 2025-09-15_00_add_notes_b?',
    );
  });

  it('the same file name in two folders is told apart by path', () => {
    const copy = new Workspace();
    try {
      const files = copy.write({ file: '2025-09-15_00_add_notes_b.sql', body: 'SELECT 3;' });
      mkdirSync(join(copy.dir, 'archive'));
      const moved = join(copy.dir, 'archive/2025-09-15_00_add_notes_b.sql');
      writeFileSync(moved, readFileSync(files[0]!.path, 'utf8'));
      const both = [...files, parseMigration({ path: moved, relPath: 'migration_history/archive/2025-09-15_00_add_notes_b.sql', text: readFileSync(moved, 'utf8') })];
      expect(() => findMigration(both, '2025-09-15_00_add_notes_b', { ...accept, cwd: copy.root })).toThrow(
        'name the one you mean: pgwarden repair --accept migration_history/2025-09-15_00_add_notes_b.sql or pgwarden repair --accept migration_history/archive/2025-09-15_00_add_notes_b.sql',
      );
      expect(findMigration(both, 'migration_history/archive/2025-09-15_00_add_notes_b.sql', { ...accept, cwd: copy.root }).path).toBe(moved);
    } finally {
      copy.cleanup();
    }
  });
});

describe('migrationsNamed', () => {
  it('a version names every file of it, in execution order', () => {
    expect(baseNames(migrationsNamed([...history].reverse(), '2025-09-15_00', ws.root))).toEqual([
      '2025-09-15_00_add_notes_a.sql',
      '2025-09-15_00_add_notes_b.sql',
      '2025-09-15_00_add_notes_c.sql',
    ]);
  });
});

describe('commandNames', () => {
  it('is the version where it is unique, else the file name without .sql', () => {
    const nameOf = commandNames(history);
    expect(history.map(nameOf)).toEqual(['2025-09-01_01', '2025-09-15_00_add_notes_a', '2025-09-15_00_add_notes_b', '2025-09-15_00_add_notes_c']);
  });
});
