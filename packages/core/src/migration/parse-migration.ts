/*
 * A migration file as an object: name, header, directives, body, checksum, verification
 * query and rollback. The formats are described at the top of file-name.ts, header.ts,
 * directives.ts, body.ts and checksum.ts. The body is everything after the header's last
 * line (the closing rule), or the whole file when there is no header.
 */
import { scanBody } from './body.js';
import { computeChecksum } from './checksum.js';
import { emptyDirectives, readDirectives } from './directives.js';
import { parseFileName } from './file-name.js';
import { withoutByteOrderMark } from './read-source-file.js';
import { leadingCommentBlock, locateFencelessHeader, locateHeader, parseHeader } from './header.js';
import { lineEndOffset, type SourceLine } from './lines.js';
import type { Migration } from './types.js';

export interface MigrationSource {
  /** Absolute path. */
  path: string;
  /** Path relative to the workspace root, with `/` separators. */
  relPath: string;
  text: string;
}

/** Parses any string into a Migration; never throws (the linter must report, not crash). */
export function parseMigration(source: MigrationSource): Migration {
  // Text read with readFileSync or from git keeps a byte order mark; readSourceFile drops it. Same body, same checksum.
  const input = { ...source, text: withoutByteOrderMark(source.text) };
  const name = parseFileName(input.path || input.relPath);
  try {
    return parseText(input, name);
  } catch (error) {
    // Defensive only: the parsers are written not to throw, but one bad file must never stop a run.
    const reason = error instanceof Error ? error.message : String(error);
    const directives = emptyDirectives();
    return {
      path: input.path,
      relPath: input.relPath,
      text: input.text,
      name,
      directives,
      directiveProblems: [{ message: `pgwarden could not read this file's header (internal error: ${reason}); please report it.`, line: 1 }],
      body: input.text,
      bodyStartLine: 1,
      bodyOffset: 0,
      checksum: computeChecksum(input.text, directives),
    };
  }
}

/** What parseMigration derives from the text; the lazy variant computes it on first access. */
const DERIVED = ['header', 'directives', 'body', 'bodyStartLine', 'bodyOffset', 'checksum', 'directiveProblems', 'verification', 'verificationSection', 'verifications', 'rollback', 'rollbackHeadingLine'] as const;

/**
 * parseMigration, deferred: path, name and text at once, the header, body and checksum on first
 * access (then the object holds exactly what parseMigration returns). For the rest of the history
 * a one-file lint reads as context: most rules only need other files' names and text.
 */
export function parseMigrationLazily(input: MigrationSource): Migration {
  const migration = { path: input.path, relPath: input.relPath, text: input.text, name: parseFileName(input.path || input.relPath) } as Migration;
  const parse = () => {
    const parsed = parseMigration(input);
    for (const key of DERIVED) delete (migration as Partial<Migration>)[key];
    return Object.assign(migration, parsed);
  };
  for (const key of DERIVED) Object.defineProperty(migration, key, { get: () => parse()[key], enumerable: true, configurable: true });
  return migration;
}

function parseText(input: MigrationSource, name: Migration['name']): Migration {
  const { text } = input;
  const location = locateHeader(text);

  let directiveLines: SourceLine[];
  let bodyOffset = 0;
  let bodyStartLine = 1;
  if (location) {
    directiveLines = [...location.leadingLines, ...location.inner];
    bodyOffset = lineEndOffset(location.last);
    bodyStartLine = location.last.number + 1;
  } else {
    directiveLines = leadingCommentBlock(text);
  }
  const { directives, problems: directiveProblems } = readDirectives(directiveLines);
  const body = text.slice(bodyOffset);

  // Without a header, the directives were read from the body's own first comment block.
  const readInBody = new Set(location ? [] : directiveLines.map((line) => line.number));
  const facts = scanBody(text, bodyOffset, bodyStartLine, readInBody);

  const migration: Migration = {
    path: input.path,
    relPath: input.relPath,
    text,
    name,
    directives,
    directiveProblems: [...directiveProblems, ...facts.misplacedDirectives].sort((a, b) => a.line - b.line),
    body,
    bodyStartLine,
    bodyOffset,
    checksum: computeChecksum(body, directives),
    verifications: facts.verifications,
  };
  const header = location ?? locateFencelessHeader(text);
  if (header) migration.header = parseHeader(header);
  if (facts.verifications[0]) migration.verification = facts.verifications[0];
  if (facts.rollback) migration.rollback = facts.rollback;
  if (facts.verificationSection) migration.verificationSection = facts.verificationSection;
  if (facts.rollbackHeadingLine !== undefined) migration.rollbackHeadingLine = facts.rollbackHeadingLine;
  return migration;
}
