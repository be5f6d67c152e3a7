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
import { seedShadowCache } from '../../../../tests/support/shared-shadow-cache.js';
import { loadConfig } from '../config/load.js';
import { impactReport, type ImpactReport } from './impact-report.js';

const REPO = join(import.meta.dirname, '../../../..');
const GOLDEN = join(import.meta.dirname, '__fixtures__/golden');
const UPDATE = process.env.PGWARDEN_UPDATE_GOLDEN === '1';
const migrations = readdirSync(join(REPO, 'migration_history')).filter((name) => name.endsWith('.sql')).sort();
let workspace: string;

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'pgwarden-golden-'));
  for (const entry of ['migration_history', 'current_schema', 'pgwarden.config.json']) cpSync(join(REPO, entry), join(workspace, entry), { recursive: true });
  // The demo's shadow, built once per run for every suite that needs it (the reports read it from the cache anyway).
  await seedShadowCache(workspace);
  if (UPDATE) mkdirSync(GOLDEN, { recursive: true });
}, 600_000);
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

describe('plan on the demo history (golden files)', () => {
  it('covers every demo migration', () => {
    expect(migrations.length).toBeGreaterThanOrEqual(19);
    if (!UPDATE) expect(readdirSync(GOLDEN).sort()).toEqual(migrations.map((name) => name.replace(/\.sql$/, '.json')));
  });

  const reports = new Map<string, ImpactReport>();
  for (const name of migrations) {
    it(name, async () => {
      const report = await impactReport(loadConfig({ cwd: workspace }), join(workspace, 'migration_history', name));
      reports.set(name, report);
      const text = JSON.stringify(report, null, 2) + '\n';
      expect(text).not.toContain(workspace);
      const golden = join(GOLDEN, name.replace(/\.sql$/, '.json'));
      if (UPDATE) writeFileSync(golden, text);
      expect(text).toBe(readFileSync(golden, 'utf8'));
    }, 300_000);
  }

  // What the stored files must say, spelled out for the files where a reviewer cares most.
  it('names the expected locks, rewrites and definitions', () => {
    const bmi = reports.get('2025-02-10_09_add_vital_signs_bmi.sql')!;
    // The file suppresses table-rewrite for lint (deliberate), but the report still states the rewrite.
    expect(bmi.statements[0]).toMatchObject({ line: 35, kind: 'ALTER TABLE', locks: [{ mode: 'ACCESS EXCLUSIVE', tables: ['public.vital_signs'] }], rewrites: [expect.stringContaining('STORED')] });
    expect(bmi.affectedTables).toEqual([{ table: 'public.vital_signs', definedAt: { file: 'current_schema/03_clinical_core.sql', line: 167 } }]);
    const concurrently = reports.get('2025-06-02_14_index_documents_and_lab_results_concurrently.sql')!;
    // DROP INDEX CONCURRENTLY IF EXISTS before each CREATE INDEX CONCURRENTLY (a rerun after an interrupted build): both on the index's table.
    expect(concurrently.statements.map((statement) => statement.locks)).toEqual([
      [{ mode: 'SHARE UPDATE EXCLUSIVE', tables: ['public.documents'] }],
      [{ mode: 'SHARE UPDATE EXCLUSIVE', tables: ['public.documents'] }],
      [{ mode: 'SHARE UPDATE EXCLUSIVE', tables: ['public.lab_results'] }],
      [{ mode: 'SHARE UPDATE EXCLUSIVE', tables: ['public.lab_results'] }],
    ]);
    const policy = reports.get('2025-09-09_19_restrict_clinical_notes_update_policy.sql')!;
    expect(policy.statements.map((statement) => statement.locks[0]!.mode)).toEqual(['ACCESS EXCLUSIVE', 'ACCESS EXCLUSIVE', 'ACCESS EXCLUSIVE']);
    expect(policy.affectedTables).toEqual([{ table: 'public.clinical_notes', definedAt: { file: 'current_schema/03_clinical_core.sql', line: 197 } }]);
    // A DROP POLICY the file re-creates is a replacement; dropping the old policy is destructive.
    expect(policy.statements.filter((statement) => statement.destructive).map((statement) => statement.line)).toEqual([30]);
    expect(policy.idempotent.proved).toBe(true);
  });
});
