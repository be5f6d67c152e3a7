import { describe, expect, it } from 'vitest';
import type { Finding } from '../../rules/types.js';
import { redactPasswords, stylish } from './stylish.js';
import type { FormatContext } from './types.js';

const FILE = 'migration_history/2025-01-01_01_add_visit_note.sql';

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    file: FILE,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
    rule: 'transaction-control',
    severity: 'error',
    message: 'BEGIN at top level',
    ...overrides,
  };
}

function context(sources: Record<string, string> = {}, overrides: Partial<FormatContext> = {}): FormatContext {
  return { source: (file) => sources[file], color: false, filesLinted: 1, toolVersion: '0.1.0', ...overrides };
}

/** The two code-frame lines printed for `finding` over `text`. */
function frame(text: string, f: Finding): [string, string] {
  const lines = stylish([f], context({ [FILE]: text })).split('\n');
  return [lines[1]!, lines[2]!];
}

/** Where the caret run starts and how long it is, in characters after the `| ` gutter. */
function caret(frameLine: string): { before: string; carets: number } {
  const body = frameLine.slice(frameLine.indexOf('| ') + 2);
  const match = /^([^^]*)(\^+)$/.exec(body);
  if (!match) throw new Error(`no caret in ${JSON.stringify(frameLine)}`);
  return { before: match[1]!, carets: match[2]!.length };
}

describe('stylish', () => {
  it('prints one block per finding: location, severity, message, rule, code frame, hint', () => {
    const text = 'SELECT 1;\nBEGIN;\nSELECT 2;\n';
    const out = stylish(
      [finding({ line: 2, column: 1, endLine: 2, endColumn: 6, hint: 'remove BEGIN: the runner owns the transaction' })],
      context({ [FILE]: text }),
    );
    expect(out).toBe(
      [
        `${FILE}:2:1  error    BEGIN at top level  transaction-control`,
        '  2 | BEGIN;',
        '    | ^^^^^',
        '  fix: remove BEGIN: the runner owns the transaction',
        '',
        'x 1 error, 0 warnings, 0 info in 1 file',
        '',
      ].join('\n'),
    );
  });

  it('pads the severity labels to one width', () => {
    const out = stylish(
      [finding({ severity: 'warning', message: 'w', rule: 'r1' }), finding({ severity: 'info', message: 'i', rule: 'r2' })],
      context(),
    );
    expect(out.split('\n').filter((line) => line.startsWith(FILE))).toEqual([`${FILE}:1:1  warning  w  r1`, `${FILE}:1:1  info     i  r2`]);
  });

  it('puts the caret under the column', () => {
    const text = 'ALTER TABLE public.visits ADD COLUMN note text;';
    const [source, marker] = frame(text, finding({ column: 27, endColumn: 27 }));
    expect(source).toBe(`  1 | ${text}`);
    expect(caret(marker)).toEqual({ before: ' '.repeat(26), carets: 1 });
    expect(source.slice(marker.indexOf('^'))).toMatch(/^ADD/);
  });

  it('keeps tabs in the caret padding so the caret stays under the column', () => {
    const text = '\tALTER TABLE\tvisits\tADD COLUMN note text;';
    const column = text.indexOf('visits') + 1;
    const [source, marker] = frame(text, finding({ column, endColumn: column + 'visits'.length }));
    expect(source).toBe(`  1 | ${text}`);
    expect(caret(marker)).toEqual({ before: '\t           \t', carets: 6 });
    // Same prefix width on both lines: after expanding tabs the caret sits under "visits".
    const expand = (line: string) => {
      let out = '';
      for (const char of line) out += char === '\t' ? ' '.repeat(8 - (out.length % 8)) : char;
      return out;
    };
    const at = expand(marker).indexOf('^');
    expect(expand(source).slice(at, at + 6)).toBe('visits');
  });

  it('counts non-ASCII characters before the column as one cell each (é, ü, ß, Greek)', () => {
    const text = "COMMENT ON TABLE visits IS 'Zoë Lefèvre, Größe, μg'; SELECT 1;";
    const column = text.indexOf('SELECT') + 1;
    const [, marker] = frame(text, finding({ column, endColumn: column + 6 }));
    expect(caret(marker)).toEqual({ before: ' '.repeat(column - 1), carets: 6 });
  });

  it('keeps the caret aligned after wide characters (CJK, emoji) and combining marks', () => {
    // Columns are UTF-16 units; terminals show CJK and emoji in two cells and combining marks in none.
    const cjk = "COMMENT ON TABLE visits IS '患者'; SELECT 1;";
    const cjkColumn = cjk.indexOf('SELECT') + 1;
    expect(caret(frame(cjk, finding({ column: cjkColumn }))[1]).before).toBe(' '.repeat(cjkColumn - 1 + 2));

    const emoji = "COMMENT ON TABLE visits IS '🩺'; SELECT 1;";
    const emojiColumn = emoji.indexOf('SELECT') + 1;
    // 🩺 is two UTF-16 units and two cells.
    expect(caret(frame(emoji, finding({ column: emojiColumn }))[1]).before).toBe(' '.repeat(emojiColumn - 1));

    // ❤️ is U+2764 (one unit, text presentation) + U+FE0F (emoji presentation): two cells.
    const heart = "COMMENT ON TABLE visits IS '\u2764\ufe0f'; SELECT 1;";
    const heartColumn = heart.indexOf('SELECT') + 1;
    expect(caret(frame(heart, finding({ column: heartColumn }))[1]).before).toBe(' '.repeat(heartColumn - 1));

    const combining = "COMMENT ON TABLE visits IS 'Zoe\u0308'; SELECT 1;";
    const combiningColumn = combining.indexOf('SELECT') + 1;
    expect(caret(frame(combining, finding({ column: combiningColumn }))[1]).before).toBe(' '.repeat(combiningColumn - 2));
  });

  it('a same-line range gets one caret per character; a multi-line range or an empty one gets one caret', () => {
    const text = 'CREATE TABLE visits (id int);';
    expect(caret(frame(text, finding({ column: 14, endColumn: 20 }))[1])).toEqual({ before: ' '.repeat(13), carets: 6 });
    expect(caret(frame(text, finding({ column: 14, endLine: 3, endColumn: 2 }))[1]).carets).toBe(1);
    expect(caret(frame(text, finding({ column: 14, endColumn: 14 }))[1]).carets).toBe(1);
  });

  it('never draws carets past the end of the line', () => {
    const text = 'SELECT 1;';
    expect(caret(frame(text, finding({ column: 8, endColumn: 40 }))[1])).toEqual({ before: ' '.repeat(7), carets: 2 });
  });

  it('widens the gutter to the line number', () => {
    const text = `${'\n'.repeat(119)}BEGIN;`;
    const [source, marker] = frame(text, finding({ line: 120, endLine: 120, endColumn: 6 }));
    expect(source).toBe('  120 | BEGIN;');
    expect(marker).toBe('      | ^^^^^');
  });

  it('handles CRLF sources', () => {
    const [source] = frame('SELECT 1;\r\nBEGIN;\r\n', finding({ line: 2, endLine: 2 }));
    expect(source).toBe('  2 | BEGIN;');
  });

  it('no code frame when the source is unavailable or the line does not exist', () => {
    const unavailable = stylish([finding()], context());
    expect(unavailable.split('\n')).toEqual([`${FILE}:1:1  error    BEGIN at top level  transaction-control`, '', 'x 1 error, 0 warnings, 0 info in 1 file', '']);
    const pastEnd = stylish([finding({ line: 5 })], context({ [FILE]: 'SELECT 1;' }));
    expect(pastEnd).not.toContain(' | ');
  });

  it('never shows a password literal in a code frame (masked, same width)', () => {
    const line = "CREATE ROLE reporting_bot LOGIN PASSWORD 'Tr0ub4dor&3' VALID UNTIL 'infinity'; ALTER USER x WITH ENCRYPTED PASSWORD $pw$s3cret$pw$;";
    const out = stylish([finding({ column: 33, endColumn: 41 })], context({ [FILE]: line }));
    expect(out).not.toContain('Tr0ub4dor');
    expect(out).not.toContain('s3cret');
    expect(out).toContain("PASSWORD ************* VALID UNTIL 'infinity'");
    expect(redactPasswords(line)).toHaveLength(line.length);
    expect(redactPasswords("ALTER ROLE a PASSWORD NULL; SELECT 'password'")).toBe("ALTER ROLE a PASSWORD NULL; SELECT 'password'");
    expect(redactPasswords("ALTER ROLE a PASSWORD 'it''s")).toBe('ALTER ROLE a PASSWORD ******');
  });

  it('indents every line of a multi-line hint under the first', () => {
    const out = stylish([finding({ hint: 'first\nsecond' })], context());
    expect(out).toContain('  fix: first\n       second\n');
  });

  it('summary: singular and plural, counts per severity, files', () => {
    const findings = [
      finding({ severity: 'error' }),
      finding({ severity: 'error' }),
      finding({ severity: 'warning' }),
      finding({ severity: 'info' }),
      finding({ severity: 'info' }),
    ];
    expect(stylish(findings, context({}, { filesLinted: 3 })).trimEnd().split('\n').at(-1)).toBe('x 2 errors, 1 warning, 2 info in 3 files');
    expect(stylish([finding({ severity: 'warning' })], context()).trimEnd().split('\n').at(-1)).toBe('0 errors, 1 warning, 0 info in 1 file');
    expect(stylish([finding({ severity: 'warning' }), finding({ severity: 'warning' })], context({}, { filesLinted: 2 })).trimEnd().split('\n').at(-1)).toBe(
      '0 errors, 2 warnings, 0 info in 2 files',
    );
  });

  it('nothing checked is never "no problems"', () => {
    expect(stylish([], context({}, { filesLinted: 0 }))).toBe('pgwarden: no files to check (the migrations folder has no .sql file)\n');
  });

  it('no findings: one "no problems" line', () => {
    expect(stylish([], context({}, { filesLinted: 12 }))).toBe('pgwarden: 12 files checked, no problems\n');
    expect(stylish([], context({}, { filesLinted: 1 }))).toBe('pgwarden: 1 file checked, no problems\n');
  });

  it('no ANSI escape codes when color is off; styled output when on, with the same text underneath', () => {
    const findings = [finding({ hint: 'h', endColumn: 6 }), finding({ severity: 'warning' }), finding({ severity: 'info' })];
    const sources = { [FILE]: 'BEGIN;' };
    const plain = stylish(findings, context(sources));
    // eslint-disable-next-line no-control-regex
    expect(plain).not.toMatch(/\u001b\[/);
    const colored = stylish(findings, context(sources, { color: true }));
    expect(colored).toContain('\u001b[31merror  \u001b[0m');
    expect(colored).toContain('\u001b[33mwarning\u001b[0m');
    expect(colored).toContain('\u001b[36minfo   \u001b[0m');
    expect(colored).toContain(`\u001b[4m${FILE}:1:1\u001b[0m`);
    expect(colored).toContain('\u001b[31m^^^^^\u001b[0m');
    expect(colored).toContain('\u001b[31m\u001b[1mx 1 error, 1 warning, 1 info in 1 file\u001b[0m\u001b[0m');
    // eslint-disable-next-line no-control-regex
    expect(colored.replace(/\u001b\[\d+m/g, '')).toBe(plain);
    expect(stylish([finding({ severity: 'warning' })], context({}, { color: true }))).toContain('\u001b[33m0 errors, 1 warning, 0 info in 1 file\u001b[0m');
  });

  it('reads each source once', () => {
    let reads = 0;
    const out = stylish([finding(), finding({ line: 2 })], {
      ...context(),
      source: () => {
        reads++;
        return 'A;\nB;';
      },
    });
    expect(reads).toBe(1);
    expect(out).toContain('  2 | B;');
  });
});
