import { beforeAll, describe, expect, it } from 'vitest';
import { loadParser, parseSql } from '../../sql/index.js';
import { alterCommands, executedStatements, inDoBlock } from './statements.js';

beforeAll(async () => {
  await loadParser();
});

describe('executedStatements', () => {
  it('includes DO-block statements but not function bodies', () => {
    const list = executedStatements(
      parseSql(`DO $$ BEGIN CREATE TABLE a (x int); END $$;
CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN CREATE TABLE b (x int); END $$;`),
    );
    expect(list.map((statement) => statement.kind)).toEqual(['DoStmt', 'CreateStmt', 'CreateFunctionStmt']);
    expect(list.map(inDoBlock)).toEqual([false, true, false]);
  });

  it('lists the subcommands of an ALTER TABLE', () => {
    const [alter] = executedStatements(parseSql('ALTER TABLE t ADD COLUMN a int, DROP COLUMN b'));
    expect(alterCommands(alter!.node).map((cmd) => cmd.subtype)).toEqual(['AT_AddColumn', 'AT_DropColumn']);
  });
});
