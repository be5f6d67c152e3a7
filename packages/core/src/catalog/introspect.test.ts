/*
 * introspectCatalog against real databases: PGlite (PostgreSQL 17/18 in WASM) and the real
 * PostgreSQL 15 server (TEST_DATABASE_URL; skipped with one line when none answers, a failure
 * with PGWARDEN_REQUIRE_DB=1). Fixtures are real SQL applied after the supabase preset.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db/open.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbSession } from '../db/types.js';
import { serverAvailable } from '../runner/__fixtures__/test-db.js';
import { presetSql } from '../shadow/presets.js';
import { demoSchemaSql, pgliteDatabase, serverDatabase, type FixtureDatabase } from './__fixtures__/databases.js';
import { diffCatalogs } from './diff.js';
import { introspectCatalog, PRESET_SCHEMAS } from './introspect.js';
import { comparableAcrossVersions } from './portable.js';
import type { CatalogSnapshot } from './types.js';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const EVERY_KIND = fixture('every-kind.sql');
const REORDERED = fixture('every-kind-reordered.sql');
const SUPABASE_EXCLUDED = [...PRESET_SCHEMAS.supabase, 'pgwarden'];

const serverUp = await serverAvailable('catalog introspection on PostgreSQL 15');

type Backend = { label: string; open: (prefix: string) => Promise<FixtureDatabase> };
const BACKENDS: Backend[] = [
  { label: 'PGlite', open: () => pgliteDatabase() },
  ...(serverUp ? [{ label: 'PostgreSQL 15', open: (prefix: string) => serverDatabase(prefix) }] : []),
];

async function built(backend: Backend, ...sql: string[]): Promise<FixtureDatabase> {
  const db = await backend.open('catalog');
  try {
    for (const text of [presetSql('supabase'), ...sql]) await db.exec(text);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}

/** A session that counts its round trips. */
function counting(session: DbSession): { session: DbSession; count: () => number } {
  let queries = 0;
  return {
    session: { ...session, query: (sql, params) => (queries++, session.query(sql, params)) },
    count: () => queries,
  };
}

const table = (snapshot: CatalogSnapshot, key: string) => snapshot.tables.find((item) => item.key === key)!;

describe.each(BACKENDS)('introspectCatalog on $label', (backend) => {
  let db: FixtureDatabase;
  let snapshot: CatalogSnapshot;

  beforeAll(async () => {
    db = await built(backend, EVERY_KIND);
    snapshot = await introspectCatalog(db.session, { includeSchemas: ['app'] });
  }, 120_000);
  afterAll(async () => db?.close());

  it('reads the schema with its comment and grants, and the extensions', () => {
    expect(snapshot.schemas.map((schema) => schema.key)).toEqual(['app']);
    expect(snapshot.schemas[0]).toMatchObject({ name: 'app', owner: 'postgres', comment: 'application objects' });
    expect(snapshot.schemas[0]!.grants).toContainEqual({ grantee: 'authenticated', privileges: ['USAGE'] });
    expect(snapshot.extensions.map((extension) => extension.key)).toContain('pgcrypto');
    expect(snapshot.extensions.find((extension) => extension.key === 'pgcrypto')).toMatchObject({ schema: 'public' });
  });

  it('reads tables: RLS enabled and forced, comment, partitioning', () => {
    expect(snapshot.tables.map((item) => item.key)).toEqual(['app.accounts', 'app.events', 'app.events_2025', 'app.orders']);
    expect(table(snapshot, 'app.accounts')).toMatchObject({ kind: 'table', rlsEnabled: true, rlsForced: true, comment: 'customer accounts' });
    expect(table(snapshot, 'app.orders')).toMatchObject({ rlsEnabled: false, rlsForced: false });
    expect(table(snapshot, 'app.events')).toMatchObject({ kind: 'partitioned_table', partitionKey: 'RANGE (at)' });
    expect(table(snapshot, 'app.events_2025')).toMatchObject({
      kind: 'table',
      partitionOf: 'app.events',
      partitionBound: "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
    });
  });

  it('reads columns: type, nullability, default, identity, generated, collation, arrays, comment', () => {
    const columns = Object.fromEntries(table(snapshot, 'app.accounts').columns.map((column) => [column.name, column]));
    expect(table(snapshot, 'app.accounts').columns.map((column) => [column.position, column.name])).toEqual([
      [1, 'id'],
      [2, 'email'],
      [3, 'name'],
      [4, 'mood'],
      [5, 'tags'],
      [6, 'matrix'],
      [7, 'balance'],
      [8, 'name_upper'],
      [9, 'ticket'],
      [10, 'created_at'],
    ]);
    expect(columns.id).toEqual({
      key: 'app.accounts.id',
      name: 'id',
      position: 1,
      type: 'bigint',
      typeName: 'pg_catalog.int8',
      arrayDimensions: 0,
      notNull: true,
      identity: 'always',
    });
    expect(columns.email).toMatchObject({ type: 'app.email', typeName: 'app.email', notNull: true, comment: 'login' });
    expect(columns.name).toMatchObject({ type: 'character varying(80)', typeName: 'pg_catalog.varchar', notNull: false, collation: 'pg_catalog.C' });
    expect(columns.mood).toMatchObject({ type: 'app.mood', default: "'ok'::app.mood" });
    expect(columns.tags).toMatchObject({ type: 'text[]', typeName: 'pg_catalog._text', elementTypeName: 'pg_catalog.text', arrayDimensions: 1 });
    expect(columns.matrix).toMatchObject({ type: 'integer[]', elementTypeName: 'pg_catalog.int4', arrayDimensions: 2 });
    expect(columns.balance).toMatchObject({ type: 'app.money_amount' });
    expect(columns.name_upper).toMatchObject({ generated: 'upper((name)::text)' });
    expect(columns.name_upper).not.toHaveProperty('default');
    expect(columns.ticket).toMatchObject({ default: "nextval('app.ticket_seq'::regclass)" });
    expect(columns.created_at).toMatchObject({ type: 'timestamp with time zone', notNull: true, default: 'now()' });
    expect(columns.created_at).not.toHaveProperty('collation');
  });

  it('reads constraints as pg_get_constraintdef, with columns, references, validation and deferrability', () => {
    expect(table(snapshot, 'app.orders').constraints).toEqual([
      {
        key: 'app.orders.orders_account_id_fkey',
        name: 'orders_account_id_fkey',
        type: 'foreign_key',
        definition: 'FOREIGN KEY (account_id) REFERENCES app.accounts(id) ON DELETE CASCADE DEFERRABLE',
        columns: ['account_id'],
        references: { table: 'app.accounts', columns: ['id'] },
        validated: true,
        deferrable: true,
      },
      {
        key: 'app.orders.orders_amount_check',
        name: 'orders_amount_check',
        type: 'check',
        definition: 'CHECK ((amount > (0)::numeric)) NOT VALID',
        columns: ['amount'],
        validated: false,
        deferrable: false,
      },
      { key: 'app.orders.orders_pkey', name: 'orders_pkey', type: 'primary_key', definition: 'PRIMARY KEY (id)', columns: ['id'], validated: true, deferrable: false },
    ]);
    expect(table(snapshot, 'app.accounts').constraints.map((constraint) => [constraint.name, constraint.type])).toEqual([
      ['accounts_email_key', 'unique'],
      ['accounts_pkey', 'primary_key'],
    ]);
  });

  it('reads indexes: definition, key columns (expressions as null), predicate, validity', () => {
    expect(table(snapshot, 'app.orders').indexes).toEqual([
      {
        key: 'app.orders_account_idx',
        name: 'orders_account_idx',
        definition: 'CREATE INDEX orders_account_idx ON app.orders USING btree (account_id) INCLUDE (placed_at) WHERE (amount > (0)::numeric)',
        unique: false,
        primary: false,
        columns: ['account_id'],
        valid: true,
        predicate: '(amount > (0)::numeric)',
      },
      {
        key: 'app.orders_expr_idx',
        name: 'orders_expr_idx',
        definition: 'CREATE INDEX orders_expr_idx ON app.orders USING btree (lower((amount)::text), placed_at)',
        unique: false,
        primary: false,
        columns: [null, 'placed_at'],
        valid: true,
      },
      { key: 'app.orders_pkey', name: 'orders_pkey', definition: 'CREATE UNIQUE INDEX orders_pkey ON app.orders USING btree (id)', unique: true, primary: true, columns: ['id'], valid: true },
    ]);
  });

  it('reads triggers and policies', () => {
    expect(table(snapshot, 'app.accounts').triggers).toEqual([
      {
        key: 'app.accounts.accounts_touch',
        name: 'accounts_touch',
        definition: 'CREATE TRIGGER accounts_touch BEFORE UPDATE ON app.accounts FOR EACH ROW EXECUTE FUNCTION app.touch()',
        function: 'app.touch()',
        enabled: true,
      },
    ]);
    expect(table(snapshot, 'app.orders').triggers[0]).toMatchObject({ name: 'orders_touch', enabled: false });
    expect(table(snapshot, 'app.accounts').policies).toEqual([
      { key: 'app.accounts.accounts_insert', name: 'accounts_insert', command: 'INSERT', permissive: false, roles: ['authenticated'], withCheck: '(name IS NOT NULL)' },
      { key: 'app.accounts.accounts_select', name: 'accounts_select', command: 'SELECT', permissive: true, roles: ['anon', 'authenticated'], using: 'true' },
    ]);
  });

  it('reads views and materialized views: definition, options, updatability, indexes, comment', () => {
    expect(snapshot.views.map((view) => [view.key, view.materialized])).toEqual([
      ['app.account_names', false],
      ['app.order_stats', true],
      ['app.order_totals', false],
    ]);
    const [names, stats, totals] = snapshot.views;
    expect(names).toMatchObject({ options: ['security_barrier=true', 'security_invoker=true'], insertable: true, updatable: true });
    expect(names!.definition).toContain('FROM app.accounts');
    expect(names!.columns.map((column) => [column.name, column.type])).toEqual([
      ['id', 'bigint'],
      ['name', 'character varying(80)'],
    ]);
    expect(totals).toMatchObject({ options: [], insertable: false, updatable: false, comment: 'per account' });
    expect(stats).toMatchObject({ materialized: true, insertable: false, updatable: false });
    expect(stats!.indexes.map((index) => index.key)).toEqual(['app.order_stats_n']);
    expect(stats!.grants).toContainEqual({ grantee: 'anon', privileges: ['SELECT'] });
  });

  it('reads functions and procedures: signature, result, language, volatility, security, config, body hash, grants', () => {
    expect(snapshot.functions.map((fn) => fn.key)).toEqual(['app.account(bigint)', 'app.add(integer, integer)', 'app.noop(text[])', 'app.touch()']);
    const [account, add, noop, touch] = snapshot.functions;
    expect(add).toMatchObject({
      kind: 'function',
      identityArguments: 'a integer, b integer, OUT total integer',
      arguments: [
        { name: 'a', type: 'integer', mode: 'in', hasDefault: false },
        { name: 'b', type: 'integer', mode: 'in', hasDefault: true },
        { name: 'total', type: 'integer', mode: 'out', hasDefault: false },
      ],
      returns: 'integer',
      returnTypeName: 'pg_catalog.int4',
      language: 'sql',
      volatility: 'immutable',
      strict: true,
      securityDefiner: false,
      config: [],
      comment: 'adds',
    });
    expect(add!.bodyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(account).toMatchObject({ returns: 'SETOF app.accounts', returnsSet: true, returnTypeName: 'app.accounts', securityDefiner: true, volatility: 'stable', config: ['search_path=""'] });
    expect(account!.grants.map((grant) => grant.grantee)).not.toContain('PUBLIC');
    expect(account!.grants).toContainEqual({ grantee: 'authenticated', privileges: ['EXECUTE'] });
    expect(add!.grants).toContainEqual({ grantee: 'PUBLIC', privileges: ['EXECUTE'] });
    expect(noop).toMatchObject({ kind: 'procedure', arguments: [{ name: 'xs', type: 'text[]', mode: 'variadic', hasDefault: false }] });
    expect(touch).toMatchObject({ returns: 'trigger', language: 'plpgsql' });
    // Bodies differ, so their hashes do; a SQL-standard body (BEGIN ATOMIC) is hashed too.
    expect(new Set(snapshot.functions.map((fn) => fn.bodyHash)).size).toBe(4);
  });

  it('reads what typegen needs: view column updatability, argument type names, set-returning row estimates', async () => {
    const [names, stats, totals] = snapshot.views;
    expect(names!.columns.map((column) => column.updatable)).toEqual([true, true]);
    expect(totals!.columns.map((column) => column.updatable)).toEqual([false, false]);
    // Only plain views carry it: materialized views and tables leave it out.
    expect(stats!.columns.some((column) => 'updatable' in column)).toBe(false);
    expect(table(snapshot, 'app.accounts').columns.some((column) => 'updatable' in column)).toBe(false);
    const [account, add, noop] = snapshot.functions;
    expect(add!.arguments.map((arg) => arg.typeName)).toEqual(['pg_catalog.int4', 'pg_catalog.int4', 'pg_catalog.int4']);
    expect(noop!.arguments.map((arg) => arg.typeName)).toEqual(['pg_catalog._text']);
    expect(account!.arguments.map((arg) => arg.typeName)).toEqual(['pg_catalog.int8']);
    // Postgres' default estimate for a set-returning function; none for a scalar one.
    expect(account!.rows).toBe(1000);
    expect('rows' in add!).toBe(false);

    // Near misses in a schema of their own: a computed column of an updatable view, ROWS 1, a user type argument.
    await db.exec(`CREATE SCHEMA extra;
      CREATE VIEW extra.shouting AS SELECT id, name, upper(name) AS shout FROM app.accounts;
      CREATE FUNCTION extra.first_account(m app.mood, VARIADIC ids bigint[]) RETURNS SETOF app.accounts LANGUAGE sql STABLE ROWS 1 AS 'SELECT * FROM app.accounts LIMIT 1';`);
    try {
      const extra = await introspectCatalog(db.session, { includeSchemas: ['extra'] });
      expect(extra.views[0]!.columns.map((column) => [column.name, column.updatable])).toEqual([
        ['id', true],
        ['name', true],
        ['shout', false],
      ]);
      expect(extra.functions[0]).toMatchObject({
        rows: 1,
        arguments: [
          { name: 'm', type: 'app.mood', typeName: 'app.mood' },
          { name: 'ids', type: 'bigint[]', typeName: 'pg_catalog._int8', mode: 'variadic' },
        ],
      });
    } finally {
      await db.exec('DROP SCHEMA extra CASCADE');
    }
  });

  it('reads enums (labels in declared order), domains and composite types', () => {
    expect(snapshot.enums).toEqual([{ key: 'app.mood', schema: 'app', name: 'mood', labels: ['sad', 'meh', 'ok', 'happy'] }]);
    expect(snapshot.domains).toEqual([
      {
        key: 'app.email',
        schema: 'app',
        name: 'email',
        baseType: 'text',
        baseTypeName: 'pg_catalog.text',
        notNull: true,
        default: "'nobody@example.org'::text",
        checks: [{ name: 'email_has_at', definition: "CHECK ((VALUE ~ '@'::text))" }],
        comment: 'an address',
      },
    ]);
    expect(snapshot.compositeTypes).toEqual([
      {
        key: 'app.money_amount',
        schema: 'app',
        name: 'money_amount',
        attributes: [
          { name: 'amount', type: 'numeric(12,2)', typeName: 'pg_catalog.numeric' },
          { name: 'currency', type: 'character(3)', typeName: 'pg_catalog.bpchar' },
        ],
      },
    ]);
  });

  it('reads sequences with their owner column', () => {
    expect(snapshot.sequences.map((sequence) => [sequence.key, sequence.type, sequence.ownedBy])).toEqual([
      ['app.accounts_id_seq', 'bigint', 'app.accounts.id'],
      ['app.orders_id_seq', 'integer', 'app.orders.id'],
      ['app.ticket_seq', 'integer', undefined],
    ]);
  });

  it('reads grants per grantee with privileges in code-point order', () => {
    expect(table(snapshot, 'app.accounts').grants).toContainEqual({ grantee: 'authenticated', privileges: ['INSERT', 'SELECT'] });
  });

  it('leaves out system schemas, preset schemas when excluded, and extension members; includes them on request', async () => {
    const all = await introspectCatalog(db.session, { excludeSchemas: SUPABASE_EXCLUDED });
    expect(all.schemas.map((schema) => schema.key)).toEqual(['app', 'public']);
    // pgcrypto's functions live in public but belong to the extension.
    expect(all.functions.filter((fn) => fn.schema === 'public').map((fn) => fn.key)).toEqual([]);
    const withAuth = await introspectCatalog(db.session, { includeSchemas: ['auth'], excludeSchemas: SUPABASE_EXCLUDED });
    expect(withAuth.schemas.map((schema) => schema.key)).toEqual(['auth']);
    expect(withAuth.tables.map((item) => item.key)).toContain('auth.users');
    expect(withAuth.functions.map((fn) => fn.key)).toContain('auth.uid()');
  });

  it('is deterministic and JSON round-trips exactly', async () => {
    const again = await introspectCatalog(db.session, { includeSchemas: ['app'] });
    expect(JSON.stringify(again)).toBe(JSON.stringify(snapshot));
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
  });

  it("restores the session's search_path and uses three round trips whatever the schema size", async () => {
    await db.session.query('SET search_path = app, public');
    const counted = counting(db.session);
    await introspectCatalog(counted.session);
    expect(counted.count()).toBe(3);
    const { rows } = await db.session.query<{ search_path: string }>('SHOW search_path');
    expect(rows[0]!.search_path).toBe('app, public');
    await db.session.query('RESET search_path');
  });

  it('gives the identical snapshot for the same schema written in another statement order', async () => {
    const other = await built(backend, REORDERED);
    try {
      const reordered = await introspectCatalog(other.session, { includeSchemas: ['app'] });
      expect(diffCatalogs(snapshot, reordered)).toEqual([]);
      expect(JSON.stringify(reordered)).toBe(JSON.stringify(snapshot));
    } finally {
      await other.close();
    }
  }, 120_000);
});

describe("introspectCatalog through pgwarden's own database adapters (db/open.ts)", () => {
  it('reads the same snapshot through the PGlite adapter as through a bare PGlite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgwarden-catalog-'));
    const bare = await built(BACKENDS[0]!, EVERY_KIND);
    const database = await openDatabase({ embeddedDir: join(dir, 'data') });
    try {
      const session = await database.session();
      for (const text of [presetSql('supabase'), EVERY_KIND]) await session.exec(text);
      const viaAdapter = await introspectCatalog(session, { includeSchemas: ['app'] });
      expect(JSON.stringify(viaAdapter)).toBe(JSON.stringify(await introspectCatalog(bare.session, { includeSchemas: ['app'] })));
    } finally {
      await database.close();
      await bare.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it.runIf(serverUp)('reads the same snapshot through the pg adapter as through a bare client', async () => {
    const target = await serverDatabase('catalog_adapter');
    const database = await openDatabase({ url: target.url! });
    try {
      await target.exec(presetSql('supabase'));
      await target.exec(EVERY_KIND);
      const session = await database.session();
      try {
        const viaAdapter = await introspectCatalog(session, { includeSchemas: ['app'] });
        expect(JSON.stringify(viaAdapter)).toBe(JSON.stringify(await introspectCatalog(target.session, { includeSchemas: ['app'] })));
      } finally {
        await session.close();
      }
    } finally {
      await database.close();
      await target.close();
    }
  }, 120_000);
});

describe('introspectCatalog on an older server', () => {
  it('refuses PostgreSQL 13 with a one-line reason and leaves search_path as it was', async () => {
    const sent: [string, unknown[] | undefined][] = [];
    const session: DbSession = {
      async query<T>(sql: string, params?: unknown[]) {
        sent.push([sql, params]);
        return { rows: [{ path: '"$user", public', version: '130016' }] as T[], rowCount: 1, fields: [] };
      },
      exec: async () => {},
      close: async () => {},
    };
    await expect(introspectCatalog(session)).rejects.toThrow('catalog introspection needs PostgreSQL 14 or later; the database runs 13 (server_version_num 130016)');
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual(["SELECT set_config('search_path', $1, false)", ['"$user", public']]);
  });
});

describe.runIf(serverUp)('the demo schema on PostgreSQL 15 and PGlite', () => {
  let server: FixtureDatabase | undefined;
  let embedded: FixtureDatabase | undefined;
  afterAll(async () => {
    await server?.close();
    await embedded?.close();
  });

  it('introspects identically except for documented version differences', async () => {
    server = await serverDatabase('catalog_demo');
    embedded = await pgliteDatabase();
    const timings: string[] = [];
    const snapshots: CatalogSnapshot[] = [];
    for (const [label, db] of [['PostgreSQL 15', server], ['PGlite', embedded]] as const) {
      for (const sql of demoSchemaSql()) await db.exec(sql);
      await introspectCatalog(db.session, { excludeSchemas: SUPABASE_EXCLUDED }); // warm the catalog caches
      const started = performance.now();
      snapshots.push(await introspectCatalog(db.session, { excludeSchemas: SUPABASE_EXCLUDED }));
      timings.push(`${label} ${Math.round(performance.now() - started)} ms`);
    }
    console.log(`catalog introspection of the demo schema (warm): ${timings.join(', ')}`);
    const [pg15, pglite] = snapshots as [CatalogSnapshot, CatalogSnapshot];
    expect(pg15.tables.length).toBeGreaterThan(30);
    expect(pg15.serverVersionNum).toBeLessThan(160000);
    expect(pglite.serverVersionNum).toBeGreaterThanOrEqual(170000);

    // Raw snapshots differ only where the versions do: PG17+ adds the MAINTAIN privilege, PG16+
    // prints single-table view columns without the table alias, extension versions ship apart.
    const raw = diffCatalogs(pg15, pglite);
    expect(new Set(raw.map((change) => `${change.object.kind}.${change.property}`))).toEqual(
      new Set(['grant.privileges', 'view.definition', 'extension.version']),
    );
    const portable = diffCatalogs(comparableAcrossVersions(pg15), comparableAcrossVersions(pglite));
    expect(portable.map((change) => change.message)).toEqual(['extension pgcrypto: version changed from 1.3 to 1.4']);
  }, 180_000);
});
