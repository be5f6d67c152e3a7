/**
 * lint --deep on a fixture workspace (PGlite shadow): one migration per defect class, each
 * reported at its line with its rule, and near misses that must stay clean: a function that uses
 * a table created later in the same migration, an overload made on purpose after dropping the old
 * function, a guarded migration run twice, a complete rollback, a finding ignored with a reason.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import type { Finding } from '../rules/types.js';
import { deepLint, type DeepLintReport } from './deep-lint.js';

const FIXTURE = join(import.meta.dirname, '__fixtures__/deep');
let workspace: string;
let report: DeepLintReport;

beforeAll(async () => {
  // A copy, so the shadow cache is written outside the source tree.
  workspace = mkdtempSync(join(tmpdir(), 'pgwarden-deep-'));
  cpSync(FIXTURE, workspace, { recursive: true });
  report = await deepLint(loadConfig({ cwd: workspace }));
}, 600_000);
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

function findingsOf(file: string): Pick<Finding, 'line' | 'rule' | 'severity' | 'message' | 'hint'>[] {
  return report.findings
    .filter((finding) => finding.file === `migration_history/${file}`)
    .map(({ line, rule, severity, message, hint }) => ({ line, rule, severity, message, hint }));
}

describe('lint --deep', () => {
  it('proves every pending migration, in version order', () => {
    expect(report.checked).toHaveLength(17);
    expect(report.checked[0]).toBe('migration_history/2025-10-01_01_insert_unknown_column.sql');
    expect(report.functionsVerified).toBeGreaterThanOrEqual(4);
  });

  it('reports a statement that fails with the Postgres message at its line', () => {
    expect(findingsOf('2025-10-01_01_insert_unknown_column.sql')).toEqual([
      expect.objectContaining({ line: 6, rule: 'deep-statement-failed', message: 'column "name" of relation "patients" does not exist' }),
    ]);
  });

  it('verifies the functions a migration creates, at the line inside the migration', () => {
    expect(findingsOf('2025-10-01_02_function_wrong_column.sql')).toEqual([
      expect.objectContaining({ line: 9, rule: 'function-invalid-statement', message: expect.stringContaining('column "notes" of relation "visits" does not exist') }),
    ]);
    expect(findingsOf('2025-10-01_03_function_bad_cast.sql')).toEqual([
      expect.objectContaining({ line: 12, rule: 'function-invalid-statement', message: expect.stringContaining('cannot cast type jsonb to integer[]') }),
    ]);
  });

  it('names an overload that CREATE OR REPLACE made instead of replacing, with the DROP to add', () => {
    expect(findingsOf('2025-10-01_04_overload_by_replace.sql')).toEqual([
      expect.objectContaining({ line: 6, rule: 'deep-function-overload', hint: 'drop the old one first: DROP FUNCTION IF EXISTS public.visit_count(uuid);' }),
    ]);
  });

  it('gives a changed return type the exact DROP the migration needs', () => {
    expect(findingsOf('2025-10-01_05_changed_return_type.sql')).toEqual([
      expect.objectContaining({ line: 6, rule: 'deep-statement-failed', message: 'cannot change return type of existing function', hint: expect.stringContaining('DROP FUNCTION IF EXISTS public.patient_label(uuid);') }),
    ]);
  });

  it('proves idempotency by running the migration twice', () => {
    expect(findingsOf('2025-10-01_06_not_idempotent_create.sql')).toEqual([
      expect.objectContaining({ line: 6, rule: 'deep-not-idempotent', message: expect.stringContaining('relation "referrals" already exists') }),
    ]);
  });

  it('proves the rollback script restores the schema', () => {
    expect(findingsOf('2025-10-01_07_rollback_incomplete.sql')).toEqual([
      expect.objectContaining({ line: 9, rule: 'deep-rollback-incomplete', message: 'the rollback script leaves column public.visits.floor, which the migration created' }),
    ]);
  });

  it('runs the catalog lints on the tables it creates, partitions included', () => {
    expect(findingsOf('2025-10-01_08_table_without_rls.sql').map((finding) => finding.rule)).toEqual(['rls-disabled-in-exposed-schema']);
    expect(findingsOf('2025-10-02_13_partition_without_rls.sql')).toEqual([
      expect.objectContaining({ line: 12, rule: 'rls-disabled-in-exposed-schema', message: expect.stringContaining('partition public.measurements_2025') }),
    ]);
  });

  it('reports a catalog finding the migration brings to an existing table, at the statement that altered it', () => {
    expect(findingsOf('2025-10-02_16_unindexed_key_on_existing_table.sql')).toEqual([
      expect.objectContaining({ line: 8, rule: 'unindexed-foreign-key', message: expect.stringContaining('public.visits.visits_referred_by_fkey') }),
    ]);
  });

  it('reports a failing rollback statement at its own line, not at the heading', () => {
    expect(findingsOf('2025-10-02_17_rollback_fails.sql')).toEqual([
      expect.objectContaining({ line: 10, rule: 'deep-rollback-failed', message: 'the rollback script fails: index "visits_ward_idx" does not exist' }),
    ]);
  });

  it('keeps the near misses clean', () => {
    // 15: the table it alters lacked row level security and an index on its key before: current_schema/'s findings, not the migration's.
    for (const file of ['2025-10-02_09_function_before_its_table.sql', '2025-10-02_10_overload_after_drop.sql', '2025-10-02_11_guarded_rerun.sql', '2025-10-02_12_complete_rollback.sql', '2025-10-02_14_suppressed_with_reason.sql', '2025-10-02_15_column_on_legacy_table.sql']) {
      expect(findingsOf(file), file).toEqual([]);
    }
  });
});
