import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/open.js';
import type { Database, DbSession } from '../db/types.js';
import { createTestDatabase, serverAvailable } from '../runner/__fixtures__/test-db.js';
import { loadParser, parseSql } from '../sql/index.js';
import { applyPreset, presetPresent, presetSql } from './presets.js';

describe('presetSql("supabase")', () => {
  const sql = presetSql('supabase');

  beforeAll(async () => {
    await loadParser();
  });

  it('creates the API roles (guarded by a pg_roles check), with service_role bypassing RLS', () => {
    // The exact DO block may change; the database tests below check the resulting roles.
    for (const role of ['anon', 'authenticated', 'service_role']) expect(sql).toContain(`'${role}'`);
    expect(sql).toMatch(/CREATE ROLE/);
    expect(sql).toContain('BYPASSRLS');
    expect(sql).toContain('pg_catalog.pg_roles');
    expect(sql).toContain('GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;');
  });

  it('creates the auth schema, auth.users and the JWT helpers', () => {
    expect(sql).toContain('CREATE SCHEMA IF NOT EXISTS auth;');
    expect(sql).toContain('CREATE TABLE IF NOT EXISTS auth.users (');
    for (const helper of ['auth.uid()', 'auth.role()', 'auth.email()', 'auth.jwt()']) {
      expect(sql).toContain(`CREATE OR REPLACE FUNCTION ${helper}`);
      expect(sql).toContain(`GRANT EXECUTE ON FUNCTION ${helper} TO anon, authenticated, service_role;`);
    }
  });

  it('parses, creates no extension, and every top-level statement can run twice', () => {
    const parsed = parseSql(sql);
    expect(parsed.errors).toEqual([]);
    expect(parsed.metaCommands).toEqual([]);
    expect(sql).not.toMatch(/CREATE\s+EXTENSION/i);
    const unguarded = parsed.statements.filter((statement) => {
      const node = statement.node;
      switch (statement.kind) {
        case 'CreateStmt':
        case 'IndexStmt':
        case 'CreateSchemaStmt':
          return !node.if_not_exists;
        case 'CreateFunctionStmt':
          return !node.replace;
        case 'CreateRoleStmt':
          return true; // roles are created inside a DO block that checks pg_roles first
        default:
          return false;
      }
    });
    expect(unguarded.map((statement) => statement.text.split('\n')[0])).toEqual([]);
    expect(parsed.statements.map((statement) => statement.kind)).toContain('DoStmt');
  });
});

async function exerciseTwice(db: Database): Promise<DbSession> {
  expect(await presetPresent(db, 'supabase')).toBe(false); // roles may exist cluster-wide, auth.uid() does not
  await applyPreset(db, 'supabase');
  expect(await presetPresent(db, 'supabase')).toBe(true);
  await applyPreset(db, 'supabase');
  return db.session();
}

async function expectPresetObjects(session: DbSession): Promise<void> {
  const roles = await session.query<{ rolname: string; rolbypassrls: boolean }>(
    `SELECT rolname, rolbypassrls FROM pg_roles WHERE rolname IN ('anon', 'authenticated', 'service_role') ORDER BY rolname`,
  );
  expect(roles.rows).toEqual([
    { rolname: 'anon', rolbypassrls: false },
    { rolname: 'authenticated', rolbypassrls: false },
    { rolname: 'service_role', rolbypassrls: true },
  ]);
  const functions = await session.query<{ name: string; n: number }>(
    `SELECT p.proname AS name, count(*)::int AS n FROM pg_proc p JOIN pg_namespace s ON s.oid = p.pronamespace
      WHERE s.nspname = 'auth' GROUP BY p.proname ORDER BY p.proname`,
  );
  expect(functions.rows).toEqual([
    { name: 'email', n: 1 },
    { name: 'jwt', n: 1 },
    { name: 'role', n: 1 },
    { name: 'uid', n: 1 },
  ]);
  const indexes = await session.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname IN ('auth', 'storage')`);
  // auth.users: pkey, phone key, 2 indexes; storage.buckets: pkey, bname; storage.objects: pkey, 2 indexes. No duplicates.
  expect(indexes.rows[0]!.n).toBe(9);
  const privileges = await session.query<{ anon: boolean; objects: boolean }>(
    `SELECT has_function_privilege('anon', 'auth.uid()', 'EXECUTE') AS anon, has_table_privilege('anon', 'storage.objects', 'SELECT') AS objects`,
  );
  expect(privileges.rows).toEqual([{ anon: true, objects: true }]);
  await session.exec(`SET request.jwt.claims = '{"sub": "5a4f3c52-8a43-4b5e-9d0b-1c2d3e4f5a6b", "role": "authenticated", "email": "zoe@example.org"}'`);
  const claims = await session.query<{ uid: string; role: string; email: string; folder: string[] }>(
    `SELECT auth.uid()::text AS uid, auth.role() AS role, auth.email() AS email, storage.foldername('a/b/c.pdf') AS folder`,
  );
  expect(claims.rows).toEqual([{ uid: '5a4f3c52-8a43-4b5e-9d0b-1c2d3e4f5a6b', role: 'authenticated', email: 'zoe@example.org', folder: ['a', 'b'] }]);
}

const serverUp = await serverAvailable('shadow/presets.test.ts');

describe.skipIf(!serverUp)('applyPreset on a real server', () => {
  it('applied twice to a fresh database: succeeds both times and leaves one copy of everything', async () => {
    const test = await createTestDatabase('preset');
    const db = await openDatabase({ url: test.url });
    try {
      const session = await exerciseTwice(db);
      try {
        await expectPresetObjects(session);
      } finally {
        await session.close();
      }
    } finally {
      await db.close();
      await test.drop();
    }
  });
});

describe('applyPreset on the embedded database (PGlite)', () => {
  it('applied twice: succeeds both times and leaves one copy of everything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgwarden-preset-'));
    const db = await openDatabase({ embeddedDir: join(dir, 'data') });
    try {
      const session = await exerciseTwice(db);
      await expectPresetObjects(session);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
