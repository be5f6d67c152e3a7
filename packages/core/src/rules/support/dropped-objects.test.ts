import { beforeAll, describe, expect, it } from 'vitest';
import { loadParser, parseSql } from '../../sql/index.js';
import { droppedObjects } from './dropped-objects.js';
import { executedStatements } from './statements.js';

beforeAll(async () => {
  await loadParser();
});

function statements(sql: string) {
  return executedStatements(parseSql(sql));
}

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

  it('always quotes policy names, and keys casts by their type names', () => {
    const [policy, cast] = statements('DROP POLICY p ON t; DROP CAST IF EXISTS (pg_catalog.int4 AS public.mood);');
    expect(droppedObjects(policy!)[0]).toMatchObject({ key: 'policy:public.t:p', text: '"p" ON t', table: 't' });
    expect(droppedObjects(cast!)[0]).toMatchObject({ key: 'cast:int4:public.mood', text: '(integer AS public.mood)', missingOk: true });
  });
});
