import { beforeAll, describe, expect, it, vi } from 'vitest';
import { fixture, span } from './__fixtures__/fixtures.js';
import { loadParser, parseSql } from './parser.js';

beforeAll(() => loadParser());

describe('parseSql: statements', () => {
  it('positions statements exactly after non-ASCII comments, in a file wrapped in BEGIN/COMMIT', () => {
    const text = fixture('non-ascii-comments.sql');
    const { statements, nested, errors, metaCommands } = parseSql(text);

    expect(errors).toEqual([]);
    expect(metaCommands).toEqual([]);
    expect(nested).toEqual([]);
    expect(statements.map((statement) => [statement.kind, span(statement.range)])).toEqual([
      ['TransactionStmt', '7:1-7:6'],
      ['AlterTableStmt', '11:1-11:76'],
      ['UpdateStmt', '14:1-14:60'],
      // Second statement on a line after an emoji (two string units) and an accented letter.
      ['UpdateStmt', '14:62-14:112'],
      ['CommentStmt', '16:1-16:76'],
      ['TransactionStmt', '18:1-18:7'],
    ]);
    expect(statements[2].text).toBe("UPDATE public.visits SET status = 'terminé 🚀' WHERE id = 1");
    expect(statements[3].text).toBe("UPDATE public.visits SET status = '✅' WHERE id = 2");
    expect(statements[4].text).toBe("COMMENT ON COLUMN public.visits.duration_minutes IS 'Durée en minutes → 🕒'");
    for (const statement of statements) {
      expect(text.slice(statement.range.start.offset, statement.range.end.offset)).toBe(statement.text);
    }
  });

  it('exposes the inner node and the transaction kind', () => {
    const [begin, alter, , , , commit] = parseSql(fixture('non-ascii-comments.sql')).statements;
    expect(begin.node.kind).toBe('TRANS_STMT_BEGIN');
    expect(commit.node.kind).toBe('TRANS_STMT_COMMIT');
    expect(alter.node.relation).toMatchObject({ schemaname: 'public', relname: 'visits' });
  });

  it('collects the -- lines directly above a statement, but not across a blank line or from a shared line', () => {
    const [begin, alter, firstUpdate, secondUpdate, comment] = parseSql(fixture('non-ascii-comments.sql')).statements;
    expect(begin.leadingComments).toEqual([]);
    expect(alter.leadingComments).toEqual([
      { text: 'Añade la columna → minutes ✅', line: 9 },
      { text: "(René's request)", line: 10 },
    ]);
    expect(firstUpdate.leadingComments).toEqual([{ text: 'Backfill: café → 🚀 fast', line: 13 }]);
    expect(secondUpdate.leadingComments).toEqual([]);
    expect(comment.leadingComments).toEqual([]);
  });

  it('maps node locations to file positions with locate()', () => {
    const secondUpdate = parseSql(fixture('non-ascii-comments.sql')).statements[3];
    expect(secondUpdate.locate?.(secondUpdate.node.relation.location)).toEqual({ line: 14, column: 69, offset: expect.any(Number) });
  });

  it('ends a statement at its last token, not at comments before the ; or at the end of the file', () => {
    const text = 'SELECT 1 -- one\n  ;\nSELECT 2 /* two; */\n-- trailing\n\n';
    const { statements } = parseSql(text);
    expect(statements.map((statement) => [statement.text, span(statement.range)])).toEqual([
      ['SELECT 1', '1:1-1:9'],
      ['SELECT 2', '3:1-3:9'],
    ]);
  });

  it('starts a statement at its first token, after comments and blank lines', () => {
    const { statements } = parseSql('SELECT 1;\n\n/* block */\n-- line\n   SELECT 2;');
    expect(span(statements[1].range)).toBe('5:4-5:12');
    // Only `--` lines count: the block comment ends the run.
    expect(statements[1].leadingComments).toEqual([{ text: 'line', line: 4 }]);
  });

  it('returns nothing for an empty file, blanks, or only comments', () => {
    const empty = { statements: [], nested: [], expressions: [], errors: [], metaCommands: [] };
    expect(parseSql('')).toEqual(empty);
    expect(parseSql('  \n\t\n')).toEqual(empty);
    expect(parseSql('-- Migration: nothing yet\n/* TODO: write it; later */\n-- SELECT 1;\n')).toEqual(empty);
  });

  it('handles CRLF line endings: same lines and columns, no \\r in texts or comments', () => {
    const text = fixture('non-ascii-comments.sql').replace(/\n/g, '\r\n');
    const { statements, errors } = parseSql(text);
    expect(errors).toEqual([]);
    expect(statements.map((statement) => span(statement.range))).toEqual([
      '7:1-7:6',
      '11:1-11:76',
      '14:1-14:60',
      '14:62-14:112',
      '16:1-16:76',
      '18:1-18:7',
    ]);
    expect(statements[1].leadingComments).toEqual([
      { text: 'Añade la columna → minutes ✅', line: 9 },
      { text: "(René's request)", line: 10 },
    ]);
  });

  it('keeps CRLF inside a multi-line statement text', () => {
    const [statement] = parseSql('CREATE TABLE t (\r\n  id int\r\n);\r\n').statements;
    expect(statement.text).toBe('CREATE TABLE t (\r\n  id int\r\n)');
    expect(span(statement.range)).toBe('1:1-3:2');
  });

  it('throws a clear error when the parser is not loaded', async () => {
    vi.resetModules(); // a fresh module instance, whose parser is not loaded yet
    const fresh = await import('./parser.js');
    expect(() => fresh.parseSql('SELECT 1')).toThrow('await loadParser()');
    await fresh.loadParser();
    expect(fresh.parseSql('SELECT 1').statements).toHaveLength(1);
  });

  it('loadParser is idempotent', async () => {
    expect(loadParser()).toBe(loadParser());
    await loadParser();
  });
});

describe('parseSql: psql meta-commands', () => {
  it('reports backslash lines, blanks them out for the parser, and leaves dollar-quoted text alone', () => {
    const text = fixture('psql-meta-commands.sql');
    const { statements, errors, metaCommands } = parseSql(text);

    expect(errors).toEqual([]);
    expect(metaCommands.map((meta) => [meta.command, span(meta.range)])).toEqual([
      ['\\set ON_ERROR_STOP on', '1:1-1:22'],
      ["\\echo 'Building foundations → ✅'", '2:1-2:33'],
      ['\\i current_schema/02_profiles.sql', '5:3-5:36'],
      ['\\c healthcare', '6:1-6:14'],
      ['\\echo done', '11:1-11:11'],
    ]);
    expect(statements.map((statement) => [statement.kind, span(statement.range)])).toEqual([
      ['CreateExtensionStmt', '4:1-4:40'],
      ['CreateFunctionStmt', '7:1-10:3'],
    ]);
    expect(statements[0].leadingComments).toEqual([{ text: 'Extensions', line: 3 }]);
    // The original text, backslash line included, not the blanked one.
    expect(statements[1].text).toContain('\\echo is text inside a dollar quote, not a meta-command');
  });

  it('treats a backslash line inside a string or comment as text', () => {
    const { metaCommands, errors } = parseSql("SELECT '\n\\echo not a command\n';\n/*\n\\echo nor this\n*/");
    expect(metaCommands).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('handles CRLF meta-commands without their \\r', () => {
    const { metaCommands, statements } = parseSql('\\echo hi\r\nSELECT 1;\r\n');
    expect(metaCommands.map((meta) => [meta.command, span(meta.range)])).toEqual([['\\echo hi', '1:1-1:9']]);
    expect(span(statements[0].range)).toBe('2:1-2:9');
  });
});
