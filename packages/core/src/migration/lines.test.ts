import { describe, expect, it } from 'vitest';
import { iterateLines, lineEndOffset, preferredEol } from './lines.js';

describe('iterateLines', () => {
  it('keeps each line ending, mixed ones included, and the offsets', () => {
    expect([...iterateLines('a\r\nbé\n\rc')]).toEqual([
      { number: 1, text: 'a', eol: '\r\n', start: 0 },
      { number: 2, text: 'bé', eol: '\n', start: 3 },
      { number: 3, text: '', eol: '\r', start: 6 },
      { number: 4, text: 'c', eol: '', start: 7 },
    ]);
  });

  it('splits at whichever ending comes first, when CR and LF lines alternate or one kind stops', () => {
    expect([...iterateLines('a\rb\nc\r\rd\ne\nf\r\n')].map((line) => [line.text, line.eol, line.start])).toEqual([
      ['a', '\r', 0],
      ['b', '\n', 2],
      ['c', '\r', 4],
      ['', '\r', 6],
      ['d', '\n', 7],
      ['e', '\n', 9],
      ['f', '\r\n', 11],
    ]);
  });

  it('does not yield an empty line after a final line ending', () => {
    expect([...iterateLines('a\n')]).toHaveLength(1);
    expect([...iterateLines('')]).toHaveLength(0);
  });

  it('starts at an offset with a given line number', () => {
    const [line] = [...iterateLines('x\ny\n', 2, 2)];
    expect(line).toEqual({ number: 2, text: 'y', eol: '\n', start: 2 });
    expect(lineEndOffset(line!)).toBe(4);
  });
});

describe('preferredEol', () => {
  it('prefers the neighbour, then the first ending of the text, then LF', () => {
    expect(preferredEol('a\nb\r\n', { number: 2, text: 'b', eol: '\r\n', start: 2 })).toBe('\r\n');
    expect(preferredEol('a\r\nb', { number: 2, text: 'b', eol: '', start: 3 })).toBe('\r\n');
    expect(preferredEol('ab')).toBe('\n');
  });
});
