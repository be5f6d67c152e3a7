import { beforeAll, describe, expect, it } from 'vitest';
import { functionKey, memberKey, qualifiedKey } from '../../catalog/identity.js';
import { loadParser, parseSql } from '../../sql/index.js';
import { createdIndexKey, keyText, namesKey, namesText, relationKey, relationName, splitKey, strings } from './names.js';

beforeAll(async () => {
  await loadParser();
});

function statements(sql: string) {
  return parseSql(sql).statements;
}

describe('names', () => {
  it('keys unqualified relations in public', () => {
    const [create, other] = statements('CREATE TABLE t (a int); CREATE TABLE app.t (a int);');
    expect(relationKey(create!.node.relation)).toBe('public.t');
    expect(relationKey(other!.node.relation)).toBe('app.t');
    expect(relationKey(undefined)).toBe('');
  });

  it('keys objects as the catalog snapshot does (catalog/identity.ts), quoted names unquoted', () => {
    const [table, index, fn] = statements(
      'CREATE TABLE "App"."Visits" (a int); CREATE INDEX visits_a ON "App"."Visits" (a); CREATE FUNCTION "App".f(a int) RETURNS int LANGUAGE sql AS $$ SELECT a $$;',
    );
    expect(relationKey(table!.node.relation)).toBe(qualifiedKey('App', 'Visits'));
    expect(createdIndexKey(index!.node)).toBe(qualifiedKey('App', 'visits_a'));
    expect(namesKey(strings(fn!.node.funcname))).toBe(qualifiedKey('App', 'f'));
    // Members and functions extend the relation key the same way the snapshot's keys do.
    expect(memberKey(relationKey(table!.node.relation), 'a')).toBe('App.Visits.a');
    expect(functionKey('App', 'f', ['integer'])).toBe(`${namesKey(strings(fn!.node.funcname))}(integer)`);
  });

  it('writes relations and name lists as SQL, quoting where needed', () => {
    const [create] = statements('CREATE TABLE "App"."user" (a int)');
    expect(relationName(create!.node.relation)).toBe('"App"."user"');
    expect(relationName(undefined)).toBe('?');
    const [drop] = statements('DROP FUNCTION app.f, g');
    expect(drop!.node.objects.map((object: { ObjectWithArgs: { objname: never } }) => strings(object.ObjectWithArgs.objname))).toEqual([['app', 'f'], ['g']]);
    expect(namesText(['app', 'Order'])).toBe('app."Order"');
  });

  it('keys name lists and splits keys', () => {
    expect(namesKey(['f'])).toBe('public.f');
    expect(namesKey(['db', 'app', 'f'])).toBe('app.f');
    expect(namesKey([])).toBe('');
    expect(splitKey('app.t')).toEqual({ schema: 'app', name: 't' });
    expect(splitKey('t')).toEqual({ schema: 'public', name: 't' });
    expect(keyText('public.Order')).toBe('public."Order"');
  });

  it("keys a created index in its table's schema", () => {
    const [plain, qualified] = statements('CREATE INDEX i ON t (a); CREATE INDEX j ON app.t (a);');
    expect(createdIndexKey(plain!.node)).toBe('public.i');
    expect(createdIndexKey(qualified!.node)).toBe('app.j');
  });
});
