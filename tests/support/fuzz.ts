/*
 * Deterministic input generation for the lint fuzz test: a seeded PRNG and the mutation,
 * truncation, concatenation and encoding operators that turn real migrations into bad input.
 */

/** mulberry32: a tiny, fast, seedable PRNG (public domain). Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** Integer in [min, max]. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  shuffle<T>(items: T[]): T[] {
    for (let index = items.length - 1; index > 0; index--) {
      const other = this.int(index + 1);
      [items[index], items[other]] = [items[other]!, items[index]!];
    }
    return items;
  }
  bytes(length: number): Buffer {
    const buffer = Buffer.alloc(length);
    for (let index = 0; index < length; index++) buffer[index] = this.int(256);
    return buffer;
  }
}

/** Fragments that stress a SQL lexer, the header parser and the suppression comments. */
export const TOKENS: readonly string[] = [
  "'",
  "''",
  '"',
  '$$',
  '$body$',
  '$fn$',
  ';',
  ';;',
  '/*',
  '*/',
  '/* /* nested */',
  '--',
  '-- ',
  '\n--',
  '\0',
  '\\',
  "E'\\",
  "U&'\\0041",
  '(',
  ')',
  '((((',
  '))))',
  '[',
  ']',
  ',',
  '.',
  '::',
  '\n',
  '\r',
  '\r\n',
  '\t',
  ' ',
  '\n\n\n',
  '\u{1F680}',
  '\u{1F469}\u200D\u2695\uFE0F',
  '\u2705',
  '\uFEFF',
  '\u00A0',
  '\u2028',
  '\u0085',
  'é',
  '中文',
  '\uD800',
  '\uDC00',
  '\uD83D',
  '\\i other.sql\n',
  '\n\\set ON_ERROR_STOP on\n',
  '\n\\gexec\n',
  'BEGIN;',
  'COMMIT;',
  'ROLLBACK;',
  'END;',
  ' IF NOT EXISTS ',
  ' IF EXISTS ',
  ' CONCURRENTLY ',
  ' NOT VALID ',
  ' SECURITY DEFINER ',
  'CREATE TABLE t (',
  'CREATE TABLE public.fuzz (id int);',
  'CREATE INDEX ON public.documents (id);',
  'ALTER TABLE public.documents ADD CONSTRAINT IF NOT EXISTS c CHECK (true);',
  'CREATE POLICY p ON public.documents USING (true);',
  'DROP TABLE public.documents;',
  "DO $$ BEGIN RAISE NOTICE 'x'; END $$;",
  'DO $$ BEGIN ',
  'CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;',
  'CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN ',
  "INSERT INTO public.documents (id) VALUES ('x');",
  'GRANT ALL ON public.documents TO anon;',
  'ALTER TABLE public.documents ALTER COLUMN id SET NOT NULL;',
  '\n-- pgwarden-ignore idempotent-create -- fuzz\n',
  '\n-- pgwarden-ignore no-such-rule -- fuzz\n',
  '\n-- pgwarden-ignore-file table-rewrite -- fuzz\n',
  '\n-- pgwarden-ignore\n',
  '\n-- pgwarden:no-transaction\n',
  '\n-- pgwarden:lock-timeout 2s\n',
  '\n-- pgwarden:bogus\n',
  '\n-- ============================================================================\n',
  '\n-- MIGRATION EXECUTED:\n',
  '\n--   [X] production 2025-10-09 by alice (1200 ms)\n',
  '\n--   [X] Executed 2025-10-09\n',
  '[X]',
  '[ ]',
  '[x]',
  '[N/A]',
  '[?]',
  '\n-- AFFECTED TABLES: \n',
  '\n-- Date: 2025-02-30\n',
  '\n-- Date: \n',
  '\n-- SOURCE OF TRUTH SCHEMA UPDATED:\n--   [X] current_schema/99_missing.sql (Lines 999999-1: x)\n',
  '(Line 0: x)',
  '(Lines 5-2: x)',
  '(Line 99999999999999999999: x)',
  '\n-- APPROVED: someone 2025-01-01 sha256:0000000000000000000000000000000000000000000000000000000000000000\n',
  '\n-- Rollback Script:\n',
  '\n-- VERIFY: \n',
  '\n-- VERIFY: SELECT (\n',
];

/** A random code point: ASCII, Latin-1, controls, CJK, astral, private use, noncharacters. */
export function randomChar(rng: Rng): string {
  const ranges: Array<[number, number]> = [
    [0x20, 0x7e],
    [0x00, 0x1f],
    [0x80, 0xff],
    [0x370, 0x3ff],
    [0x4e00, 0x9fff],
    [0xe000, 0xf8ff],
    [0xfff0, 0xffff],
    [0x1f300, 0x1faff],
    [0x10000, 0x10ffff],
  ];
  const [low, high] = rng.pick(ranges);
  return String.fromCodePoint(rng.range(low, high));
}

export type Mutation = (text: string, rng: Rng) => string;

const spanLength = (rng: Rng) => (rng.chance(0.8) ? rng.range(1, 12) : rng.range(13, 400));

export const MUTATIONS: Record<string, Mutation> = {
  delete(text, rng) {
    const start = rng.int(text.length + 1);
    return text.slice(0, start) + text.slice(start + spanLength(rng));
  },
  duplicate(text, rng) {
    const start = rng.int(text.length + 1);
    const span = text.slice(start, start + spanLength(rng));
    return text.slice(0, start) + span + span + text.slice(start + span.length);
  },
  swap(text, rng) {
    const length = spanLength(rng);
    const a = rng.int(Math.max(1, text.length - length));
    const b = rng.int(Math.max(1, text.length - length));
    const [first, second] = a < b ? [a, b] : [b, a];
    if (second < first + length) return text;
    return (
      text.slice(0, first) +
      text.slice(second, second + length) +
      text.slice(first + length, second) +
      text.slice(first, first + length) +
      text.slice(second + length)
    );
  },
  insertToken(text, rng) {
    const at = rng.int(text.length + 1);
    return text.slice(0, at) + rng.pick(TOKENS) + text.slice(at);
  },
  insertChars(text, rng) {
    const at = rng.int(text.length + 1);
    let chars = '';
    for (let count = rng.range(1, 6); count > 0; count--) chars += randomChar(rng);
    return text.slice(0, at) + chars + text.slice(at);
  },
  replaceChar(text, rng) {
    const at = rng.int(text.length);
    return text.slice(0, at) + (rng.chance(0.5) ? rng.pick(TOKENS) : randomChar(rng)) + text.slice(at + 1);
  },
  deleteLine(text, rng) {
    const lines = text.split('\n');
    lines.splice(rng.int(lines.length), rng.range(1, 3));
    return lines.join('\n');
  },
  duplicateLine(text, rng) {
    const lines = text.split('\n');
    const at = rng.int(lines.length);
    lines.splice(at, 0, lines[at]!);
    return lines.join('\n');
  },
  /** Case change of a word: keywords are case-insensitive, section names are not. */
  flipCase(text, rng) {
    const at = rng.int(text.length);
    const end = Math.min(text.length, at + spanLength(rng));
    const span = text.slice(at, end);
    return text.slice(0, at) + (rng.chance(0.5) ? span.toUpperCase() : span.toLowerCase()) + text.slice(end);
  },
};

const MUTATION_NAMES = Object.keys(MUTATIONS);

/** One to several stacked mutations; returns the text and the names of the operators applied. */
export function mutate(text: string, rng: Rng): { text: string; ops: string[] } {
  const count = rng.chance(0.7) ? rng.range(1, 3) : rng.range(4, 16);
  const ops: string[] = [];
  let result = text;
  for (let index = 0; index < count; index++) {
    const name = rng.pick(MUTATION_NAMES);
    ops.push(name);
    result = MUTATIONS[name]!(result, rng);
  }
  return { text: result, ops };
}

/** Offset just after the header's closing `-- ====` line (0 when there is none). */
export function headerEnd(text: string): number {
  const rule = /^--\s*={10,}\s*$/gm;
  rule.exec(text);
  const closing = rule.exec(text);
  if (!closing) return 0;
  const newline = text.indexOf('\n', closing.index);
  return newline === -1 ? text.length : newline + 1;
}

/** Offsets just after each `(` that is outside a `--` comment on its own line: a cut there leaves SQL unbalanced. */
export function openParenCuts(text: string): number[] {
  const cuts: number[] = [];
  const start = headerEnd(text);
  for (let index = text.indexOf('(', start); index !== -1; index = text.indexOf('(', index + 1)) {
    const lineStart = text.lastIndexOf('\n', index) + 1;
    if (!text.slice(lineStart, index).includes('--')) cuts.push(index + 1);
  }
  return cuts;
}

/** Offsets just after an opening dollar quote (`$$`, `$tag$`) outside `--` comments. */
export function dollarQuoteCuts(text: string): number[] {
  const cuts: number[] = [];
  const quote = /\$[A-Za-z_]*\$/g;
  let opening = true;
  for (let match = quote.exec(text); match; match = quote.exec(text)) {
    const lineStart = text.lastIndexOf('\n', match.index) + 1;
    if (text.slice(lineStart, match.index).includes('--')) continue;
    if (opening) cuts.push(match.index + match[0].length + 1);
    opening = !opening;
  }
  return cuts;
}

/** Byte sequences that are not UTF-8. */
export const INVALID_UTF8: readonly number[][] = [
  [0xff],
  [0xfe],
  [0x80],
  [0xbf],
  [0xc3, 0x28],
  [0xc0, 0xaf],
  [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x98],
];

/** Inserts one invalid sequence at a character boundary of UTF-8 bytes. */
export function injectInvalidUtf8(bytes: Buffer, rng: Rng, sequence: readonly number[] = rng.pick(INVALID_UTF8)): Buffer {
  let at = rng.int(bytes.length + 1);
  while (at < bytes.length && (bytes[at]! & 0xc0) === 0x80) at++;
  return Buffer.concat([bytes.subarray(0, at), Buffer.from(sequence), bytes.subarray(at)]);
}

/** The text of valid UTF-8 bytes without NUL, as pgwarden reads it (BOM dropped); undefined otherwise. */
export function decodeText(bytes: Buffer): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.startsWith('\uFEFF') ? text.slice(1) : text;
  } catch {
    return undefined;
  }
}
