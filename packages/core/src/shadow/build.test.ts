/*
 * buildShadow on PGlite against the fixtures in __fixtures__/: one root cause per broken thing,
 * cascades counted under it, the tolerant build still producing the schema the files mean, and
 * near misses that stay clean.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { FORMATTERS } from '../lint/formatters/index.js';
import { buildShadow } from './build.js';
import { findSource, functionBodyFileLine } from './lookup.js';
import type { ShadowDatabase, ShadowFinding } from './types.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '__fixtures__');
const FIXTURES = ['forward-same-file', 'forward-cross-file', 'extension-later', 'defined-twice', 'fk-cycle', 'missing-extension', 'transaction-wrapped', 'meta-command', 'cascade', 'near-miss'] as const;
type Fixture = (typeof FIXTURES)[number];

const built = new Map<Fixture, ShadowDatabase>();

beforeAll(async () => {
  // One after the other: PGlite instances are CPU-bound and the machine is shared.
  for (const fixture of FIXTURES) built.set(fixture, await buildShadow({ root: ROOT, schemaDir: fixture, cache: false }));
}, 600_000);

afterAll(async () => {
  for (const shadow of built.values()) await shadow.close();
});

function shadow(fixture: Fixture): ShadowDatabase {
  return built.get(fixture)!;
}

/** `file:line rule` of each finding, for whole-list assertions. */
function summary(findings: readonly ShadowFinding[]): string[] {
  return findings.map((finding) => `${finding.file}:${finding.line} ${finding.rule}`);
}

async function exists(fixture: Fixture, relation: string): Promise<boolean> {
  const session = await shadow(fixture).database.session();
  const { rows } = await session.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [relation]);
  return rows[0]!.found;
}

async function count(fixture: Fixture, sql: string): Promise<number> {
  const session = await shadow(fixture).database.session();
  const { rows } = await session.query<{ n: number }>(sql);
  return Number(rows[0]!.n);
}

describe('defined later', () => {
  it('in the same file: names both positions once and counts the second use under it', async () => {
    const { findings, stats } = shadow('forward-same-file');
    expect(summary(findings)).toEqual(['forward-same-file/01_access.sql:10 shadow-defined-later']);
    const [finding] = findings;
    expect(finding!.message).toContain('forward-same-file/01_access.sql:10 uses public.is_service_role() which forward-same-file/01_access.sql:18 defines: move the definition up');
    expect(finding!.statements.map((s) => s.line)).toEqual([14]);
    expect(finding!.severity).toBe('error');
    // Tolerant: the policies exist once the function does.
    expect(finding!.workedAround).toBe(true);
    expect(stats.failedStatements).toBe(0);
    expect(stats.recoveredStatements).toBe(2);
    expect(await count('forward-same-file', "SELECT count(*) AS n FROM pg_policies WHERE tablename = 'notes'")).toBe(2);
  });

  it('across files: names the later file', async () => {
    const { findings, stats } = shadow('forward-cross-file');
    expect(summary(findings)).toEqual(['forward-cross-file/01_tables.sql:4 shadow-defined-later']);
    expect(findings[0]!.message).toBe(
      'forward-cross-file/01_tables.sql:4 uses type public.visit_status which forward-cross-file/02_types.sql:1 defines: move the definition up',
    );
    expect(findings[0]!.column).toBe(10);
    expect(stats.failedStatements).toBe(0);
    expect(await exists('forward-cross-file', 'public.visits')).toBe(true);
  });
});

describe('extension created later', () => {
  it('traces a function the extension brings to its CREATE EXTENSION, and builds the table once it runs', async () => {
    const { findings, stats } = shadow('extension-later');
    expect(summary(findings)).toEqual(['extension-later/01_foundations.sql:2 shadow-defined-later', 'extension-later/02_contacts.sql:4 shadow-statement-failed']);
    expect(findings[0]!.message).toBe(
      'extension-later/01_foundations.sql:2 uses uuid_generate_v4(), which extension uuid-ossp brings, created at extension-later/01_foundations.sql:7: move the CREATE EXTENSION up (1 more statement failed because of it, counted here)',
    );
    expect(findings[0]!.statements.map((statement) => statement.line)).toEqual([5]);
    expect(findings[0]!.workedAround).toBe(true);
    expect(await exists('extension-later', 'public.organizations')).toBe(true);
    // A type of an extension no file creates: the fix names it.
    expect(findings[1]!.hint).toBe('type citext comes from extension citext: add CREATE EXTENSION IF NOT EXISTS citext before this statement');
    expect(stats.failedStatements).toBe(1);
  });
});

describe('defined twice', () => {
  it('names both definitions; the silent IF NOT EXISTS copy is counted under the same finding', () => {
    const { findings } = shadow('defined-twice');
    expect(summary(findings)).toEqual(['defined-twice/02_clinical.sql:2 shadow-defined-twice']);
    expect(findings[0]!.message).toContain('table public.patients is defined twice: defined-twice/01_patients.sql:1 and defined-twice/02_clinical.sql:2');
    expect(findings[0]!.statements.map((s) => s.line)).toEqual([8]);
    expect(findings[0]!.sqlState).toBeUndefined();
  });
});

describe('foreign-key cycle', () => {
  it('names the cycle, builds both tables, and adds the deferred constraint after both', async () => {
    const { findings, stats } = shadow('fk-cycle');
    expect(summary(findings)).toEqual(['fk-cycle/01_org.sql:3 shadow-fk-cycle']);
    expect(findings[0]!.message).toContain('foreign-key cycle public.organizations -> public.members -> public.organizations');
    expect(findings[0]!.hint).toContain('ALTER TABLE');
    expect(findings[0]!.workedAround).toBe(true);
    expect(stats.failedStatements).toBe(0);
    for (const table of ['public.organizations', 'public.members', 'public.member_notes']) expect(await exists('fk-cycle', table)).toBe(true);
    expect(await exists('fk-cycle', 'public.organizations_owner_idx')).toBe(true);
    const foreignKeys = await count('fk-cycle', "SELECT count(*) AS n FROM pg_constraint WHERE contype = 'f' AND conrelid = 'public.organizations'::regclass AND confrelid = 'public.members'::regclass");
    expect(foreignKeys).toBe(1);
  });
});

describe('missing extension', () => {
  it('names postgis once with the statements that need it (the index on the failed table included) and the fix', async () => {
    const { findings, stats } = shadow('missing-extension');
    expect(summary(findings)).toEqual(['missing-extension/01_geo.sql:2 shadow-missing-extension']);
    const [finding] = findings;
    expect(finding!.message).toMatch(/^extension postgis is not available in the PGlite shadow; 2 statements need it: missing-extension\/01_geo.sql:4, missing-extension\/01_geo.sql:10$/);
    expect(finding!.hint).toContain('shadow.url');
    expect(finding!.severity).toBe('warning');
    expect(stats.failedStatements).toBe(3);
    expect(await exists('missing-extension', 'public.regions')).toBe(true);
  });
});

describe('transactions owned by the builder', () => {
  it('a BEGIN/COMMIT file with one failure loses only that statement', async () => {
    const { findings, stats } = shadow('transaction-wrapped');
    expect(summary(findings)).toEqual(['transaction-wrapped/01_wrapped.sql:9 shadow-statement-failed']);
    expect(findings[0]!.message).toBe('column "serial_number" does not exist');
    expect(findings[0]!.sqlState).toBe('42703');
    expect(stats).toMatchObject({ statements: 3, failedStatements: 1 });
    expect(await exists('transaction-wrapped', 'public.devices')).toBe(true);
    expect(await exists('transaction-wrapped', 'public.device_readings')).toBe(true);
  });
});

describe('psql meta-commands', () => {
  it('are skipped with a warning each, and the SQL around them runs', async () => {
    const { findings, stats } = shadow('meta-command');
    expect(summary(findings)).toEqual(['meta-command/01_meta.sql:1 shadow-meta-command', 'meta-command/01_meta.sql:6 shadow-meta-command']);
    expect(findings.map((f) => f.message)).toEqual([
      'psql meta-command \\echo skipped: the shadow runs SQL only',
      'psql meta-command \\set skipped: the shadow runs SQL only',
    ]);
    expect(findings.every((f) => f.severity === 'warning')).toBe(true);
    expect(stats.failedStatements).toBe(0);
    expect(await exists('meta-command', 'public.labels_label_idx')).toBe(true);
  });
});

describe('cascades', () => {
  it('statements that failed only because an earlier one failed are counted under its root cause', async () => {
    const { findings, stats } = shadow('cascade');
    expect(summary(findings)).toEqual(['cascade/01_broken.sql:4 shadow-statement-failed']);
    expect(findings[0]!.message).toBe('type "public.dosage_unit_typo" does not exist (4 more statements failed because of it, counted here)');
    expect(findings[0]!.statements.map((s) => s.line)).toEqual([7, 9, 11, 13]);
    expect(findings[0]!.hint).toContain('no schema file defines type public.dosage_unit_typo');
    expect(stats.failedStatements).toBe(5);
    expect(await exists('cascade', 'public.pharmacies')).toBe(true);
  });
});

describe('near misses', () => {
  it('a cycle closed with ALTER TABLE, OR REPLACE, IF NOT EXISTS, pgvector, an added enum label: no finding', async () => {
    const { findings, stats } = shadow('near-miss');
    expect(findings).toEqual([]);
    expect(stats).toMatchObject({ files: 2, statements: 12, failedStatements: 0, recoveredStatements: 0, retryPasses: 0 });
    expect(await count('near-miss', "SELECT count(*) AS n FROM pg_extension WHERE extname = 'vector'")).toBe(1);
  });
});

describe('source map', () => {
  it('maps tables, columns, policies and functions (identity keys) to file, line and column', () => {
    const map = shadow('forward-same-file').sourceMap;
    const file = 'forward-same-file/01_access.sql';
    expect(findSource(map, 'public.notes', 'table')).toEqual({ key: 'public.notes', kind: 'table', file, line: 2, column: 14 });
    expect(findSource(map, 'public.notes.owner_id', 'column')).toMatchObject({ file, line: 4, column: 3 });
    expect(findSource(map, 'public.notes.notes_service', 'policy')).toMatchObject({ file, line: 10 });
    const fn = findSource(map, 'public.is_service_role()', 'function');
    expect(fn).toMatchObject({ file, line: 18, column: 1, bodyLine: 22 });
    // Body line 2 (the SELECT) is file line 23.
    expect(functionBodyFileLine(fn!, 2)).toBe(23);
  });

  it('keys functions with argument types as format_type prints them', () => {
    const map = shadow('near-miss').sourceMap;
    const keys = map.filter((entry) => entry.kind === 'function').map((entry) => entry.key);
    expect(keys).toEqual(['public.is_service_role()']);
    // The replacing definition is the one that counts.
    expect(findSource(map, 'public.is_service_role()')).toMatchObject({ file: 'near-miss/02_members.sql', line: 14 });
    expect(findSource(map, 'public.members', 'table')).toMatchObject({ file: 'near-miss/02_members.sql', line: 1 });
  });
});

describe('findings print with the lint formatters', () => {
  it('stylish shows file:line:column, message, rule id, code frame and fix; json names the rule and the count', () => {
    const { findings } = shadow('fk-cycle');
    const context = { source: (file: string) => readFileSync(join(ROOT, file), 'utf8'), color: false, filesLinted: 2, toolVersion: 'test' };
    const text = FORMATTERS.stylish!(findings, context);
    expect(text).toContain('fk-cycle/01_org.sql:3:1  error    foreign-key cycle public.organizations -> public.members -> public.organizations');
    expect(text).toContain('shadow-fk-cycle');
    expect(text).toContain('3 | CREATE TABLE public.organizations (');
    expect(text).toContain('fix: create the tables without these references');
    const cascade = shadow('cascade').findings;
    const json = JSON.parse(FORMATTERS.json!(cascade, context)) as { file: string; line: number; rule: string; message: string }[];
    expect(json).toHaveLength(1);
    expect(json[0]).toMatchObject({ file: 'cascade/01_broken.sql', line: 4, rule: 'shadow-statement-failed' });
    expect(json[0]!.message).toContain('4 more statements failed because of it');
  });

  it('json and sarif carry the statements counted under a root cause, not only their number', () => {
    const cascade = shadow('cascade').findings;
    const context = { source: (file: string) => readFileSync(join(ROOT, file), 'utf8'), color: false, filesLinted: 1, toolVersion: 'test' };
    const [json] = JSON.parse(FORMATTERS.json!(cascade, context)) as { counted: { file: string; line: number }[] }[];
    expect(json!.counted.map((statement) => `${statement.file}:${statement.line}`)).toEqual(['cascade/01_broken.sql:7', 'cascade/01_broken.sql:9', 'cascade/01_broken.sql:11', 'cascade/01_broken.sql:13']);
    const sarif = JSON.parse(FORMATTERS.sarif!(cascade, context)) as { runs: { results: { relatedLocations: { physicalLocation: { region: { startLine: number } } }[]; properties: { countedStatements: number } }[] }[] };
    const [result] = sarif.runs[0]!.results;
    expect(result!.relatedLocations.map((location) => location.physicalLocation.region.startLine)).toEqual([7, 9, 11, 13]);
    expect(result!.properties.countedStatements).toBe(4);
    // A finding that is not a root cause (the fk cycle counts nothing under it) has an empty list, never someone else's.
    const [cycle] = JSON.parse(FORMATTERS.json!(shadow('fk-cycle').findings, context)) as { counted: unknown[] }[];
    expect(cycle!.counted).toEqual([]);
  });
});
