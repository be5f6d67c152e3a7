/**
 * lint --deep reads migrations and current_schema/ files that start with a UTF-8 byte order mark
 * (Windows editors write one) as lint and migrate do: the mark is dropped, not sent to the shadow
 * as the first character of the first statement.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import { deepLint, type DeepLintReport } from './deep-lint.js';

const BOM = '\uFEFF';
const FILE = '2025-10-02_01_add_notes_title.sql';

const MIGRATION = `${BOM}-- ============================================================================
-- Migration: Add notes.title
-- Date: 2025-10-02
-- Issue: Notes have no title
--
-- PROBLEM: The list view shows the first line of the body.
-- SOLUTION: Add notes.title.
-- AFFECTED TABLES: notes
-- ============================================================================

ALTER TABLE public.notes ADD COLUMN IF NOT EXISTS title text;
UPDATE public.notes SET subtitle = title;

-- Rollback Script:
-- ALTER TABLE public.notes DROP COLUMN IF EXISTS title;
`;

let workspace: string;
let report: DeepLintReport;

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'pgwarden-deep-bom-'));
  mkdirSync(join(workspace, 'migration_history'));
  mkdirSync(join(workspace, 'current_schema'));
  writeFileSync(join(workspace, 'pgwarden.config.json'), JSON.stringify({ migrationsDir: 'migration_history', schemaDir: 'current_schema', postgresVersion: 15 }));
  writeFileSync(join(workspace, 'current_schema/01_base.sql'), `${BOM}CREATE TABLE IF NOT EXISTS public.notes (id int PRIMARY KEY, body text);\nALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;\n`);
  writeFileSync(join(workspace, 'migration_history', FILE), MIGRATION);
  report = await deepLint(loadConfig({ cwd: workspace }));
}, 600_000);
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

describe('lint --deep with a byte order mark', () => {
  it('builds current_schema/ and applies the migration without taking the mark for SQL', () => {
    expect(report.checked).toEqual([`migration_history/${FILE}`]);
    expect(report.findings.filter((finding) => /\uFEFF|syntax error/.test(finding.message))).toEqual([]);
  });

  it("finds the migration's statements: the failing one is reported at its own line", () => {
    const line = MIGRATION.split('\n').findIndex((text) => text.includes('subtitle')) + 1;
    expect(report.findings.filter((finding) => finding.rule === 'deep-statement-failed')).toEqual([
      expect.objectContaining({ file: `migration_history/${FILE}`, line, message: 'column "subtitle" of relation "notes" does not exist' }),
    ]);
  });
});
