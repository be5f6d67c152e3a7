import { beforeAll, describe, expect, it } from 'vitest';
import { loadParser, parseSql } from '../../sql/index.js';
import { constValue, notNullColumns } from './expressions.js';

beforeAll(async () => {
  await loadParser();
});

describe('expressions', () => {
  it('finds the columns a CHECK proves NOT NULL', () => {
    const [alter] = parseSql('ALTER TABLE t ADD CONSTRAINT c CHECK (a IS NOT NULL AND b > 0 AND c IS NOT NULL)').statements;
    expect(notNullColumns(alter!.node.cmds[0].AlterTableCmd.def.Constraint.raw_expr)).toEqual(['a', 'c']);
  });

  it('reads constant values', () => {
    const [select] = parseSql("SELECT 1, 2.5, 'x', true, NULL, a").statements;
    const values = select!.node.targetList.map((target: { ResTarget: { val: never } }) => constValue(target.ResTarget.val));
    expect(values).toEqual([1, 2.5, 'x', true, null, undefined]);
  });
});
