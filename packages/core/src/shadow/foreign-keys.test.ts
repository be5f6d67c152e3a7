/* The CREATE TABLE rewrite of the tolerant build: constraints blanked in place, re-added by ALTER TABLE. */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadParser, parseSql } from '../sql/parser.js';
import { inlineForeignKeys } from './definitions.js';
import { deferForeignKeys } from './foreign-keys.js';

beforeAll(() => loadParser());

function rewrite(sql: string, targets: string[]) {
  const statement = parseSql(sql).statements[0]!;
  const refs = inlineForeignKeys(statement).filter((ref) => targets.includes(ref.target));
  const result = deferForeignKeys(statement, refs);
  // The rewritten statement still parses, and keeps its lines.
  expect(parseSql(result.sql).errors).toEqual([]);
  expect(result.sql.split('\n')).toHaveLength(statement.text.split('\n').length);
  return result;
}

describe('deferForeignKeys', () => {
  it('column REFERENCES, named and unnamed, with actions and a trailing comment', () => {
    const { sql, deferred } = rewrite(
      `CREATE TABLE public.orders (
  id uuid PRIMARY KEY,
  customer_id uuid NOT NULL CONSTRAINT orders_customer_fk REFERENCES public.customers (id) ON DELETE CASCADE, -- owner, billing
  region_id integer REFERENCES regions DEFERRABLE INITIALLY DEFERRED CHECK (region_id > 0)
)`,
      ['customers', 'regions'],
    );
    expect(deferred.map((fk) => fk.sql)).toEqual([
      'ALTER TABLE public.orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES public.customers (id) ON DELETE CASCADE',
      'ALTER TABLE public.orders ADD FOREIGN KEY (region_id) REFERENCES regions DEFERRABLE INITIALLY DEFERRED',
    ]);
    expect(sql).toContain('customer_id uuid NOT NULL ');
    expect(sql).toContain('CHECK (region_id > 0)');
    expect(sql).not.toMatch(/REFERENCES/);
  });

  it('table FOREIGN KEY elements: last, first and middle, with their commas', () => {
    const last = rewrite('CREATE TABLE a (id int, b_id int, CONSTRAINT a_b_fk FOREIGN KEY (b_id) REFERENCES b (id))', ['b']);
    expect(last.deferred[0]!.sql).toBe('ALTER TABLE a ADD CONSTRAINT a_b_fk FOREIGN KEY (b_id) REFERENCES b (id)');
    expect(last.sql.replace(/\s+/g, ' ')).toBe('CREATE TABLE a (id int, b_id int )');

    const first = rewrite('CREATE TABLE a (FOREIGN KEY (b_id) REFERENCES b (id), b_id int)', ['b']);
    expect(first.sql.replace(/\s+/g, ' ')).toBe('CREATE TABLE a ( b_id int)');

    const middle = rewrite('CREATE TABLE a (id int, FOREIGN KEY (b_id) REFERENCES b (id), b_id int, FOREIGN KEY (c_id) REFERENCES c (id), c_id int)', ['b']);
    expect(middle.sql.replace(/\s+/g, ' ').replace(/ ,/g, ',')).toBe('CREATE TABLE a (id int, b_id int, FOREIGN KEY (c_id) REFERENCES c (id), c_id int)');
    expect(middle.deferred).toHaveLength(1);
  });

  it('quotes names that need it in the ALTER TABLE', () => {
    const { deferred } = rewrite('CREATE TABLE "Audit"."Order" ("Customer" int REFERENCES "Customer" ("Id"))', ['Customer']);
    expect(deferred[0]!.sql).toBe('ALTER TABLE "Audit"."Order" ADD FOREIGN KEY ("Customer") REFERENCES "Customer" ("Id")');
  });
});
