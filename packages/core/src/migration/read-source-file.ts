/*
 * Reads a migration or schema file as text, refusing what is not a text file in UTF-8:
 * a directory (or other non-file), a file over the size limit, a file with a NUL byte
 * (binary), invalid UTF-8, and (given the workspace root) a file that resolves outside the
 * workspace. A leading UTF-8 byte order mark is dropped. Messages are predicates for the
 * caller to put after the path: "<path> is not valid UTF-8 (...)".
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';

export const DEFAULT_MAX_SOURCE_BYTES = 5 * 1024 * 1024;

export type SourceFileFailure = 'missing' | 'not-a-file' | 'too-large' | 'binary' | 'invalid-utf8' | 'unreadable' | 'outside-workspace';

export interface ReadSourceOptions {
  maxBytes?: number;
  /**
   * The workspace root: a file whose real path (symbolic links resolved) is not inside it is refused
   * unread. A committed `x.sql -> ~/.pgpass` must never reach a message, a code frame or the database.
   */
  root?: string;
}

/**
 * `byteOrderMark`: the file started with one (dropped from `text`); a writer gives it back with
 * withByteOrderMark. `line`: where the problem is, for a NUL byte or invalid UTF-8.
 */
export type SourceFileResult = { ok: true; text: string; byteOrderMark: boolean } | { ok: false; reason: SourceFileFailure; message: string; line?: number };

const fail = (reason: SourceFileFailure, message: string, line?: number): SourceFileResult => ({ ok: false, reason, message, ...(line ? { line } : {}) });

export function readSourceFile(path: string, options: number | ReadSourceOptions = {}): SourceFileResult {
  const { maxBytes = DEFAULT_MAX_SOURCE_BYTES, root } = typeof options === 'number' ? { maxBytes: options } : options;
  let bytes: Buffer;
  try {
    const stats = statSync(path);
    if (root !== undefined) {
      const outside = outsideWorkspace(root, path);
      if (outside) return fail('outside-workspace', outside);
    }
    if (stats.isDirectory()) return fail('not-a-file', 'is a directory, not a file');
    if (!stats.isFile()) return fail('not-a-file', 'is not a regular file');
    if (stats.size > maxBytes) return fail('too-large', tooLargeMessage(stats.size, maxBytes));
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    return fail(code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'unreadable', unreadableMessage(error));
  }
  // The file may have grown between stat and read.
  if (bytes.length > maxBytes) return fail('too-large', tooLargeMessage(bytes.length, maxBytes));

  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const line = lineAt(bytes, nul);
    return fail('binary', `contains a NUL byte (line ${line}), so it looks like a binary file, not SQL`, line);
  }

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const line = lineAt(bytes, firstInvalidUtf8Byte(bytes));
    return fail('invalid-utf8', `is not valid UTF-8 (first bad byte at line ${line}); save it as UTF-8`, line);
  }
  // TextDecoder already drops a BOM; this keeps the promise if that default ever changes.
  return { ok: true, text: withoutByteOrderMark(text), byteOrderMark: bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf };
}

/**
 * `text` without a leading UTF-8 byte order mark (Windows editors write one). Every path that
 * executes or parses a migration or schema file drops it the same way: Postgres and the parser
 * would take it for the first character of the first statement.
 */
export function withoutByteOrderMark(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/**
 * What to write back to a file read without its byte order mark: the text, with the mark at the
 * very start again when the file had one. A rewrite never adds or removes one silently, and every
 * offset in `text` stays that of the text readers parse.
 */
export function withByteOrderMark(text: string, byteOrderMark: boolean): string {
  return byteOrderMark ? `\uFEFF${text}` : text;
}

/**
 * Why `path` is not inside `root` once symbolic links are resolved, or undefined when it is. The
 * target is not named: its name may itself be sensitive, and the file is not ours to describe.
 */
function outsideWorkspace(root: string, path: string): string | undefined {
  const inside = (base: string, target: string) => {
    const rel = relative(base, target);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  };
  // The native call: one realpath(3) instead of an lstat per path component, for every file of the history.
  const realRoot = realpathSync.native(root);
  if (inside(realRoot, realpathSync.native(path))) return undefined;
  return inside(resolve(root), resolve(path)) || inside(realRoot, resolve(path))
    ? 'is a symbolic link that resolves outside the workspace, so it was not read (pgwarden reads only files inside the workspace)'
    : 'is outside the workspace, so it was not read (pgwarden reads only files inside the workspace)';
}

function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

function tooLargeMessage(size: number, maxBytes: number): string {
  return `is ${formatSize(size)}, larger than the ${formatSize(maxBytes)} limit for a migration or schema file`;
}

function unreadableMessage(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read: permission denied';
  if (code === 'ENOTDIR') return 'does not exist (a parent is not a directory)';
  return `cannot be read: ${error instanceof Error ? error.message : String(error)}`;
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset; index++) if (bytes[index] === 0x0a) line++;
  return line;
}

/**
 * Offset of the first byte that breaks UTF-8 (overlong forms, surrogates and code points
 * above U+10FFFF included). TextDecoder says only that the input is invalid, not where.
 */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index]!;
    if (lead < 0x80) {
      index++;
      continue;
    }
    let length: number;
    let min: number;
    let codePoint: number;
    if (lead >= 0xc2 && lead <= 0xdf) [length, min, codePoint] = [2, 0x80, lead & 0x1f];
    else if (lead >= 0xe0 && lead <= 0xef) [length, min, codePoint] = [3, 0x800, lead & 0x0f];
    else if (lead >= 0xf0 && lead <= 0xf4) [length, min, codePoint] = [4, 0x10000, lead & 0x07];
    else return index;
    for (let next = 1; next < length; next++) {
      const byte = bytes[index + next];
      if (byte === undefined || (byte & 0xc0) !== 0x80) return index;
      codePoint = (codePoint << 6) | (byte & 0x3f);
    }
    if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return index;
    index += length;
  }
  return bytes.length;
}
