import type { SourcePosition, SourceRange, SqlStatement } from './types.js';

const NON_ASCII = /[^\x00-\x7F]/;

/**
 * UTF-8 length of the code point starting at `index`. Only a surrogate pair takes 4 bytes,
 * and it spans 2 string units; a lone surrogate takes 3, as in the parser's own encoder.
 */
function utf8Length(text: string, index: number): number {
  const code = text.charCodeAt(index);
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  if (code >= 0xd800 && code <= 0xdbff) {
    const next = text.charCodeAt(index + 1);
    if (next >= 0xdc00 && next <= 0xdfff) return 4;
  }
  return 3;
}

/**
 * Converts a UTF-8 byte offset into a string index (a byte inside a character maps to that
 * character) with one walk over the text. For repeated lookups into one text, use a LineIndex.
 */
export function byteOffsetToIndex(text: string, byteOffset: number): number {
  let bytes = 0;
  let index = 0;
  while (index < text.length) {
    const length = utf8Length(text, index);
    if (bytes + length > byteOffset) break;
    bytes += length;
    index += length === 4 ? 2 : 1;
  }
  return index;
}

/**
 * Converts an offset in Unicode code points (how parser errors report their position) into a
 * string index, counting from the string index `from`. They differ only after astral
 * characters such as emoji, which take two string units.
 */
export function codePointOffsetToIndex(text: string, codePoints: number, from = 0): number {
  let index = from;
  for (let counted = 0; counted < codePoints && index < text.length; counted++) {
    const code = text.charCodeAt(index);
    const isPair = code >= 0xd800 && code <= 0xdbff && (text.charCodeAt(index + 1) & 0xfc00) === 0xdc00;
    index += isPair ? 2 : 1;
  }
  return index;
}

/**
 * Maps string offsets to 1-based line/column positions, and UTF-8 byte offsets (what the
 * parser reports) to string offsets. Line starts are computed once; the byte map is built
 * lazily, and never for ASCII-only text, where bytes and string units coincide.
 */
export class LineIndex {
  private readonly lineStarts: number[] = [0];
  private readonly ascii: boolean;
  /** `byteStarts[i]` is the UTF-8 offset of string index `i`; length is text.length + 1. */
  private byteStarts?: Uint32Array;

  constructor(readonly text: string) {
    // A line ends at \n, \r\n or a lone \r, as in the header parser (iterateLines), suppressions and formatters.
    if (!text.includes('\r')) {
      for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', newline + 1)) {
        this.lineStarts.push(newline + 1);
      }
    } else {
      for (let index = 0; index < text.length; index++) {
        const code = text.charCodeAt(index);
        if (code === 0x0a || (code === 0x0d && text.charCodeAt(index + 1) !== 0x0a)) this.lineStarts.push(index + 1);
      }
    }
    this.ascii = !NON_ASCII.test(text);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** String offset where a 1-based line starts (clamped to the last line). */
  lineStart(line: number): number {
    return this.lineStarts[Math.min(Math.max(line, 1), this.lineStarts.length) - 1];
  }

  /** String offset of the end of a 1-based line, before its `\n`, `\r\n` or lone `\r`. */
  lineEnd(line: number): number {
    const end = line < this.lineStarts.length ? this.lineStarts[line] - 1 : this.text.length;
    return end > this.lineStart(line) && this.text[end - 1] === '\r' ? end - 1 : end;
  }

  positionAt(offset: number): SourcePosition {
    const clamped = Math.min(Math.max(offset, 0), this.text.length);
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle] <= clamped) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: clamped - this.lineStarts[low] + 1, offset: clamped };
  }

  rangeOf(start: number, end: number): SourceRange {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  /** String offset of a UTF-8 byte offset (a byte inside a character maps to that character). */
  indexOfByte(byteOffset: number): number {
    if (this.ascii) return Math.min(Math.max(byteOffset, 0), this.text.length);
    const byteStarts = this.getByteStarts();
    let low = 0;
    let high = this.text.length;
    // The last index whose byte offset is <= byteOffset: skips the low half of a surrogate pair.
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (byteStarts[middle] <= byteOffset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /** UTF-8 byte offset of a string offset. */
  byteOffsetOf(index: number): number {
    const clamped = Math.min(Math.max(index, 0), this.text.length);
    return this.ascii ? clamped : this.getByteStarts()[clamped];
  }

  private getByteStarts(): Uint32Array {
    if (this.byteStarts) return this.byteStarts;
    const { text } = this;
    const byteStarts = new Uint32Array(text.length + 1);
    let bytes = 0;
    for (let index = 0; index < text.length; ) {
      const length = utf8Length(text, index);
      byteStarts[index] = bytes;
      bytes += length;
      if (length === 4) byteStarts[index + 1] = bytes;
      index += length === 4 ? 2 : 1;
    }
    byteStarts[text.length] = bytes;
    this.byteStarts = byteStarts;
    return byteStarts;
  }
}

/** Whether only blanks precede `offset` on its line. */
export function opensLine(text: string, offset: number): boolean {
  let index = offset - 1;
  while (index >= 0 && (text[index] === ' ' || text[index] === '\t')) index--;
  return index < 0 || text[index] === '\n' || text[index] === '\r';
}

/** The `--` lines directly above a statement that opens its line (no blank line between). */
export function leadingComments(lines: LineIndex, start: number): SqlStatement['leadingComments'] {
  const { text } = lines;
  if (!opensLine(text, start)) return [];
  const { line } = lines.positionAt(start);
  const comments: SqlStatement['leadingComments'] = [];
  for (let above = line - 1; above >= 1; above--) {
    const content = text.slice(lines.lineStart(above), lines.lineEnd(above)).trim();
    if (!content.startsWith('--')) break;
    comments.unshift({ text: content.slice(2).trim(), line: above });
  }
  return comments;
}
