import { beforeAll, describe, expect, it } from 'vitest';
import { loadParser, parseSql } from '../../sql/index.js';
import { createdRelation, fileModel } from './file-model.js';
import { relationKey } from './names.js';
import { executedStatements } from './statements.js';

beforeAll(async () => {
  await loadParser();
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

  it('finds the relation a statement creates, temporary ones included', () => {
    const list = executedStatements(parseSql('CREATE TEMP TABLE tmp (a int); CREATE FOREIGN TABLE f (a int) SERVER s; SELECT 1 AS a INTO x; CREATE INDEX i ON t (a);'));
    expect(list.map((statement) => createdRelation(statement)).map((relation) => relation && relationKey(relation))).toEqual(['public.tmp', 'public.f', 'public.x', undefined]);
  });
});
