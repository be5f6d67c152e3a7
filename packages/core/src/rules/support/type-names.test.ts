import { beforeAll, describe, expect, it } from 'vitest';
import { loadParser, parseSql } from '../../sql/index.js';
import { sameType, typeInfo, typeInfoText, typeNameKey, typeText } from './type-names.js';

beforeAll(async () => {
  await loadParser();
});

describe('type names', () => {
  it('normalises type names and modifiers', () => {
    const [create] = parseSql('CREATE TABLE t (a varchar(20), b integer, c numeric(10,2), d text[], e timestamp with time zone)').statements;
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
    expect(typeInfoText(types[2])).toBe('numeric(10,2)');
  });

  it('keys built-in types by their bare name and others by schema.name', () => {
    const [create] = parseSql('CREATE TABLE t (a integer, b mood, c app.mood)').statements;
    const keys = create!.node.tableElts.map((element: { ColumnDef: { typeName: never } }) => typeNameKey(element.ColumnDef.typeName));
    expect(keys).toEqual(['int4', 'public.mood', 'app.mood']);
  });
});
