import { describe, expect, it } from 'vitest';
import { codeSpan, dollarQuote, forEachToken, scanLayout } from './lexer.js';

/** The statement texts between top-level semicolons. */
function statementsOf(text: string): string[] {
  const ends = scanLayout(text).statementEnds;
  return ends.map((end, position) => text.slice(position === 0 ? 0 : ends[position - 1] + 1, end).trim());
}

describe('scanLayout', () => {
  it('ignores ; inside strings, escapes, quoted identifiers, comments and dollar quotes', () => {
    const text = [
      "SELECT 'a;b', 'it''s;'",
      "SELECT E'\\';'",
      'SELECT "x;y"',
      'SELECT 1 /* ; /* nested ; */ ; */',
      'SELECT 2 -- ;',
      'SELECT $$;$$, $fn$ $$; $fn$',
      'SELECT a$b, $1',
    ].join(';\n');
    expect(statementsOf(`${text};`)).toEqual([
      "SELECT 'a;b', 'it''s;'",
      "SELECT E'\\';'",
      'SELECT "x;y"',
      'SELECT 1 /* ; /* nested ; */ ; */',
      // The line comment swallows the `;` the join put after it.
      'SELECT 2 -- ;;\nSELECT $$;$$, $fn$ $$; $fn$',
      'SELECT a$b, $1',
    ]);
  });

  it('keeps BEGIN ATOMIC ... END bodies whole, like psql', () => {
    const text =
      'CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END; BEGIN; COMMIT;';
    expect(statementsOf(text)).toEqual([
      'CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END',
      'BEGIN',
      'COMMIT',
    ]);
  });

  it('lets an unterminated literal run to the end instead of failing', () => {
    expect(scanLayout("SELECT 1; SELECT 'oops; SELECT 2;").statementEnds).toEqual([8]);
    expect(scanLayout('SELECT 1; SELECT $x$ ; SELECT 2;').statementEnds).toEqual([8]);
    expect(scanLayout('SELECT 1; /* ; SELECT 2;').statementEnds).toEqual([8]);
  });

  it('finds meta-commands only where a line starts outside literals', () => {
    const text = "\\set x 1\nSELECT 1;\n  \\echo a → b\r\nSELECT '\n\\not';\nSELECT 2 \\gx\n";
    const meta = scanLayout(text).metaCommands.map(({ start, end }) => text.slice(start, end));
    expect(meta).toEqual(['\\set x 1', '\\echo a → b']);
  });
});

describe('codeSpan', () => {
  it('spans the code without leading or trailing comments', () => {
    const text = '-- lead\n/* block */ SELECT 1 -- trail\n/* end */';
    const span = codeSpan(text, 0, text.length);
    expect(span && text.slice(span.start, span.end)).toBe('SELECT 1');
    expect(codeSpan('-- only\n/* comments */', 0, 22)).toBeUndefined();
  });
});

describe('forEachToken', () => {
  it('classifies tokens coarsely', () => {
    const kinds: string[] = [];
    forEachToken("e'x' \"id\" word 42 ; ( -- c", (kind) => kinds.push(kind));
    expect(kinds).toEqual(['string', 'word', 'word', 'word', 'semicolon', 'other', 'comment']);
  });
});

describe('dollarQuote', () => {
  it('picks a tag that cannot close the literal early', () => {
    expect(dollarQuote(' BEGIN NULL; END ')).toBe('$$ BEGIN NULL; END $$');
    expect(dollarQuote('SELECT $$x$$')).toBe('$q1$SELECT $$x$$$q1$');
    // A body ending in `$` would otherwise close on `$$$`.
    expect(dollarQuote('x$')).toBe('$q1$x$$q1$');
    expect(dollarQuote('$$ and $q1$')).toBe('$q2$$$ and $q1$$q2$');
  });
});
