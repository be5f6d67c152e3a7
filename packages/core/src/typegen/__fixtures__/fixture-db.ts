/**
 * The typegen fixture database on the real server: typegen-fixture.sql applied to a fresh
 * database, its snapshot, and a typecheck helper running the TypeScript compiler in memory.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { CatalogSnapshot } from '../../catalog/index.js';
import { createTestDatabase, type TestDatabase } from '../../runner/__fixtures__/test-db.js';
import { snapshotFromDb } from './snapshot-from-db.js';

export const FIXTURE_SCHEMAS = ['billing', 'public'];
export const FIXTURE_SQL = readFileSync(fileURLToPath(new URL('./typegen-fixture.sql', import.meta.url)), 'utf8');

export interface FixtureDatabase {
  db: TestDatabase;
  snapshot: CatalogSnapshot;
}

export async function createFixtureDatabase(prefix: string, sql = FIXTURE_SQL, schemas = FIXTURE_SCHEMAS): Promise<FixtureDatabase> {
  const db = await createTestDatabase(prefix);
  const admin = await db.admin();
  await admin.query(sql);
  return { db, snapshot: await snapshotFromDb(admin, schemas) };
}

/** Writes `files` to a temp folder and typechecks them; returns the diagnostics as `file:line: message` lines. */
export function typecheck(files: Record<string, string>): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'pgw-typegen-'));
  const names = Object.entries(files).map(([name, text]) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  });
  const program = ts.createProgram(names, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: [],
    // The workspace's node_modules (zod, supabase-js) resolve from the temp folder through this.
    baseUrl: dir,
    typeRoots: [],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
    return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
  });
}
