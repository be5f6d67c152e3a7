/*
 * Lossless header rewrites for touchpoint 2 and reviews. Only the touched lines change;
 * every other byte (line endings included) is kept, and inserted lines take the line
 * ending of their neighbour. Nothing here touches the body, so the checksum is unchanged.
 * Each function throws an Error that says what is missing when the file has no header.
 */
import { isCalendarDate } from './file-name.js';
import {
  EXECUTED_SECTION,
  locateHeader,
  normaliseSectionKey,
  parseHeader,
  type HeaderLocation,
} from './header.js';
import { lineEndOffset, preferredEol, type SourceLine } from './lines.js';
import type { HeaderCheckbox, MigrationHeader } from './types.js';

interface Edit {
  start: number;
  end: number;
  replacement: string;
}

const APPROVAL_LINE = /^\s*--\s?APPROVED:/i;
const BARE_COMMENT = /^\s*--\s*$/;
const EXECUTION_PLACEHOLDER = /^not yet executed\b/i;
const DEFAULT_LIST_INDENT = '--   ';

export interface ApprovalInput {
  /** Reviewer: one token without spaces, e.g. `alice`, `dr.smith`. */
  by: string;
  /** `YYYY-MM-DD`. */
  date: string;
  /** Hex SHA-256 of the migration (Migration.checksum). */
  checksum: string;
  /** The file's base name (`2025-10-08_18_add_x.sql`): the approval binds version and name. */
  fileName?: string;
}

export interface ExecutionInput {
  /** Environment name, one token, e.g. `local`, `staging`, `production`. */
  env: string;
  /** `YYYY-MM-DD`. */
  date: string;
  /** Who ran it, one token. */
  by: string;
  durationMs: number;
  /** pgwarden version that ran it. */
  toolVersion?: string;
  /** Hex HMAC signing the record (see runner/record-signature.ts). */
  hmac?: string;
}

/** Adds `-- APPROVED: <by> <date> sha256:<checksum>` before the closing rule, replacing an approval by the same reviewer. */
export function addApproval(text: string, approval: ApprovalInput): string {
  requireToken(approval.by, 'reviewer name');
  requireDate(approval.date);
  if (!/^[0-9a-fA-F]{64}$/.test(approval.checksum)) {
    throw new Error(`The checksum must be 64 hexadecimal digits (a SHA-256), not '${approval.checksum}'.`);
  }
  const { location, header, lines } = readHeader(text, 'add an approval');
  if (approval.fileName !== undefined) requireToken(approval.fileName, 'file name');
  const content = `-- APPROVED: ${approval.by} ${approval.date} sha256:${approval.checksum.toLowerCase()}${approval.fileName ? ` for ${approval.fileName}` : ''}`;
  const previous = header.approvals.filter((existing) => existing.by === approval.by);
  if (previous.length === 0) return applyEdits(text, [insertAtHeaderEnd(text, location, [content])]);

  // Re-approval: the newest review replaces the old one in place; duplicates go.
  const [first, ...duplicates] = previous;
  return applyEdits(text, [
    replaceLineText(lines.get(first!.line)!, content),
    ...duplicates.map((duplicate) => removeLine(lines.get(duplicate.line)!)),
  ]);
}

/**
 * Records an execution in MIGRATION EXECUTED as `[X] <env> <date> by <user> (<n> ms)`:
 * it replaces the `[ ] Not yet executed` placeholder (else the first open box of the
 * section), else it is appended to the section; the section is created, before any
 * trailing approvals, when the header has none.
 */
export function addExecutionRecord(text: string, execution: ExecutionInput): string {
  requireToken(execution.env, 'environment name');
  if (/^executed:?$/i.test(execution.env)) throw new Error(`'${execution.env}' cannot be an environment name: it reads as a hand-written record.`);
  requireToken(execution.by, 'user name');
  requireDate(execution.date);
  if (!Number.isFinite(execution.durationMs) || execution.durationMs < 0) {
    throw new Error(`The duration must be a non-negative number of milliseconds, not ${execution.durationMs}.`);
  }
  if (execution.toolVersion !== undefined) requireToken(execution.toolVersion, 'pgwarden version');
  if (execution.hmac !== undefined && !/^[0-9a-f]{64}$/.test(execution.hmac)) throw new Error(`The record signature must be 64 lower-case hexadecimal digits, not '${execution.hmac}'.`);
  const record =
    `[X] ${execution.env} ${execution.date} by ${execution.by} (${Math.round(execution.durationMs)} ms)` +
    `${execution.toolVersion ? ` pgwarden ${execution.toolVersion}` : ''}${execution.hmac ? ` hmac:${execution.hmac}` : ''}`;
  const { location, header, lines } = readHeader(text, 'record an execution');
  const section = header.sections.find((candidate) => candidate.key === EXECUTED_SECTION);

  if (!section) {
    const before = trailingApprovalsStart(location);
    const previousLine = before ? lines.get(before.number - 1) : location.last;
    const separator = previousLine && previousLine !== location.opening && !BARE_COMMENT.test(previousLine.text) ? ['--'] : [];
    const contents = [...separator, '-- MIGRATION EXECUTED:', DEFAULT_LIST_INDENT + record];
    return applyEdits(text, [before ? insertBefore(text, before, contents) : insertAfter(text, location.last, contents)]);
  }

  const boxes = header.checkboxes.filter(
    (box) => box.section === EXECUTED_SECTION && box.line >= section.line && box.line <= section.endLine,
  );
  const openBoxes = boxes.filter((box) => box.state === 'open');
  const target = openBoxes.find((box) => EXECUTION_PLACEHOLDER.test(box.text)) ?? openBoxes[0];
  if (target) {
    const line = lines.get(target.line)!;
    return applyEdits(text, [replaceLineText(line, line.text.slice(0, target.column - 1) + record)]);
  }
  return applyEdits(text, [insertAfter(text, lines.get(section.endLine)!, [listIndent(boxes, lines) + record])]);
}

/**
 * Ticks open boxes (`[ ]` -> `[X]`) in the given sections (labels or keys; default all),
 * leaving `[N/A]` and ticked boxes alone. The `[ ] Not yet executed` placeholder is left
 * open on purpose: addExecutionRecord replaces it, and a ticked "Not yet executed" would
 * contradict the records.
 */
export function tickCheckboxes(text: string, sections?: string[]): string {
  const { header, lines } = readHeader(text, 'tick checkboxes');
  const wanted = sections ? new Set(sections.map(normaliseSectionKey)) : undefined;
  const edits = header.checkboxes
    .filter((box) => box.state === 'open' && (!wanted || wanted.has(box.section)) && !isExecutionPlaceholder(box))
    .map((box) => {
      const start = lines.get(box.line)!.start + box.column - 1;
      return { start, end: start + 3, replacement: '[X]' };
    });
  return applyEdits(text, edits);
}

function isExecutionPlaceholder(box: HeaderCheckbox): boolean {
  return box.section === EXECUTED_SECTION && EXECUTION_PLACEHOLDER.test(box.text);
}

// ---------------------------------------------------------------------------------------

function readHeader(text: string, action: string): { location: HeaderLocation; header: MigrationHeader; lines: Map<number, SourceLine> } {
  const location = locateHeader(text);
  if (!location) {
    throw new Error(
      `Cannot ${action}: the file has no header block. A header starts at the top of the file with a '-- ====' rule line (at least 10 '=') and is closed by another one.`,
    );
  }
  const lines = new Map<number, SourceLine>();
  for (const line of [location.opening, ...location.inner]) lines.set(line.number, line);
  if (location.closing) lines.set(location.closing.number, location.closing);
  return { location, header: parseHeader(location), lines };
}

function requireToken(value: string, what: string): void {
  if (!/^[^\s\p{Cc}]+$/u.test(value)) throw new Error(`The ${what} must be one word without spaces, not '${value}'.`);
}

function requireDate(date: string): void {
  if (!isCalendarDate(date)) throw new Error(`The date must be a real YYYY-MM-DD calendar date, not '${date}'.`);
}

/** Indentation for an appended record: that of the section's boxes on their own lines, else `--   `. */
function listIndent(boxes: HeaderCheckbox[], lines: Map<number, SourceLine>): string {
  for (const box of [...boxes].reverse()) {
    const prefix = lines.get(box.line)!.text.slice(0, box.column - 1);
    if (/^\s*--\s+$/.test(prefix)) return prefix;
  }
  return DEFAULT_LIST_INDENT;
}

/** First line of the APPROVED lines that end the header, if any: new sections go above them. */
function trailingApprovalsStart(location: HeaderLocation): SourceLine | undefined {
  let start = location.closing;
  for (let index = location.inner.length - 1; index >= 0 && APPROVAL_LINE.test(location.inner[index]!.text); index--) {
    start = location.inner[index];
  }
  return start;
}

function insertAtHeaderEnd(text: string, location: HeaderLocation, contents: string[]): Edit {
  return location.closing ? insertBefore(text, location.closing, contents) : insertAfter(text, location.last, contents);
}

function insertBefore(text: string, line: SourceLine, contents: string[]): Edit {
  const eol = preferredEol(text, line);
  return { start: line.start, end: line.start, replacement: contents.map((content) => content + eol).join('') };
}

function insertAfter(text: string, line: SourceLine, contents: string[]): Edit {
  const eol = preferredEol(text, line);
  const at = lineEndOffset(line);
  // A last line without an ending gets one; the inserted lines then end the file as it did.
  const replacement = line.eol ? contents.map((content) => content + eol).join('') : contents.map((content) => eol + content).join('');
  return { start: at, end: at, replacement };
}

function replaceLineText(line: SourceLine, content: string): Edit {
  return { start: line.start, end: line.start + line.text.length, replacement: content };
}

function removeLine(line: SourceLine): Edit {
  return { start: line.start, end: lineEndOffset(line), replacement: '' };
}

function applyEdits(text: string, edits: Edit[]): string {
  const ordered = [...edits].sort((a, b) => a.start - b.start);
  let result = '';
  let cursor = 0;
  for (const edit of ordered) {
    result += text.slice(cursor, edit.start) + edit.replacement;
    cursor = edit.end;
  }
  return result + text.slice(cursor);
}

/**
 * Sets a header section (e.g. `AFFECTED TABLES`, `SOURCE OF TRUTH SCHEMA UPDATED`): `value` after
 * the label and `entries` as indented lines under it, replacing the section's lines as written;
 * a missing section is added at the end of the header (above the approvals). The label keeps its
 * spelling and every other line of the file is left as it was.
 */
export function setHeaderSection(text: string, label: string, value: string, entries: string[] = []): string {
  const { location, header, lines } = readHeader(text, `set ${label}`);
  const section = header.sections.find((candidate) => candidate.key === normaliseSectionKey(label));
  if (!section) {
    const contents = [`-- ${label}:${value ? ` ${value}` : ''}`, ...entries.map((entry) => `${DEFAULT_LIST_INDENT}${entry}`)];
    const before = trailingApprovalsStart(location);
    return applyEdits(text, [before ? insertBefore(text, before, contents) : insertAtHeaderEnd(text, location, contents)]);
  }
  const first = lines.get(section.line)!;
  const last = lines.get(section.endLine)!;
  const labelEnd = first.text.indexOf(':') + 1;
  const indent = section.lines.map((line) => lines.get(line.line)!.text).find((line) => /^\s*--\s+\[/.test(line) || /^\s*--\s+-/.test(line));
  const entryPrefix = indent ? /^\s*--\s+/.exec(indent)![0] : DEFAULT_LIST_INDENT;
  const eol = preferredEol(text, first);
  const contents = [first.text.slice(0, labelEnd) + (value ? ` ${value}` : ''), ...entries.map((entry) => entryPrefix + entry)];
  return applyEdits(text, [{ start: first.start, end: last.start + last.text.length, replacement: contents.join(eol) }]);
}
