import { describe, expect, it } from 'vitest';
import { iterateLines } from '../../migration/lines.js';
import { fileStartRange, lineRange, sourceLine } from './line-ranges.js';

const TEXT = 'first\r\n  second line\nthird';

describe('line ranges', () => {
  it('finds a line by number', () => {
    expect(sourceLine(TEXT, 2)).toMatchObject({ number: 2, text: '  second line', start: 7 });
    expect(sourceLine(TEXT, 4)).toBeUndefined();
  });

  it('finds every line as the line iterator numbers it, whatever the line endings', () => {
    for (const text of ['a\r\nb\rc\n\nd', 'a\n', '\r\r\n\n', 'only', '', 'x\r']) {
      const lines = [...iterateLines(text)];
      for (const line of lines) expect(sourceLine(text, line.number)).toEqual(line);
      expect(sourceLine(text, lines.length + 1)).toBeUndefined();
      expect(sourceLine(text, 0)).toBeUndefined();
    }
  });

  it('covers the rest of the line, or the columns asked for', () => {
    const line = sourceLine(TEXT, 2)!;
    expect(lineRange(line)).toEqual({ start: { line: 2, column: 1, offset: 7 }, end: { line: 2, column: 14, offset: 20 } });
    expect(lineRange(line, 3, 9)).toEqual({ start: { line: 2, column: 3, offset: 9 }, end: { line: 2, column: 9, offset: 15 } });
    expect(TEXT.slice(9, 15)).toBe('second');
  });

  it('has an empty range at the start of the file for lines it cannot find', () => {
    expect(fileStartRange()).toEqual({ start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } });
  });
});
