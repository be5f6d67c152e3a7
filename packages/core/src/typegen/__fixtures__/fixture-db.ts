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
import { introspectCatalog } from '../../catalog/introspect.js';
import { openDatabase } from '../../db/index.js';

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
  const database = await openDatabase({ url: db.url });
  try {
    const session = await database.session();
    const snapshot = await introspectCatalog(session, { includeSchemas: schemas });
    await session.close();
    return { db, snapshot: await withCatalogGaps(admin, snapshot) };
  } finally {
    await database.close();
  }
}

/**
 * FunctionInfo.rows (prorows) is a field typegen added to the snapshot types; until
 * introspectCatalog fills it, the fixture supplies it the same way, so ROWS 1 stays covered.
 */
async function withCatalogGaps(admin: import('pg').Client, snapshot: CatalogSnapshot): Promise<CatalogSnapshot> {
  if (snapshot.functions.some((fn) => fn.rows !== undefined)) return snapshot;
  await admin.query("SET search_path = pg_catalog"); // identity arguments printed as the catalog prints them
  const { rows } = await admin.query<{ key: string; rows: number }>(
    `SELECT n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS key, p.prorows::int AS rows
     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.proretset`,
  );
  const byIdentity = new Map(rows.map((r) => [r.key, r.rows]));
  for (const fn of snapshot.functions) {
    const found = byIdentity.get(`${fn.schema}.${fn.name}(${fn.identityArguments})`);
    if (fn.returnsSet && found !== undefined) fn.rows = found;
  }
  await admin.query('RESET search_path');
  return snapshot;
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
