import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flushChanges, FsTree } from 'nx/src/generators/tree';
import { afterAll, describe, expect, it } from 'vitest';
import typesSyncGenerator from './types-sync.js';

const root = mkdtempSync(join(tmpdir(), 'pgwarden-types-sync-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}

describe('types sync generator', () => {
  it('writes stale generated files into the tree and reports them; once written, the workspace is in sync', { timeout: 300_000 }, async () => {
    write('packages/database/pgwarden.config.json', JSON.stringify({ preset: 'none', types: { outputs: [{ path: '../db-types/src/database.ts', format: 'supabase', schemas: ['public'] }] } }));
    write('packages/database/migration_history/.gitkeep', '');
    write('packages/database/current_schema/01_core.sql', 'CREATE TABLE public.patients (id uuid PRIMARY KEY, full_name text NOT NULL);\n');

    const tree = new FsTree(root, false);
    const first = await typesSyncGenerator(tree);
    expect(first.outOfSyncMessage).toContain('packages/db-types/src/database.ts');
    const generated = tree.read('packages/db-types/src/database.ts', 'utf-8');
    expect(generated).toContain('patients: {');
    expect(generated).toContain('full_name: string');
    flushChanges(root, tree.listChanges());

    const second = await typesSyncGenerator(new FsTree(root, false));
    expect(second.outOfSyncMessage).toBeUndefined();

    // A schema change makes it stale again.
    write('packages/database/current_schema/01_core.sql', 'CREATE TABLE public.patients (id uuid PRIMARY KEY, full_name text NOT NULL, nickname text);\n');
    const third = await typesSyncGenerator(new FsTree(root, false));
    expect(third.outOfSyncMessage).toContain('packages/db-types/src/database.ts');
  });
});
