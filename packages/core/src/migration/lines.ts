/** One physical line of a file, with its own line ending so that rewrites stay byte-identical. */
export interface SourceLine {
  /** 1-based line number. */
  number: number;
  /** The line without its ending. */
  text: string;
  /** `\r\n`, `\n`, `\r`, or `` for a last line that has none. */
  eol: string;
  /** 0-based offset of the line's first character in the whole text. */
  start: number;
}

const LF = 10;
const CR = 13;

/**
 * Yields lines lazily from `start`: a 10 MB file must not be materialised as millions of
 * objects when only its header is needed. Text after the last line ending is a line only
 * when it is not empty, so `a\n` has one line.
 */
export function* iterateLines(text: string, start = 0, firstLineNumber = 1): Generator<SourceLine> {
  let offset = start;
  let number = firstLineNumber;
  // The next LF and CR at or after `offset`, found with indexOf (native) rather than a loop over
  // every character; -1 once there is none left, -2 before the first search.
  let nextLf = -2;
  let nextCr = -2;
  while (offset < text.length) {
    if (nextLf !== -1 && nextLf < offset) nextLf = text.indexOf('\n', offset);
    if (nextCr !== -1 && nextCr < offset) nextCr = text.indexOf('\r', offset);
    const end = nextLf === -1 ? (nextCr === -1 ? text.length : nextCr) : nextCr === -1 ? nextLf : Math.min(nextLf, nextCr);
    let eol = '';
    if (end < text.length) {
      eol = text.charCodeAt(end) === CR && text.charCodeAt(end + 1) === LF ? '\r\n' : text[end]!;
    }
    yield { number, text: text.slice(offset, end), eol, start: offset };
    offset = end + eol.length;
    number++;
  }
}

/** Offset just after a line, its ending included. */
export function lineEndOffset(line: SourceLine): number {
  return line.start + line.text.length + line.eol.length;
}

/** Line ending to use for inserted lines: the neighbour's, else the first one in the text, else LF. */
export function preferredEol(text: string, neighbour?: SourceLine): string {
  if (neighbour?.eol) return neighbour.eol;
  const match = /\r\n|\n|\r/.exec(text);
  return match ? match[0] : '\n';
}
