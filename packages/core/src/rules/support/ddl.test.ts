import { beforeAll, describe, expect, it } from 'vitest';
import { loadParser, parseSql } from '../../sql/index.js';
import {
  Catalog,
  droppedObjects,
  executedStatements,
  fileModel,
  firstLine,
  insertAfter,
  notNullColumns,
  quoteIdent,
  relationKey,
  sameType,
  typeInfo,
  typeText,
} from './ddl.js';

beforeAll(async () => {
  await loadParser();
});

function statements(sql: string) {
  return executedStatements(parseSql(sql));
}

describe('names', () => {
  it('quotes identifiers only when needed', () => {
    expect(quoteIdent('documents')).toBe('documents');
    expect(quoteIdent('Documents')).toBe('"Documents"');
    expect(quoteIdent('user')).toBe('"user"');
    expect(quoteIdent('my "x"')).toBe('"my ""x"""');
  });

  it('keys unqualified relations in public', () => {
    const [create, other] = statements('CREATE TABLE t (a int); CREATE TABLE app.t (a int);');
    expect(relationKey(create!.node.relation)).toBe('public.t');
    expect(relationKey(other!.node.relation)).toBe('app.t');
  });
});

describe('statement text helpers', () => {
  it('inserts a clause after the leading keywords, skipping comments', () => {
    expect(insertAfter('-- note\nCREATE UNIQUE INDEX i ON t (a)', /CREATE\s+(?:UNIQUE\s+)?INDEX\s+/, 'IF NOT EXISTS ')).toBe('CREATE UNIQUE INDEX IF NOT EXISTS i ON t (a)');
    expect(insertAfter('ALTER TABLE t ADD x int', /CREATE\s+/, 'OR REPLACE ')).toBeUndefined();
  });

  it('keeps the first line only, cut at the limit', () => {
    expect(firstLine('CREATE TABLE t (\n  a int\n)')).toBe('CREATE TABLE t (');
    expect(firstLine(`SELECT ${'x'.repeat(200)}`, 20)).toBe('SELECT xxxxxxxxxx...');
  });
});

describe('droppedObjects', () => {
  it('names the objects of DROP statements with their IF EXISTS flag', () => {
    const [drop, policy, trigger, role, alter] = statements(
      'DROP TABLE IF EXISTS a.b, c; DROP POLICY "p q" ON public.t; DROP TRIGGER tg ON t; DROP ROLE IF EXISTS r; ALTER TABLE t DROP CONSTRAINT IF EXISTS k, DROP COLUMN c;',
    );
    expect(droppedObjects(drop!).map((object) => [object.key, object.missingOk])).toEqual([
      ['table:a.b', true],
      ['table:public.c', true],
    ]);
    expect(droppedObjects(policy!)[0]).toMatchObject({ key: 'policy:public.t:p q', text: '"p q" ON public.t', missingOk: false });
    expect(droppedObjects(trigger!)[0]).toMatchObject({ key: 'trigger:public.t:tg', keyword: 'TRIGGER' });
    expect(droppedObjects(role!)[0]).toMatchObject({ key: 'role:r', missingOk: true });
    expect(droppedObjects(alter!).map((object) => [object.key, object.missingOk, object.cmdIndex])).toEqual([
      ['constraint:public.t:k', true, 0],
      ['column:public.t:c', false, 1],
    ]);
  });
});

describe('fileModel', () => {
  it('knows which tables the file created before a statement, following renames', () => {
    const sql = parseSql('ALTER TABLE t ADD x int; CREATE TABLE t (a int); ALTER TABLE t RENAME TO u; ALTER TABLE u ADD y int;');
    const model = fileModel(sql);
    const [before, , , after] = model.statements;
    expect(model.createdBefore('public.t', before!)).toBe(false);
    expect(model.createdBefore('public.u', after!)).toBe(true);
  });

  it('finds a DROP of the same object earlier in the file or the same ALTER TABLE', () => {
    const model = fileModel(parseSql('DROP POLICY IF EXISTS p ON t; CREATE POLICY p ON t USING (true); ALTER TABLE t DROP CONSTRAINT IF EXISTS c, ADD CONSTRAINT c CHECK (a > 0);'));
    const [, create, alter] = model.statements;
    expect(model.droppedBefore('policy:public.t:p', create!)?.missingOk).toBe(true);
    expect(model.droppedBefore('constraint:public.t:c', alter!, 1)).toBeDefined();
    expect(model.droppedBefore('constraint:public.t:c', alter!, 0)).toBeUndefined();
  });

  it('includes DO-block statements but not function bodies', () => {
    const list = statements(`DO $$ BEGIN CREATE TABLE a (x int); END $$;
CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN CREATE TABLE b (x int); END $$;`);
    expect(list.map((statement) => statement.kind)).toEqual(['DoStmt', 'CreateStmt', 'CreateFunctionStmt']);
  });
});

describe('types', () => {
  it('normalises type names and modifiers', () => {
    const [create] = statements('CREATE TABLE t (a varchar(20), b integer, c numeric(10,2), d text[], e timestamp with time zone)');
    const types = create!.node.tableElts.map((element: { ColumnDef: { typeName: unknown } }) => typeInfo(element.ColumnDef.typeName as never));
    expect(types).toEqual([
      { name: 'varchar', mods: [20], array: false },
      { name: 'int4', mods: [], array: false },
      { name: 'numeric', mods: [10, 2], array: false },
      { name: 'text', mods: [], array: true },
      { name: 'timestamptz', mods: [], array: false },
    ]);
    expect(sameType(types[0], { name: 'varchar', mods: [20], array: false })).toBe(true);
    expect(typeText(create!.node.tableElts[1].ColumnDef.typeName)).toBe('integer');
  });

  it('finds the columns a CHECK proves NOT NULL', () => {
    const [alter] = statements('ALTER TABLE t ADD CONSTRAINT c CHECK (a IS NOT NULL AND b > 0 AND c IS NOT NULL)');
    expect(notNullColumns(alter!.node.cmds[0].AlterTableCmd.def.Constraint.raw_expr)).toEqual(['a', 'c']);
  });
});

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
