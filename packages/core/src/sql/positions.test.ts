import { describe, expect, it } from 'vitest';
import { byteOffsetToIndex, codePointOffsetToIndex, leadingComments, LineIndex } from './positions.js';

const MIXED = 'a→b\n🚀é\r\nz';
// Index:     0 1 2 3  4,5 6 7 8  9
// UTF-8:     0 1 4 5  6   10 12 13 14

describe('LineIndex', () => {
  it('maps string offsets to 1-based lines and columns in string units', () => {
    const lines = new LineIndex(MIXED);
    expect(lines.lineCount).toBe(3);
    expect(lines.positionAt(0)).toEqual({ line: 1, column: 1, offset: 0 });
    expect(lines.positionAt(2)).toEqual({ line: 1, column: 3, offset: 2 });
    expect(lines.positionAt(3)).toEqual({ line: 1, column: 4, offset: 3 });
    expect(lines.positionAt(4)).toEqual({ line: 2, column: 1, offset: 4 });
    expect(lines.positionAt(6)).toEqual({ line: 2, column: 3, offset: 6 });
    expect(lines.positionAt(9)).toEqual({ line: 3, column: 1, offset: 9 });
    expect(lines.positionAt(10)).toEqual({ line: 3, column: 2, offset: 10 });
  });

  it('clamps offsets outside the text', () => {
    const lines = new LineIndex('ab');
    expect(lines.positionAt(-5)).toEqual({ line: 1, column: 1, offset: 0 });
    expect(lines.positionAt(99)).toEqual({ line: 1, column: 3, offset: 2 });
  });

  it('gives line starts and ends, without \\r', () => {
    const lines = new LineIndex(MIXED);
    expect([lines.lineStart(1), lines.lineEnd(1)]).toEqual([0, 3]);
    expect([lines.lineStart(2), lines.lineEnd(2)]).toEqual([4, 7]);
    expect([lines.lineStart(3), lines.lineEnd(3)]).toEqual([9, 10]);
  });

  it('converts UTF-8 byte offsets to string offsets and back', () => {
    const lines = new LineIndex(MIXED);
    const bytes = [0, 1, 4, 5, 6, 10, 12, 13, 14, 15];
    const indexes = [0, 1, 2, 3, 4, 6, 7, 8, 9, 10];
    expect(bytes.map((byte) => lines.indexOfByte(byte))).toEqual(indexes);
    expect(indexes.map((index) => lines.byteOffsetOf(index))).toEqual(bytes);
    // A byte inside a character maps to that character.
    expect(lines.indexOfByte(2)).toBe(1);
    expect(lines.indexOfByte(8)).toBe(4);
  });

  it('treats ASCII text as bytes = string units', () => {
    const lines = new LineIndex('SELECT 1;\nSELECT 2;');
    expect(lines.indexOfByte(12)).toBe(12);
    expect(lines.byteOffsetOf(12)).toBe(12);
  });

  it('encodes a lone surrogate as 3 bytes, like the parser does', () => {
    const lines = new LineIndex('a\uD83Db');
    expect(lines.indexOfByte(4)).toBe(2);
    expect(lines.byteOffsetOf(3)).toBe(5);
  });
});

describe('byteOffsetToIndex and codePointOffsetToIndex', () => {
  it('convert one offset without building a map', () => {
    expect([0, 1, 4, 5, 6, 10, 12, 15].map((byte) => byteOffsetToIndex(MIXED, byte))).toEqual([0, 1, 2, 3, 4, 6, 7, 10]);
    expect([2, 8].map((byte) => byteOffsetToIndex(MIXED, byte))).toEqual([1, 4]);
  });

  it('count an emoji as one code point but two string units', () => {
    expect([0, 4, 5, 6, 9].map((codePoints) => codePointOffsetToIndex(MIXED, codePoints))).toEqual([0, 4, 6, 7, 10]);
    expect(codePointOffsetToIndex(MIXED, 2, 4)).toBe(7);
  });
});

describe('leadingComments', () => {
  it('collects the -- lines right above a statement that opens its line', () => {
    const text = '-- far\n\n-- near → one\n  --   near two  \nSELECT 1; SELECT 2;';
    const lines = new LineIndex(text);
    const first = text.indexOf('SELECT 1');
    expect(leadingComments(lines, first)).toEqual([
      { text: 'near → one', line: 3 },
      { text: 'near two', line: 4 },
    ]);
    expect(leadingComments(lines, text.indexOf('SELECT 2'))).toEqual([]);
  });
});
