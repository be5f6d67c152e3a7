/**
 * The impact report (`pgwarden plan`) on a fixture workspace whose migrations current_schema/ does
 * not hold yet (PGlite shadow): locks, rewrites and scans on PostgreSQL 15, dependents of a changed
 * column with their file:line, destructive statements, proofs, the current_schema/ edits, and
 * --write filling the header without changing the body.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import { parseMigration } from '../migration/index.js';
import { impactMarkdown } from './impact-markdown.js';
import { impactReport, writeImpactIntoHeader, type ImpactReport } from './impact-report.js';

const FIXTURE = join(import.meta.dirname, '__fixtures__/plan');
const SHORTEN = 'migration_history/2025-10-01_01_shorten_names.sql';
const NICKNAME = 'migration_history/2025-10-02_02_add_nickname.sql';
let workspace: string;
let shorten: ImpactReport;
let nickname: ImpactReport;

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'pgwarden-plan-'));
  cpSync(FIXTURE, workspace, { recursive: true });
  const config = loadConfig({ cwd: workspace });
  shorten = await impactReport(config, join(workspace, SHORTEN));
  nickname = await impactReport(config, join(workspace, NICKNAME));
}, 600_000);
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

describe('impact report', () => {
  it('gives each statement its kind, lock, rewrite and scan on the configured version', () => {
    expect(shorten.statements.map(({ line, kind, locks }) => ({ line, kind, locks }))).toEqual([
      { line: 17, kind: 'ALTER TABLE', locks: [{ mode: 'ACCESS EXCLUSIVE', tables: ['public.people'] }] },
      { line: 19, kind: 'ALTER TABLE', locks: [{ mode: 'ACCESS EXCLUSIVE', tables: ['public.people'] }] },
      { line: 21, kind: 'CREATE INDEX', locks: [{ mode: 'SHARE', tables: ['public.visits'] }] },
      { line: 23, kind: 'DELETE', locks: [{ mode: 'ROW EXCLUSIVE', tables: ['public.visits'] }] },
    ]);
    expect(shorten.statements[0]!.rewrites).toEqual([expect.stringContaining('public.people is rewritten in full')]);
    expect(shorten.statements[1]!.rewrites).toEqual([]); // DROP COLUMN only marks the column dropped
    expect(shorten.statements[2]!.scans).toContain('building the index reads the whole of public.visits');
  });

  it('names the view and the function that depend on the changed column, where current_schema/ defines them', () => {
    expect(shorten.dependents).toEqual([
      { kind: 'view', key: 'public.people_names', on: 'public.people.full_name', via: 'pg_depend', definedAt: { file: 'current_schema/02_readers.sql', line: 2 } },
      { kind: 'function', key: 'public.person_label(uuid)', on: 'public.people.full_name', via: 'body', definedAt: { file: 'current_schema/02_readers.sql', line: 5 } },
    ]);
    // Near miss: visit_total() reads visits, which no statement changes (the index and DELETE do not alter it).
    expect(shorten.dependents.some((dependent) => dependent.key.startsWith('public.visit_total'))).toBe(false);
    expect(nickname.dependents).toEqual([]);
  });

  it('locates each affected table in current_schema/', () => {
    expect(shorten.affectedTables).toEqual([
      { table: 'public.people', definedAt: { file: 'current_schema/01_people.sql', line: 2 } },
      { table: 'public.visits', definedAt: { file: 'current_schema/01_people.sql', line: 9 } },
    ]);
  });

  it('lists destructive statements, and not a safe ADD COLUMN', () => {
    expect(shorten.statements.filter((statement) => statement.destructive).map(({ line, destructive }) => ({ line, destructive }))).toEqual([
      { line: 17, destructive: expect.stringContaining('changes the type of public.people.full_name (now text)') },
      { line: 19, destructive: 'drops column public.people.ssn and its data' },
      { line: 23, destructive: 'DELETE without WHERE deletes every row' },
    ]);
    expect(nickname.statements.filter((statement) => statement.destructive)).toEqual([]);
  });

  it('reports the proofs of lint --deep: the failing type change, idempotency, rollback', () => {
    expect(shorten.findings).toContainEqual(expect.objectContaining({ line: 17, rule: 'deep-statement-failed', message: 'cannot alter type of a column used by a view or rule' }));
    // The type change failed, so it ran neither time: idempotency is not proved (nothing else was a problem).
    expect(shorten.failedStatements).toEqual([17]);
    expect(shorten.idempotent).toEqual({ proved: false, problems: [] });
    expect(shorten.rollback).toMatchObject({ script: true, restores: false });
    expect(nickname.idempotent).toEqual({ proved: false, problems: [expect.stringContaining('column "nickname" of relation "people" already exists')] });
    expect(nickname.rollback).toEqual({ script: false, problems: [] });
  });

  it('lists the current_schema/ edits check --fix would make, with file:line', () => {
    expect(shorten.schemaEdits).toEqual([
      { file: 'current_schema/01_people.sql', line: 4, message: 'removed column public.people.ssn (dropped by the history)', writable: true },
      expect.objectContaining({ file: 'current_schema/01_people.sql', message: expect.stringContaining('added index public.visits_person_id_idx'), writable: true }),
    ]);
    expect(nickname.schemaEdits).toEqual([expect.objectContaining({ file: 'current_schema/01_people.sql', line: 5, message: expect.stringContaining('added column public.people.nickname') })]);
  });

  it('renders Markdown with the lock table and the edits', () => {
    const markdown = impactMarkdown(shorten);
    expect(markdown).toContain('| 21 | CREATE INDEX | SHARE on public.visits |');
    expect(markdown).toContain('- public.people: current_schema/01_people.sql:2');
    expect(markdown).toContain('- current_schema/01_people.sql:4: removed column public.people.ssn');
  });
});

describe('plan --write', () => {
  it('fills AFFECTED TABLES and SOURCE OF TRUTH, keeps the rest of the header and the body (same checksum)', () => {
    for (const [path, report] of [
      [SHORTEN, shorten],
      [NICKNAME, nickname],
    ] as const) {
      const text = readFileSync(join(workspace, path), 'utf8');
      const written = writeImpactIntoHeader(text, report);
      const before = parseMigration({ path, relPath: path, text });
      const after = parseMigration({ path, relPath: path, text: written });
      expect(after.checksum).toBe(before.checksum);
      expect(after.body).toBe(before.body);
      expect(after.header!.sections.find((section) => section.key === 'AFFECTED TABLES')!.value).toBe(report === shorten ? 'people, visits' : 'people');
      expect(after.header!.sourceOfTruth.map((ref) => [ref.file, ref.lines.map((line) => line.from)])).toEqual(report.schemaEdits.map((edit) => ['current_schema/01_people.sql', [edit.line]]));
      expect(after.header!.sections.find((section) => section.key === 'PROBLEM')).toEqual(before.header!.sections.find((section) => section.key === 'PROBLEM'));
      // Writing again changes nothing.
      expect(writeImpactIntoHeader(written, report)).toBe(written);
    }
  });

  it('replaces the placeholder entries of an existing section and leaves the downstream checkboxes', () => {
    const text = readFileSync(join(workspace, SHORTEN), 'utf8');
    const written = writeImpactIntoHeader(text, shorten);
    expect(written).toContain('-- AFFECTED TABLES: people, visits\n');
    expect(written).not.toContain('Line ?: to be filled');
    expect(written).toContain('--   [ ] current_schema/01_people.sql (Line 4: removed column public.people.ssn)\n');
    expect(written).toContain('-- DOWNSTREAM UPDATES:\n--   [ ] TypeScript types updated (if applicable)\n');
  });
});
