/**
 * lint --deep on a warm shadow cache: the schema before the first migration comes from the
 * snapshot stored in the cache entry instead of a catalog query, and the proofs that compare
 * against it (the rollback proof here) find exactly what they find on a cold build.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import { deepLint } from './deep-lint.js';

const FIXTURE = join(import.meta.dirname, '__fixtures__/deep');
const workspace = mkdtempSync(join(tmpdir(), 'pgwarden-deep-cache-'));
cpSync(join(FIXTURE, 'current_schema'), join(workspace, 'current_schema'), { recursive: true });
cpSync(join(FIXTURE, 'pgwarden.config.json'), join(workspace, 'pgwarden.config.json'));
mkdirSync(join(workspace, 'migration_history'));
// The only pending migration, so it meets the schema exactly as built.
cpSync(join(FIXTURE, 'migration_history/2025-10-01_07_rollback_incomplete.sql'), join(workspace, 'migration_history/2025-10-01_07_rollback_incomplete.sql'));

afterAll(() => rmSync(workspace, { recursive: true, force: true }));

describe('lint --deep with a warm shadow cache', () => {
  it('stores the built schema snapshot with the shadow and proves the same findings from it', async () => {
    const cold = await deepLint(loadConfig({ cwd: workspace }));
    expect(cold.cache).toBe('miss');
    expect(cold.findings).toEqual([
      expect.objectContaining({ line: 9, rule: 'deep-rollback-incomplete', message: 'the rollback script leaves column public.visits.floor, which the migration created' }),
    ]);
    const cacheDir = join(workspace, '.pgwarden/cache');
    const [entry] = readdirSync(cacheDir).filter((name) => name.startsWith('shadow-') && name.endsWith('.json'));
    const stored = JSON.parse(readFileSync(join(cacheDir, entry!), 'utf8')) as { snapshot?: { tables: { key: string; columns: { name: string }[] }[] } };
    // The schema before the migration: visits without the columns the migration adds.
    const visits = stored.snapshot?.tables.find((table) => table.key === 'public.visits');
    expect(visits?.columns.map((column) => column.name)).not.toContain('floor');

    const warm = await deepLint(loadConfig({ cwd: workspace }));
    expect(warm.cache).toBe('hit');
    expect(warm.findings).toEqual(cold.findings);
  }, 600_000);
});
