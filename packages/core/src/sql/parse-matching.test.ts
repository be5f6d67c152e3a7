import { beforeAll, describe, expect, it } from 'vitest';
import { fixture } from './__fixtures__/fixtures.js';
import { loadParser, parseSql, parseSqlMatching } from './parser.js';

beforeAll(() => loadParser());

const RLS = /row\s+level\s+security/i;

describe('parseSqlMatching', () => {
  // Positions are string offsets, as in the full parse; a node's raw `location` (UTF-8 bytes) can differ
  // after a blanked non-ASCII statement, which is why rules go through statement.locate().
  it('parses only the statements that match, with the positions and nested statements of the full parse', () => {
    const text = [
      '-- header: enable row level security below',
      'CREATE TABLE public.a (id int, note text DEFAULT \'x; row level security\');',
      'ALTER TABLE public.a ENABLE ROW LEVEL SECURITY;',
      "UPDATE public.a SET note = 'é🚀' WHERE id = 1;",
      'DO $$ BEGIN',
      '  ALTER TABLE public.b ENABLE ROW',
      '    LEVEL SECURITY;',
      'END $$;',
      'ALTER TABLE public.c DISABLE ROW LEVEL SECURITY',
    ].join('\n');
    const full = parseSql(text);
    const matching = parseSqlMatching(text, RLS);
    const shape = (parsed: ReturnType<typeof parseSql>) => ({
      statements: parsed.statements.map((statement) => ({ kind: statement.kind, text: statement.text, range: statement.range, relation: statement.node.relation?.relname })),
      nested: parsed.nested.map((statement) => ({ kind: statement.kind, text: statement.text, range: statement.range, relation: statement.node.relation?.relname })),
    });
    // The CREATE TABLE matches only inside its string literal: kept (a superset never loses a change).
    expect(matching.statements.map((statement) => statement.kind)).toEqual(['CreateStmt', 'AlterTableStmt', 'DoStmt', 'AlterTableStmt']);
    const kept = new Set([0, 1, 3, 4]);
    expect(shape(matching)).toEqual({ statements: shape(full).statements.filter((_, index) => kept.has(index)), nested: shape(full).nested });
    expect(matching.errors).toEqual([]);
    const located = matching.statements[3]!;
    expect(located.locate!(located.node.relation.location)).toEqual(full.statements[4]!.locate!(full.statements[4]!.node.relation.location));
  });

  it('near miss: a file in which nothing matches parses to nothing', () => {
    const text = fixture('non-ascii-comments.sql');
    expect(parseSql(text).statements.length).toBeGreaterThan(0);
    const matching = parseSqlMatching(text, /no such words here/);
    expect(matching.statements).toEqual([]);
    expect(matching.errors).toEqual([]);
  });
});
