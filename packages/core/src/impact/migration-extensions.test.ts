/**
 * Extensions created by pending migrations, on the PGlite shadow (fixture __fixtures__/extensions:
 * current_schema/ creates none). lint --deep and plan register the ones the migrations create
 * (vector, btree_gin, and cube inside a DO block) before running them, so the migration that uses
 * them is clean; postgis, which PGlite cannot provide, still gets its one finding, and plan then
 * claims no idempotency or rollback proof for statements that never ran.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import { deepLint, type DeepLintReport } from './deep-lint.js';
import { impactMarkdown } from './impact-markdown.js';
import { impactReport, type ImpactReport } from './impact-report.js';

const FIXTURE = join(import.meta.dirname, '__fixtures__/extensions');
const SEARCH = 'migration_history/2025-10-01_01_semantic_search.sql';
const PLACES = 'migration_history/2025-10-02_02_note_places.sql';
let workspace: string;
let deep: DeepLintReport;
let search: ImpactReport;
let places: ImpactReport;

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'pgwarden-extensions-'));
  cpSync(FIXTURE, workspace, { recursive: true });
  const config = loadConfig({ cwd: workspace });
  deep = await deepLint(config);
  search = await impactReport(config, join(workspace, SEARCH));
  places = await impactReport(config, join(workspace, PLACES));
}, 600_000);
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const findingsOf = (file: string) => deep.findings.filter((finding) => finding.file === file).map(({ line, rule, message }) => ({ line, rule, message }));

describe('extensions created by pending migrations', () => {
  it('lint --deep: a migration that creates vector, btree_gin and (in a DO block) cube and uses them is clean', () => {
    expect(deep.checked).toEqual([SEARCH, PLACES]);
    expect(findingsOf(SEARCH)).toEqual([]);
  });

  it('lint --deep: an extension the shadow cannot provide is a warning at its CREATE EXTENSION, and so is what needs it', () => {
    expect(deep.findings.filter((finding) => finding.file === PLACES).map(({ line, rule, severity, message }) => ({ line, rule, severity, message }))).toEqual([
      { line: 7, rule: 'deep-statement-failed', severity: 'warning', message: 'cannot be proved on the shadow, which lacks extension postgis: extension "postgis" is not available' },
      { line: 9, rule: 'deep-statement-failed', severity: 'warning', message: 'cannot be proved on the shadow, which lacks extension postgis: type "geometry" does not exist' },
    ]);
  });

  it('plan: the migration that uses the extensions is proved idempotent and its rollback restores the schema', () => {
    expect(search.failedStatements).toEqual([]);
    expect(search.idempotent).toEqual({ proved: true, problems: [] });
    expect(search.rollback).toEqual({ script: true, restores: true, problems: [] });
    expect(search.schemaEdits.map((edit) => edit.message)).toEqual(expect.arrayContaining([expect.stringContaining('added extension vector'), expect.stringContaining('added column public.notes.embedding')]));
  });

  it('plan: statements that failed prove nothing, so neither idempotency nor the rollback is claimed', () => {
    expect(places.failedStatements).toEqual([7, 9]);
    expect(places.idempotent.proved).toBe(false);
    expect(places.rollback.script).toBe(true);
    expect(places.rollback.restores).toBeUndefined();
    const markdown = impactMarkdown(places);
    expect(markdown).toContain('- Idempotent: not proved: the statements at lines 7, 9 failed on the shadow');
    expect(markdown).toContain('- Rollback: not proved: the statements at lines 7, 9 failed on the shadow');
    expect(markdown).toContain('Incomplete: what the statements at lines 7, 9 would change is not known');
    expect(markdown).not.toMatch(/Idempotent: yes|restores the schema/);
  });
});
