/**
 * CREATE EXTENSION in parsed SQL. PGlite runs only the extensions whose code was registered when it
 * started, so the shadow and the embedded database read these names before running anything.
 */
import type { ParsedSql } from './types.js';

export interface CreatedExtension {
  /** SQL name, e.g. `vector`, `uuid-ossp`. */
  name: string;
  /** 1-based line of the statement. */
  line: number;
  /** Inside a DO block: it may be guarded (by pg_available_extensions, say), so it may never run. */
  nested: boolean;
}

/** Every CREATE EXTENSION of the file, top-level and inside DO blocks, in file order. */
export function createdExtensions(parsed: Pick<ParsedSql, 'statements' | 'nested'>): CreatedExtension[] {
  const created: CreatedExtension[] = [];
  for (const [statements, nested] of [[parsed.statements, false], [parsed.nested, true]] as const) {
    for (const statement of statements) {
      if (statement.kind === 'CreateExtensionStmt' && typeof statement.node.extname === 'string') {
        created.push({ name: statement.node.extname, line: statement.range.start.line, nested });
      }
    }
  }
  return created.sort((a, b) => a.line - b.line);
}

/** Whether a text may create an extension: a cheap test, so that most files never need the parser. */
export function mayCreateExtension(text: string): boolean {
  return /\bcreate\s+extension\b/i.test(text);
}

const WRITTEN_EXTENSION = /\bcreate\s+extension\s+(?:if\s+not\s+exists\s+)?("?)([\w-]+)\1/gi;

/**
 * The extension names CREATE EXTENSION is written with in a text (lower case; comments and strings
 * included, so it may name more than the parser would): a cheap reading for callers that only
 * need to know whether every name is one they handle anyway.
 */
export function writtenExtensionNames(text: string): string[] {
  return [...text.matchAll(WRITTEN_EXTENSION)].map((match) => match[2]!.toLowerCase());
}
