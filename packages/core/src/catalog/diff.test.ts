/*
 * diffCatalogs on snapshots introspected from PGlite: the every-kind fixture, then one change
 * applied in a transaction that is rolled back. Each case is checked in both directions: the
 * reverse diff swaps added/removed and before/after.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presetSql } from '../shadow/presets.js';
import { pgliteDatabase, type FixtureDatabase } from './__fixtures__/databases.js';
import { diffCatalogs } from './diff.js';
import { introspectCatalog, PRESET_SCHEMAS } from './introspect.js';
import type { CatalogChange, CatalogSnapshot } from './types.js';

const EVERY_KIND = readFileSync(new URL('./__fixtures__/every-kind.sql', import.meta.url), 'utf8');
const OPTIONS = { excludeSchemas: [...PRESET_SCHEMAS.supabase, 'pgwarden', 'public'] };

let db: FixtureDatabase;
let base: CatalogSnapshot;

beforeAll(async () => {
  db = await pgliteDatabase();
  await db.exec(presetSql('supabase'));
  await db.exec(EVERY_KIND);
  base = await introspectCatalog(db.session, OPTIONS);
}, 120_000);
afterAll(async () => db?.close());

/** The snapshot with `sql` applied; the change is rolled back afterwards. */
async function changedBy(sql: string): Promise<CatalogSnapshot> {
  await db.exec('BEGIN');
  try {
    await db.exec(sql);
    return await introspectCatalog(db.session, OPTIONS);
  } finally {
    await db.exec('ROLLBACK');
  }
}

const messages = (changes: CatalogChange[]) => changes.map((change) => change.message);

/** The change seen from the other side: added <-> removed, before <-> after. */
function reversed(change: CatalogChange): Omit<CatalogChange, 'message'> {
  const action = change.action === 'added' ? 'removed' : change.action === 'removed' ? 'added' : 'changed';
  return {
    action,
    object: change.object,
    ...(change.property ? { property: change.property } : {}),
    ...(change.after !== undefined ? { before: change.after } : {}),
    ...(change.before !== undefined ? { after: change.before } : {}),
  };
}

const CASES: [string, string, string[]][] = [
  ['schema', 'CREATE SCHEMA billing', ['schema billing added']],
  ['schema comment', "COMMENT ON SCHEMA app IS 'renamed'", ['schema app: comment changed from application objects to renamed']],
  ['extension', 'CREATE EXTENSION pg_trgm', ['extension pg_trgm added']],
  ['enum', "CREATE TYPE app.level AS ENUM ('low', 'high')", ['enum app.level added']],
  ['enum label', "ALTER TYPE app.mood ADD VALUE 'glad'", ['enum app.mood: labels changed from ["sad","meh","ok","happy"] to ["sad","meh","ok","happy","glad"]']],
  ['domain', 'CREATE DOMAIN app.positive AS integer CHECK (VALUE > 0)', ['domain app.positive added']],
  ['domain check', "ALTER DOMAIN app.email ADD CONSTRAINT email_short CHECK (length(VALUE) < 300)", ['domain app.email: checks changed']],
  ['composite type', 'CREATE TYPE app.pair AS (a integer, b integer)', ['composite type app.pair added']],
  ['composite attribute', 'ALTER TYPE app.money_amount ADD ATTRIBUTE note text', ['composite type app.money_amount: attributes changed']],
  ['sequence', 'CREATE SEQUENCE app.invoice_seq', ['sequence app.invoice_seq added']],
  ['table (one change, not one per column)', 'CREATE TABLE app.notes (id integer, body text NOT NULL)', ['table app.notes added']],
  ['table RLS', 'ALTER TABLE app.orders ENABLE ROW LEVEL SECURITY', ['table app.orders: rlsEnabled changed from false to true']],
  ['table forced RLS', 'ALTER TABLE app.accounts NO FORCE ROW LEVEL SECURITY', ['table app.accounts: rlsForced changed from true to false']],
  ['table comment', "COMMENT ON TABLE app.orders IS 'orders'", ['table app.orders: comment changed from none to orders']],
  ['column', 'ALTER TABLE app.orders ADD COLUMN note text', ['column app.orders.note added']],
  ['column type', 'ALTER TABLE app.orders ALTER COLUMN placed_at TYPE timestamptz', ['column app.orders.placed_at: type changed from date to timestamp with time zone']],
  ['column nullability', 'ALTER TABLE app.orders ALTER COLUMN amount SET NOT NULL', ['column app.orders.amount: notNull changed from false to true']],
  ['column default', 'ALTER TABLE app.orders ALTER COLUMN amount SET DEFAULT 0', ['column app.orders.amount: default changed from none to 0']],
  ['column comment', "COMMENT ON COLUMN app.orders.amount IS 'in cents'", ['column app.orders.amount: comment changed from none to in cents']],
  ['constraint', "ALTER TABLE app.orders ADD CONSTRAINT orders_recent CHECK (placed_at > '2000-01-01')", ['constraint app.orders.orders_recent added']],
  [
    'constraint validated',
    'ALTER TABLE app.orders VALIDATE CONSTRAINT orders_amount_check',
    [
      'constraint app.orders.orders_amount_check: definition changed from CHECK ((amount > (0)::numeric)) NOT VALID to CHECK ((amount > (0)::numeric))',
      'constraint app.orders.orders_amount_check: validated changed from false to true',
    ],
  ],
  ['index', 'CREATE INDEX orders_placed_idx ON app.orders (placed_at)', ['index app.orders_placed_idx added']],
  ['trigger', 'CREATE TRIGGER orders_touch_update BEFORE UPDATE ON app.orders FOR EACH ROW EXECUTE FUNCTION app.touch()', ['trigger app.orders.orders_touch_update added']],
  ['trigger enabled', 'ALTER TABLE app.orders ENABLE TRIGGER orders_touch', ['trigger app.orders.orders_touch: enabled changed from false to true']],
  ['policy', 'CREATE POLICY orders_select ON app.orders FOR SELECT TO authenticated USING (true)', ['policy app.orders.orders_select added']],
  ['policy roles', 'ALTER POLICY accounts_select ON app.accounts TO authenticated', ['policy app.accounts.accounts_select: roles changed from ["anon","authenticated"] to ["authenticated"]']],
  ['policy expression', 'ALTER POLICY accounts_select ON app.accounts USING (id > 0)', ['policy app.accounts.accounts_select: using changed from true to (id > 0)']],
  ['grant', 'GRANT SELECT ON app.orders TO anon', ['grant app.orders:anon added']],
  ['grant privileges', 'GRANT DELETE ON app.accounts TO authenticated', ['grant app.accounts:authenticated: privileges changed from ["INSERT","SELECT"] to ["DELETE","INSERT","SELECT"]']],
  ['view', 'CREATE VIEW app.order_ids AS SELECT id FROM app.orders', ['view app.order_ids added']],
  [
    'view definition and column',
    'CREATE OR REPLACE VIEW app.order_totals AS SELECT account_id, sum(amount) AS total, count(*) AS n FROM app.orders GROUP BY account_id',
    ['view app.order_totals: definition changed', 'column app.order_totals.n added'],
  ],
  ['view options', 'ALTER VIEW app.account_names RESET (security_invoker)', ['view app.account_names: options changed from ["security_barrier=true","security_invoker=true"] to ["security_barrier=true"]']],
  ['materialized view', 'CREATE MATERIALIZED VIEW app.account_count AS SELECT count(*) AS n FROM app.accounts', ['materialized view app.account_count added']],
  ['materialized view index', 'CREATE INDEX order_stats_n2 ON app.order_stats (n)', ['index app.order_stats_n2 added']],
  ['function', 'CREATE FUNCTION app.one() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$', ['function app.one() added']],
  [
    'function body',
    'CREATE OR REPLACE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$',
    ['function app.touch(): bodyHash changed from '],
  ],
  ['function config', 'ALTER FUNCTION app.account(bigint) RESET search_path', ['function app.account(bigint): config changed from ["search_path=\\"\\""] to []']],
  ['function volatility', 'ALTER FUNCTION app.add(integer, integer) STABLE', ['function app.add(integer, integer): volatility changed from immutable to stable']],
  ['function security', 'ALTER FUNCTION app.touch() SECURITY DEFINER', ['function app.touch(): securityDefiner changed from false to true']],
  ['function grant', 'REVOKE EXECUTE ON FUNCTION app.add(integer, integer) FROM PUBLIC', ['grant app.add(integer, integer):PUBLIC removed']],
];

describe('diffCatalogs', () => {
  it('finds no change between a snapshot and itself', () => {
    expect(diffCatalogs(base, base)).toEqual([]);
  });

  it.each(CASES)('%s: reports the change, and its reverse the other way', async (_name, sql, expected) => {
    const after = await changedBy(sql);
    const forward = diffCatalogs(base, after);
    const found = messages(forward);
    expect(found.length).toBe(expected.length);
    expected.forEach((message, index) => expect(found[index]!.startsWith(message), `${found[index]} starts with ${message}`).toBe(true));
    for (const change of forward) {
      if (change.action === 'added') expect(change.after).toBeDefined();
      if (change.action === 'removed') expect(change.before).toBeDefined();
      if (change.action === 'changed') expect(change.property).toBeDefined();
    }
    const backward = diffCatalogs(after, base);
    expect(backward.map(({ message: _message, ...rest }) => rest)).toEqual(forward.map(reversed));
    for (const change of backward.filter((item) => item.action === 'removed')) expect(change.message).toMatch(/ removed$/);
  }, 60_000);

  it('removing a table is one change carrying the whole table', async () => {
    const after = await changedBy('DROP TABLE app.orders CASCADE');
    const changes = diffCatalogs(base, after);
    const table = changes.find((change) => change.object.key === 'app.orders')!;
    expect(table).toMatchObject({ action: 'removed', object: { kind: 'table', key: 'app.orders' }, message: 'table app.orders removed' });
    expect((table.before as { columns: unknown[] }).columns).toHaveLength(4);
    // Only objects that lived outside the table go separately: the view over it, the materialized view, the serial sequence.
    expect(messages(changes)).toEqual(['sequence app.orders_id_seq removed', 'table app.orders removed', 'materialized view app.order_stats removed', 'view app.order_totals removed']);
  });

  it('orders changes by family, then key in code-point order, own properties before members', async () => {
    const after = await changedBy(`
      CREATE TABLE app."Zeta" (id integer);
      CREATE TABLE app.alpha (id integer);
      ALTER TABLE app.accounts ADD COLUMN z text;
      COMMENT ON TABLE app.accounts IS 'changed';
      CREATE FUNCTION app.b() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
      CREATE TYPE app.level AS ENUM ('low');
    `);
    expect(messages(diffCatalogs(base, after))).toEqual([
      'enum app.level added',
      'table app.Zeta added',
      'table app.accounts: comment changed from customer accounts to changed',
      'column app.accounts.z added',
      'table app.alpha added',
      'function app.b() added',
    ]);
  });

  it('ignores column order unless asked', () => {
    const moved = structuredClone(base);
    const orders = moved.tables.find((table) => table.key === 'app.orders')!;
    const [first, second] = orders.columns;
    [first!.position, second!.position] = [second!.position, first!.position];
    expect(diffCatalogs(base, moved)).toEqual([]);
    expect(messages(diffCatalogs(base, moved, { columnOrder: true }))).toEqual([
      'column app.orders.account_id: position changed from 2 to 1',
      'column app.orders.id: position changed from 1 to 2',
    ]);
  });
});
