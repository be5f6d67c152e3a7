import { addProjectConfiguration, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from 'nx/src/devkit-testing-exports';
import { beforeEach, describe, expect, it } from 'vitest';
import { migrationGenerator } from './migration.js';

describe('migration generator', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    tree.write('packages/database/pgwarden.config.json', JSON.stringify({ migrationsDir: 'migrations' }));
    tree.write('packages/database/migrations/2025-10-01_07_add_notes.sql', '-- old\n');
    tree.write('packages/database/migrations/2025-10/2025-10-02_08_add_index.sql', '-- old\n');
  });

  it('writes the next migration (sequence continues across sub-folders) with the header template', async () => {
    await migrationGenerator(tree, { name: 'add_processing_time_minutes', date: '2025-10-08' });
    const path = 'packages/database/migrations/2025-10-08_09_add_processing_time_minutes.sql';
    expect(tree.exists(path)).toBe(true);
    const text = tree.read(path, 'utf-8') ?? '';
    expect(text).toContain('-- Migration: Add processing time minutes');
    expect(text).toContain('-- Date: 2025-10-08');
  });

  it('honours --directory inside the migrations folder only', async () => {
    await migrationGenerator(tree, { name: 'add_tag', date: '2025-10-08', directory: '2025-10' });
    expect(tree.exists('packages/database/migrations/2025-10/2025-10-08_09_add_tag.sql')).toBe(true);
    await expect(migrationGenerator(tree, { name: 'add_tag', date: '2025-10-08', directory: '../elsewhere' })).rejects.toThrow('must be a sub-folder');
  });

  it('rejects a slug that breaks the convention, naming the problem', async () => {
    await expect(migrationGenerator(tree, { name: 'Add-Notes', date: '2025-10-08' })).rejects.toThrow(/slug "Add-Notes"/);
    await expect(migrationGenerator(tree, { name: 'add_notes', date: '2025-02-30' })).rejects.toThrow(/not a real YYYY-MM-DD date/);
  });

  it('asks for --project when the workspace has several pgwarden projects, and uses it', async () => {
    tree.write('other/pgwarden.config.json', '{}');
    await expect(migrationGenerator(tree, { name: 'add_notes', date: '2025-10-08' })).rejects.toThrow('pass --project');
    addProjectConfiguration(tree, 'other', { root: 'other' });
    await migrationGenerator(tree, { name: 'add_notes', date: '2025-10-08', project: 'other' });
    expect(tree.exists('other/migration_history/2025-10-08_01_add_notes.sql')).toBe(true);
  });
});
