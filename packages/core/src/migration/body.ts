/*
 * What pgwarden reads in a migration body (everything after the header's closing rule).
 *
 * Verification: `-- VERIFY: <sql>` (at most one space after `--`), optionally continued
 * by `--   <sql>` lines (2+ spaces or a tab); the pieces are joined with newlines. The
 * query must return one row whose first column is true.
 *
 * Rollback: a comment line starting `-- Rollback` (any case: `-- Rollback Script (if
 * needed)`, `-- ROLLBACK:`), followed by commented SQL (`-- DROP ...`) and/or a
 * `/* ... *\/` block. The section runs until the next active SQL line or `-- VERIFY:`
 * line; its text is those lines without comment markers, plus anything after the
 * heading's colon. It counts as a rollback only when it holds SQL: a line starting with
 * an SQL command word that is upper-case or ends a statement with `;`, and is not a
 * `...` placeholder. A bare heading (the template's) sets only rollbackHeadingLine.
 */
import { isDirectiveLine } from './directives.js';
import { iterateLines } from './lines.js';
import type { HeaderProblem } from './types.js';

const VERIFY_LINE = /^\s*--[ \t]?VERIFY:([^]*)$/;
const VERIFY_CONTINUATION = /^\s*--(?: {2,}|\t| \t)([^]*)$/;
/** The template's own `-- Verification Query (optional)` heading (also `-- VERIFICATION QUERIES:`, `-- Verification:`). */
const VERIFICATION_HEADING = /^\s*--\s*verification(?:\s+quer(?:y|ies))?\b(?:\s*\([^)]*\))?\s*:?([^]*)$/i;
/** The template's placeholder query, which checks nothing. */
const VERIFICATION_PLACEHOLDER = /\btable_name\s+WHERE\s+condition\b/i;
const ROLLBACK_HEADING = /^\s*--\s*rollback\b([^]*)$/i;
/** `-- ROLLBACK;`, `-- ROLLBACK TO SAVEPOINT s;`: commented SQL (a statement, no colon), not a heading. */
const ROLLBACK_STATEMENT = /^\s*--\s*rollback\b[^:]*;\s*$/i;
const LINE_COMMENT = /^\s*--\s?([^]*)$/;
const SQL_COMMAND =
  /^\s*(alter|drop|create|delete|update|insert|truncate|revoke|grant|comment|select|do|set|reset|reindex|refresh|begin|commit|with|vacuum|analyze|call|cluster|lock)\b/i;

export interface BodyFacts {
  verifications: { sql: string; line: number }[];
  /** A `-- Verification Query` section followed by a commented SELECT: a check written for a human to run. */
  verificationSection?: { sql: string; line: number };
  rollback?: { text: string; line: number; textLine: number };
  rollbackHeadingLine?: number;
  /** `-- pgwarden:` lines found in the body, where they have no effect. */
  misplacedDirectives: HeaderProblem[];
}

interface OpenRollback {
  line: number;
  pieces: string[];
  inBlockComment: boolean;
}

/**
 * Scans the body once, line by line. `skipLines` are body lines already read as
 * directives (a header-less file keeps them in its first comment block).
 */
export function scanBody(text: string, bodyOffset: number, bodyStartLine: number, skipLines: ReadonlySet<number> = new Set()): BodyFacts {
  const facts: BodyFacts = { verifications: [], misplacedDirectives: [] };
  let verify: { pieces: string[]; line: number } | undefined;
  let rollback: OpenRollback | undefined;
  let section: { pieces: string[]; line: number } | undefined;

  const closeSection = () => {
    // Prose may come first (`-- Expect no row:`): the query starts at the first SELECT or WITH line.
    const first = section ? section.pieces.findIndex((piece) => /^(?:select|with)\b/i.test(piece)) : -1;
    const sql = first < 0 ? '' : section!.pieces.slice(first).join('\n').trim();
    if (section && sql && !facts.verificationSection && !VERIFICATION_PLACEHOLDER.test(sql)) {
      facts.verificationSection = { sql, line: section.line };
    }
    section = undefined;
  };

  const closeVerify = () => {
    const sql = verify?.pieces.join('\n').trim();
    if (verify && sql) facts.verifications.push({ sql, line: verify.line });
    verify = undefined;
  };
  const closeRollback = () => {
    if (!rollback) return;
    // One piece per file line, so the blank lines trimmed off the front say where the text starts.
    const joined = rollback.pieces.join('\n');
    const rollbackText = joined.trim();
    const leadingLines = joined.slice(0, joined.length - joined.trimStart().length).split('\n').length - 1;
    if (!facts.rollback && containsSql(rollbackText)) facts.rollback = { text: rollbackText, line: rollback.line, textLine: rollback.line + leadingLines };
    rollback = undefined;
  };

  for (const line of iterateLines(text, bodyOffset, bodyStartLine)) {
    const content = line.text;
    // Fast path for empty lines, which cost nothing unless a section is open.
    if (content === '' && !verify && !rollback && !section) continue;
    if (section) {
      const comment = LINE_COMMENT.exec(content);
      if (comment && comment[1]!.trim() !== '' && !ROLLBACK_HEADING.test(content) && !VERIFY_LINE.test(content)) {
        section.pieces.push(comment[1]!.trim());
        continue;
      }
      // Only the comment lines right below the heading (or the SQL on its own line) belong to it.
      if (section.pieces.length > 0 || content.trim() !== '') closeSection();
      else if (content.trim() === '') continue;
    }
    if (verify) {
      const continuation = VERIFY_CONTINUATION.exec(content);
      if (continuation && continuation[1]!.trim() !== '') {
        verify.pieces.push(continuation[1]!.trim());
        continue;
      }
      closeVerify();
    }

    if (rollback?.inBlockComment) {
      const close = content.indexOf('*/');
      rollback.pieces.push(stripBlockMarkers(close < 0 ? content : content.slice(0, close)));
      if (close >= 0) rollback.inBlockComment = false;
      continue;
    }

    // Headings, VERIFY lines and directives are all `--` comments: other lines skip their patterns.
    if (content.includes('--')) {
      const verifyMatch = VERIFY_LINE.exec(content);
      if (verifyMatch) {
        closeRollback();
        verify = { pieces: [verifyMatch[1]!.trim()], line: line.number };
        continue;
      }

      const verification = VERIFICATION_HEADING.exec(content);
      if (verification && !rollback?.inBlockComment) {
        closeRollback();
        section = { pieces: verification[1]!.trim() ? [verification[1]!.trim()] : [], line: line.number };
        continue;
      }

      const heading = ROLLBACK_STATEMENT.test(content) ? null : ROLLBACK_HEADING.exec(content);
      if (heading) {
        closeRollback();
        facts.rollbackHeadingLine ??= line.number;
        const colon = heading[1]!.indexOf(':');
        const sameLineText = colon >= 0 ? stripBlockMarkers(heading[1]!.slice(colon + 1)) : '';
        rollback = { line: line.number, pieces: [sameLineText], inBlockComment: false };
        continue;
      }

      if (isDirectiveLine(content) && !skipLines.has(line.number)) {
        facts.misplacedDirectives.push({
          message: 'This pgwarden directive is in the body, where it has no effect; move it into the header block.',
          line: line.number,
        });
      }
    }

    if (!rollback) continue;
    const trimmed = content.trim();
    const comment = LINE_COMMENT.exec(content);
    if (trimmed === '') {
      rollback.pieces.push('');
    } else if (comment) {
      rollback.pieces.push(stripBlockMarkers(comment[1]!));
    } else if (trimmed.startsWith('/*')) {
      const close = content.indexOf('*/', content.indexOf('/*') + 2);
      rollback.pieces.push(stripBlockMarkers(close < 0 ? content : content.slice(0, close)));
      rollback.inBlockComment = close < 0;
    } else {
      closeRollback();
    }
  }
  closeVerify();
  closeRollback();
  closeSection();
  return facts;
}

/** Removes `/*` and `*\/`; indentation is kept (multi-line statements) unless a marker stood before it. */
function stripBlockMarkers(text: string): string {
  const stripped = text.replaceAll('/*', '').replaceAll('*/', '');
  return stripped.length === text.length ? stripped.trimEnd() : stripped.trim();
}

/** Whether rollback text holds SQL rather than prose or a template placeholder. */
function containsSql(text: string): boolean {
  return text.split('\n').some((line) => {
    const command = SQL_COMMAND.exec(line);
    if (!command || line.includes('...')) return false;
    return command[1] === command[1]!.toUpperCase() || line.trimEnd().endsWith(';');
  });
}
