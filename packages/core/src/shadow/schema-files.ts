import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { loadParser, parseSql } from '../sql/parser.js';
import type { ParsedSql, SqlStatement } from '../sql/types.js';
import { compareCodePoints } from '../catalog/identity.js';
import { readSourceFile, withoutByteOrderMark } from '../migration/read-source-file.js';

/** A SQL file the shadow runs, read and parsed. */
export interface ShadowSourceFile {
  /** Workspace-relative path with `/`, e.g. `current_schema/01_foundations.sql`. */
  relPath: string;
  text: string;
  parsed: ParsedSql;
}

/** A statement with its file and its place in the whole run (file order, then statement order). */
export interface OrderedStatement {
  index: number;
  file: ShadowSourceFile;
  statement: SqlStatement;
}

export class ShadowInputError extends Error {
  constructor(readonly userMessage: string) {
    super(userMessage);
    this.name = 'ShadowInputError';
  }
}

/** The folder's `*.sql` files in file-name order (code points, as `ls` in the C locale). */
export function listSchemaFiles(root: string, schemaDir: string): string[] {
  const dir = resolve(root, schemaDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ShadowInputError(`schema folder ${schemaDir} does not exist: set "schemaDir" in pgwarden.config.json`);
  }
  return readdirSync(dir)
    .filter((name) => name.endsWith('.sql') && statSync(join(dir, name)).isFile())
    .sort(compareCodePoints)
    .map((name) => join(dir, name));
}

export function relativePath(root: string, path: string): string {
  return relative(root, path).split('\\').join('/');
}

/**
 * Reads files without parsing them, as lint does (readSourceFile: UTF-8 only, inside the workspace,
 * byte order mark dropped; `byteOrderMark` says whether there was one, for a writer to give it
 * back); a path that cannot be read is a one-line error naming it.
 */
export function readSqlTexts(root: string, paths: readonly string[]): { relPath: string; text: string; byteOrderMark: boolean }[] {
  return paths.map((path) => {
    const relPath = relativePath(root, resolve(root, path));
    const source = readSourceFile(resolve(root, path), { root });
    if (!source.ok) throw new ShadowInputError(`${relPath} ${source.message}`);
    return { relPath, text: source.text, byteOrderMark: source.byteOrderMark };
  });
}

/** Reads and parses files; a path that cannot be read is a one-line error naming it. */
export async function readSqlFiles(root: string, paths: readonly string[]): Promise<ShadowSourceFile[]> {
  return parseSources(readSqlTexts(root, paths));
}

/** Parses in-memory sources (e.g. files read from a git revision). */
export async function parseSources(sources: readonly { relPath: string; text: string }[]): Promise<ShadowSourceFile[]> {
  await loadParser();
  // In-memory sources (a git revision) may still start with a byte order mark: the parser would take it for SQL.
  return sources.map(({ relPath, text }) => {
    const sql = withoutByteOrderMark(text);
    return { relPath, text: sql, parsed: parseSql(sql) };
  });
}

export function orderStatements(files: readonly ShadowSourceFile[]): OrderedStatement[] {
  const ordered: OrderedStatement[] = [];
  for (const file of files) {
    for (const statement of file.parsed.statements) ordered.push({ index: ordered.length, file, statement });
  }
  return ordered;
}
