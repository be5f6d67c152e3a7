/**
 * Golden files: `plan` on each demo migration (this repository's migration_history/) gives the
 * stored report: locks and the file:line of every affected table in current_schema/. The demo is
 * copied to a temporary folder (the shadow cache is written there); the reports hold only
 * workspace-relative paths and no timestamps, so they compare byte for byte.
 * Regenerate after an intended change: PGWARDEN_UPDATE_GOLDEN=1 npx vitest run packages/core/src/impact/golden.test.ts
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import { impactReport } from './impact-report.js';

const REPO = join(import.meta.dirname, '../../../..');
const GOLDEN = join(import.meta.dirname, '__fixtures__/golden');
const UPDATE = process.env.PGWARDEN_UPDATE_GOLDEN === '1';
const migrations = readdirSync(join(REPO, 'migration_history')).filter((name) => name.endsWith('.sql')).sort();
let workspace: string;

beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'pgwarden-golden-'));
  for (const entry of ['migration_history', 'current_schema', 'pgwarden.config.json']) cpSync(join(REPO, entry), join(workspace, entry), { recursive: true });
  if (UPDATE) mkdirSync(GOLDEN, { recursive: true });
});
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

describe('plan on the demo history (golden files)', () => {
  it('covers every demo migration', () => {
    expect(migrations.length).toBeGreaterThanOrEqual(19);
    if (!UPDATE) expect(readdirSync(GOLDEN).sort()).toEqual(migrations.map((name) => name.replace(/\.sql$/, '.json')));
  });

  for (const name of migrations) {
    it(name, async () => {
      const report = await impactReport(loadConfig({ cwd: workspace }), join(workspace, 'migration_history', name));
      const text = JSON.stringify(report, null, 2) + '\n';
      expect(text).not.toContain(workspace);
      const golden = join(GOLDEN, name.replace(/\.sql$/, '.json'));
      if (UPDATE) writeFileSync(golden, text);
      expect(text).toBe(readFileSync(golden, 'utf8'));
    }, 300_000);
  }
});
