import { beforeAll, describe, expect, it } from 'vitest';
import { loadParser, parseSql } from '../../sql/index.js';
import { Catalog } from './schema-catalog.js';
import { executedStatements } from './statements.js';

beforeAll(async () => {
  await loadParser();
});

function statements(sql: string) {
  return executedStatements(parseSql(sql));
}

describe('Catalog', () => {
  it('tracks column types, indexes, NOT NULL checks and function volatility', () => {
    const catalog = new Catalog();
    for (const statement of statements(`
      CREATE TABLE app.t (id int, name varchar(50), CONSTRAINT id_nn CHECK (id IS NOT NULL));
      CREATE INDEX t_name_idx ON app.t (name);
      ALTER TABLE app.t ALTER COLUMN id TYPE bigint, ADD COLUMN note text;
      ALTER TABLE app.t ADD CONSTRAINT note_nn CHECK (note IS NOT NULL) NOT VALID;
      ALTER TABLE app.t RENAME COLUMN name TO title;
      CREATE FUNCTION app.f() RETURNS int LANGUAGE sql STABLE AS 'select 1';
      CREATE FUNCTION g() RETURNS int LANGUAGE sql AS 'select 1';
    `)) {
      catalog.apply(statement);
    }
    expect(catalog.columnType('app.t', 'id')).toEqual({ name: 'int8', mods: [], array: false });
    expect(catalog.columnType('app.t', 'title')).toEqual({ name: 'varchar', mods: [50], array: false });
    expect(catalog.columnType('app.t', 'name')).toBeUndefined();
    expect(catalog.indexTable('app.t_name_idx')).toBe('app.t');
    expect(catalog.validatedNotNullChecks('app.t', 'id')).toEqual(['id_nn']);
    expect(catalog.validatedNotNullChecks('app.t', 'note')).toEqual([]);
    expect(catalog.volatility('app.f')).toBe('s');
    expect(catalog.volatility('public.g')).toBe('v');

    const copy = catalog.clone();
    for (const statement of statements('ALTER TABLE app.t VALIDATE CONSTRAINT note_nn;')) copy.apply(statement);
    expect(copy.validatedNotNullChecks('app.t', 'note')).toEqual(['note_nn']);
    expect(catalog.validatedNotNullChecks('app.t', 'note')).toEqual([]);
  });
});
