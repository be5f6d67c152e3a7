/**
 * `plan` and `plan --write` on a migration and a current_schema/ file that start with a UTF-8 byte
 * order mark (Windows editors write one): the report reads them as the shadow does (the mark is not
 * SQL, lines stay the file's), and --write fills the header while the file keeps its mark at the
 * very start and its body, so its checksum and approvals, unchanged.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import { addApproval, parseMigration } from '../migration/index.js';
import { approvalState } from '../runner/approvals.js';
import { impactReport, writeImpactIntoFile, type ImpactReport } from './impact-report.js';

const BOM = '\uFEFF';
const FIXTURE = join(import.meta.dirname, '__fixtures__/plan');
const NICKNAME = 'migration_history/2025-10-02_02_add_nickname.sql';
const PEOPLE = 'current_schema/01_people.sql';

let workspace: string;
let report: ImpactReport;
let approved: string;

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'pgwarden-plan-bom-'));
  cpSync(FIXTURE, workspace, { recursive: true });
  // Only the migration under test: the other pending one does not matter here.
  rmSync(join(workspace, 'migration_history/2025-10-01_01_shorten_names.sql'));
  const migration = readFileSync(join(workspace, NICKNAME), 'utf8');
  const checksum = parseMigration({ path: NICKNAME, relPath: NICKNAME, text: migration }).checksum;
  approved = BOM + addApproval(migration, { by: 'alice', date: '2025-10-02', checksum, fileName: '2025-10-02_02_add_nickname.sql' });
  writeFileSync(join(workspace, NICKNAME), approved);
  writeFileSync(join(workspace, PEOPLE), BOM + readFileSync(join(workspace, PEOPLE), 'utf8'));
  report = await impactReport(loadConfig({ cwd: workspace }), join(workspace, NICKNAME));
}, 600_000);
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

describe('plan with a byte order mark', () => {
  it('names the current_schema/ edit at the line of the file, as without the mark', () => {
    expect(report.schemaEdits).toEqual([
      { file: PEOPLE, line: 5, message: expect.stringContaining('added column public.people.nickname to CREATE TABLE public.people'), writable: true },
    ]);
  });

  it('--write keeps the mark at the very start only, the body, the checksum and the approval', async () => {
    expect(await writeImpactIntoFile(loadConfig({ cwd: workspace }), NICKNAME, report)).toBe('updated');
    const written = readFileSync(join(workspace, NICKNAME), 'utf8');
    expect(written.startsWith(`${BOM}-- ====`)).toBe(true);
    expect(written.lastIndexOf(BOM)).toBe(0);
    expect(written).toContain('-- AFFECTED TABLES: people\n');
    expect(written).toContain(`--   [ ] ${PEOPLE} (Line 5: added column public.people.nickname to CREATE TABLE public.people)\n`);

    const before = parseMigration({ path: NICKNAME, relPath: NICKNAME, text: approved });
    const after = parseMigration({ path: NICKNAME, relPath: NICKNAME, text: written });
    expect(after.body).toBe(before.body);
    expect(after.checksum).toBe(before.checksum);
    expect(approvalState(after, 1).valid.map((approval) => approval.by)).toEqual(['alice']);
    // Writing again changes nothing.
    expect(await writeImpactIntoFile(loadConfig({ cwd: workspace }), NICKNAME, report)).toBe('unchanged');
  });
});
