import { beforeAll, describe, expect, it } from 'vitest';
import { loadParser, parseSql } from '../sql/index.js';
import { collectSuppressions, isSuppressed, type Suppression } from './suppressions.js';

beforeAll(async () => {
  await loadParser();
});

function collect(text: string, withNested = false): Suppression[] {
  const sql = parseSql(text);
  expect(sql.errors).toEqual([]);
  return collectSuppressions(text, withNested ? [...sql.statements, ...sql.nested] : sql.statements);
}

/** 1-based line of the first line containing `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`no ${needle}`);
  return text.slice(0, index).split('\n').length;
}

describe('collectSuppressions', () => {
  it('binds a statement ignore to the next statement and covers all its lines', () => {
    const text = `SELECT 1;

-- pgwarden-ignore idempotent-create -- created once by the bootstrap job
CREATE TABLE public.visits (
  id uuid PRIMARY KEY,
  note text
);

CREATE TABLE public.other (id int);
`;
    const [suppression, ...rest] = collect(text);
    expect(rest).toEqual([]);
    expect(suppression).toEqual({
      scope: 'statement',
      rules: ['idempotent-create'],
      reason: 'created once by the bootstrap job',
      line: 3,
      column: 4,
      coversFrom: 4,
      coversTo: 7,
      used: new Set(),
    });
  });

  it('parses several rules separated by commas, a reason after --, and keeps "--" inside the reason', () => {
    const text = `--pgwarden-ignore  guarded-ddl ,idempotent-create,  access-exclusive-lock   -- reviewed -- see ticket 42
ALTER TABLE public.visits ADD CONSTRAINT visits_note_check CHECK (note <> '');
`;
    const [suppression] = collect(text);
    expect(suppression!.rules).toEqual(['guarded-ddl', 'idempotent-create', 'access-exclusive-lock']);
    expect(suppression!.reason).toBe('reviewed -- see ticket 42');
    expect(suppression!.column).toBe(3);
    expect([suppression!.coversFrom, suppression!.coversTo]).toEqual([2, 2]);
  });

  it('no reason, and no rule at all', () => {
    const text = `-- pgwarden-ignore no-emoji
SELECT 1;
-- pgwarden-ignore -- just in case
SELECT 2;
`;
    const [first, second] = collect(text);
    expect(first).toMatchObject({ rules: ['no-emoji'], reason: undefined, coversFrom: 2, coversTo: 2 });
    expect(second).toMatchObject({ rules: [], reason: 'just in case', coversFrom: 4, coversTo: 4 });
  });

  it('skips blank lines and comments between the ignore and its statement; ignores on consecutive lines bind to the same statement', () => {
    const text = `-- pgwarden-ignore guarded-ddl -- a
-- pgwarden-ignore table-rewrite -- b

-- an ordinary comment
CREATE POLICY p ON public.visits
  USING (true);
`;
    const suppressions = collect(text);
    expect(suppressions.map((s) => [s.line, s.coversFrom, s.coversTo])).toEqual([
      [1, 5, 6],
      [2, 5, 6],
    ]);
  });

  it('a file-scope ignore applies anywhere, even after the last statement, and has no coverage lines', () => {
    const text = `SELECT 1;
SELECT 2;
    -- pgwarden-ignore-file no-emoji, grant-to-anon -- demo data
`;
    const [suppression] = collect(text);
    expect(suppression).toEqual({
      scope: 'file',
      rules: ['no-emoji', 'grant-to-anon'],
      reason: 'demo data',
      line: 3,
      column: 8,
      used: new Set(),
    });
  });

  it('a statement ignore with no statement after it covers nothing', () => {
    const text = `SELECT 1;
-- pgwarden-ignore transaction-control -- trailing
`;
    const [suppression] = collect(text);
    expect(suppression!.scope).toBe('statement');
    expect(suppression!.coversFrom).toBeUndefined();
    expect(suppression!.coversTo).toBeUndefined();
    expect(isSuppressed([suppression!], 'transaction-control', 1)).toBe(false);
    expect(isSuppressed([suppression!], 'transaction-control', 2)).toBe(false);
  });

  it('does not bind backwards to a statement on the same line as the ignore', () => {
    const text = `SELECT 1; SELECT 2;
-- pgwarden-ignore no-emoji
SELECT 3;
`;
    expect(collect(text)[0]).toMatchObject({ coversFrom: 3, coversTo: 3 });
  });

  it('only a comment that starts the line is a directive (not trailing comments or mentions)', () => {
    const text = `SELECT 1; -- pgwarden-ignore no-emoji
-- see pgwarden-ignore in the docs
-- pgwarden-ignored no-emoji
SELECT 'x';
`;
    expect(collect(text)).toEqual([]);
  });

  it('handles CRLF line endings', () => {
    const text = 'SELECT 1;\r\n-- pgwarden-ignore no-emoji -- crlf\r\nSELECT\r\n  2;\r\n';
    expect(collect(text)[0]).toMatchObject({ line: 2, rules: ['no-emoji'], reason: 'crlf', coversFrom: 3, coversTo: 4 });
  });

  it('an ignore inside a DO block binds to the next statement of the block when nested statements are given', () => {
    const text = `DO $$
BEGIN
  -- pgwarden-ignore idempotent-create -- guarded by the caller
  CREATE TABLE public.x (id int);
END
$$;

CREATE TABLE public.y (id int);
`;
    const [suppression] = collect(text, true);
    expect(suppression).toMatchObject({ line: 3, column: 6, coversFrom: 4, coversTo: 4 });
    // Not the next top-level statement:
    expect(isSuppressed([suppression!], 'idempotent-create', lineOf(text, 'public.y'))).toBe(false);
    expect(isSuppressed([suppression!], 'idempotent-create', lineOf(text, 'public.x'))).toBe(true);
  });

  it('an ignore above a DO block covers the whole block even with nested statements given (in any order)', () => {
    const text = `-- pgwarden-ignore idempotent-create -- whole block
DO $$
BEGIN
  CREATE TABLE public.x (id int);
END
$$;
`;
    const sql = parseSql(text);
    expect(sql.nested.length).toBeGreaterThan(0);
    const [suppression] = collectSuppressions(text, [...sql.nested, ...sql.statements]);
    expect(suppression).toMatchObject({ coversFrom: 2, coversTo: 6 });
  });
});

describe('isSuppressed', () => {
  const text = `-- pgwarden-ignore-file no-emoji -- patient names
-- pgwarden-ignore idempotent-create, guarded-ddl -- bootstrap
CREATE TABLE public.visits (
  id uuid
);
CREATE TABLE public.rooms (id int);
`;

  it('silences a listed rule on a covered line and marks only that rule used', () => {
    const suppressions = collect(text);
    const statement = suppressions[1]!;
    expect(isSuppressed(suppressions, 'idempotent-create', 3)).toBe(true);
    expect(isSuppressed(suppressions, 'idempotent-create', 5)).toBe(true);
    expect([...statement.used]).toEqual(['idempotent-create']);
    expect([...suppressions[0]!.used]).toEqual([]);
  });

  it('does not silence an unlisted rule, or a line outside the statement', () => {
    const suppressions = collect(text);
    expect(isSuppressed(suppressions, 'table-rewrite', 3)).toBe(false);
    expect(isSuppressed(suppressions, 'idempotent-create', 6)).toBe(false);
    expect(isSuppressed(suppressions, 'idempotent-create', 2)).toBe(false);
    expect(suppressions.every((s) => s.used.size === 0)).toBe(true);
  });

  it('a file ignore silences its rule on any line, including line 1 and beyond the last statement', () => {
    const suppressions = collect(text);
    expect(isSuppressed(suppressions, 'no-emoji', 1)).toBe(true);
    expect(isSuppressed(suppressions, 'no-emoji', 99)).toBe(true);
    expect([...suppressions[0]!.used]).toEqual(['no-emoji']);
    expect(suppressions[1]!.used.size).toBe(0);
  });

  it('records each rule used by a multi-rule ignore', () => {
    const suppressions = collect(text);
    isSuppressed(suppressions, 'guarded-ddl', 4);
    isSuppressed(suppressions, 'idempotent-create', 3);
    expect([...suppressions[1]!.used].sort()).toEqual(['guarded-ddl', 'idempotent-create']);
  });

  it('no suppressions: nothing is silenced', () => {
    expect(isSuppressed([], 'syntax', 1)).toBe(false);
  });
});
