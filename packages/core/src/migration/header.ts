/*
 * The header block of a migration file.
 *
 * Block: optional blank lines, then a rule line `-- ====...` (at least 10 `=`), then `--`
 * comment lines, closed by the next rule line. Without the opening rule the file has no
 * header; without a closing rule the header ends at the last consecutive `--` line.
 * `-- pgwarden:` directive and `-- pgwarden-ignore` lines may precede the opening rule.
 *
 * Section line: `--`, at most one space, a label ([A-Za-z][A-Za-z0-9 /()&'-]*), a colon
 * and a value, e.g. `-- AFFECTED TABLES: patients, encounters`. The key is the label
 * upper-cased with single spaces. Continuation lines belong to the section above them:
 * `--` followed by 2+ spaces (or a tab), a `-` bullet, or a line starting with a checkbox.
 * A bare `--` line does not end a section (multi-paragraph values); any other line does.
 * So `--   Line 12: foo` is a continuation, while `-- Line 12: foo` is a section.
 *
 * Inside the block:
 *   checkboxes   `[ ]`, `[X]`, `[x]`, `[N/A]` (N/A in any case), anywhere;
 *   approvals    `-- APPROVED: <name> <YYYY-MM-DD> sha256:<64 hex> for <file name>`, one per line
 *                (`bot:<name>` for a review bot; lines written before the binding lack `for`);
 *   executions   in MIGRATION EXECUTED: `[X] <env> <YYYY-MM-DD> by <user> (<n> ms)`, or
 *                the hand-written `[X] Executed YYYY-MM-DD` (env `unrecorded`, by `unknown`);
 *   source of truth refs, in SOURCE OF TRUTH SCHEMA UPDATED: an optional checkbox, a
 *                `.sql` path (prefixed with `current_schema/` when written bare), then
 *                `(Line 228: what)`, `(Lines 1252-1296: what)`, several separated by `;`
 *                or `,` before the next `Line`, or indented `- Line 279: what` bullets.
 */
import { isCalendarDate } from './file-name.js';
import { isDirectiveLine } from './directives.js';
import { iterateLines, type SourceLine } from './lines.js';
import type {
  Approval,
  CheckboxState,
  ExecutionRecord,
  HeaderCheckbox,
  HeaderProblem,
  HeaderSection,
  MigrationHeader,
  SourceOfTruthLineRef,
  SourceOfTruthRef,
} from './types.js';

export const RULE_LINE = /^\s*--\s*={10,}\s*$/;
const COMMENT_LINE = /^\s*--/;
const PGWARDEN_LINE = /^\s*--\s*pgwarden[:-]/;
const SECTION_LINE = /^ ?([A-Za-z][A-Za-z0-9 /()&'-]*):([^]*)$/;
const INDENTED = /^(?: {2,}|\t| \t)/;
const LIST_ITEM = /^\s*(?:[-*\u2022](?:\s|$)|\[(?: |x|n\/a)\])/i;
const CHECKBOX = /\[( |x|n\/a)\]/gi;
const APPROVAL_VALUE = /^(\S+)\s+(\d{4}-\d{2}-\d{2})\s+sha256:([0-9a-fA-F]{64})(?:\s+for\s+(\S+))?$/;
const EXECUTED_BY_HAND = /^\s*Executed:?\s*(\d{4}-\d{2}-\d{2})/i;
const RECORD_TOOL = /^\s*pgwarden\s+(\S+)/;
const RECORD_HMAC = /\bhmac:([0-9a-fA-F]{64})\b/;
const EXECUTION_RECORD = /^\s*(\S+)\s+(\d{4}-\d{2}-\d{2})\s+by\s+(\S+)(?:\s+\((\d+)\s*ms\))?/;

export const SOURCE_OF_TRUTH_SECTION = 'SOURCE OF TRUTH SCHEMA UPDATED';
export const EXECUTED_SECTION = 'MIGRATION EXECUTED';
export const APPROVED_SECTION = 'APPROVED';
export const SCHEMA_DIR_PREFIX = 'current_schema/';

/** Where the header block sits in the text. */
export interface HeaderLocation {
  /** `-- pgwarden:` / `-- pgwarden-ignore` lines written before the opening rule. */
  leadingLines: SourceLine[];
  opening: SourceLine;
  /** Lines between the rules (to the last consecutive comment line when there is no closing rule). */
  inner: SourceLine[];
  closing?: SourceLine;
  /** The header's last line: the closing rule, else the last inner line, else the opening rule. */
  last: SourceLine;
  /** Set for a header written without `-- ====` fences (see locateFencelessHeader); `opening` is then its first line. */
  fenceless?: true;
}

function withoutBom(line: SourceLine): string {
  return line.number === 1 && line.text.startsWith('\uFEFF') ? line.text.slice(1) : line.text;
}

/** Finds the header block; undefined when the file does not start with a rule line. */
export function locateHeader(text: string): HeaderLocation | undefined {
  const leadingLines: SourceLine[] = [];
  const inner: SourceLine[] = [];
  let opening: SourceLine | undefined;
  for (const line of iterateLines(text)) {
    const content = withoutBom(line);
    if (!opening) {
      if (content.trim() === '') continue;
      if (RULE_LINE.test(content)) opening = line;
      else if (PGWARDEN_LINE.test(content)) leadingLines.push(line);
      else return undefined;
      continue;
    }
    if (!COMMENT_LINE.test(content)) break;
    if (RULE_LINE.test(content)) return { leadingLines, opening, inner, closing: line, last: line };
    inner.push(line);
  }
  if (!opening) return undefined;
  return { leadingLines, opening, inner, last: inner.at(-1) ?? opening };
}

/** The first run of `--` lines after leading blank lines: where a header-less file may keep directives. */
export function leadingCommentBlock(text: string): SourceLine[] {
  const block: SourceLine[] = [];
  for (const line of iterateLines(text)) {
    const content = withoutBom(line);
    if (block.length === 0 && content.trim() === '') continue;
    if (!COMMENT_LINE.test(content)) break;
    block.push(line);
  }
  return block;
}

/** A piece of section text with the file position of its first character. */
interface SectionEntry {
  text: string;
  line: number;
  column: number;
}

interface SectionBuilder {
  section: HeaderSection;
  /** The value after the colon, then each continuation line. */
  entries: SectionEntry[];
}

export function normaliseSectionKey(label: string): string {
  const key = label.trim().replace(/\s+/g, ' ').toUpperCase();
  // `-- Migration 12: Add archived flag` numbers the title line: it is still the Migration field.
  return /^MIGRATION #?\d+$/.test(key) ? 'MIGRATION' : key;
}

/** Template fields that mark a leading comment block as a header written without its `-- ====` fences. */
const FENCELESS_FIELDS = new Set(['DATE', 'ISSUE', 'PROBLEM', 'SOLUTION', 'AFFECTED TABLES', SOURCE_OF_TRUTH_SECTION]);

/**
 * A header written without its `-- ====` fence lines: the leading comment block holds a
 * `Migration:` title and at least one other template field. Undefined for any other comment block.
 */
export function locateFencelessHeader(text: string): HeaderLocation | undefined {
  const block = leadingCommentBlock(text);
  if (block.length < 2) return undefined;
  const keys = new Set<string>();
  for (const line of block) {
    const rest = withoutBom(line).replace(/^\s*--/, '');
    const match = SECTION_LINE.exec(rest);
    if (match && !INDENTED.test(rest)) keys.add(normaliseSectionKey(match[1]!));
  }
  if (!keys.has('MIGRATION') || ![...keys].some((key) => FENCELESS_FIELDS.has(key))) return undefined;
  // Directive lines inside the block are skipped by parseHeader, as in a fenced header.
  return { leadingLines: [], opening: block[0]!, inner: block, last: block.at(-1)!, fenceless: true };
}

/** Parses the located header. Never throws; unrecognised lines are simply not sections. */
export function parseHeader(location: HeaderLocation): MigrationHeader {
  const builders: SectionBuilder[] = [];
  const checkboxes: HeaderCheckbox[] = [];
  let current: SectionBuilder | undefined;
  /**
   * A label with nothing after its colon takes its value from the plain comment lines right below
   * it (`-- PROBLEM:` then `-- Nightly export misses rows.`), up to a bare `--` or the next label.
   */
  let openValue: SectionBuilder | undefined;

  for (const line of location.inner) {
    if (isDirectiveLine(line.text)) {
      current = undefined;
      continue;
    }
    const indentation = line.text.length - line.text.trimStart().length;
    const rest = line.text.slice(indentation + 2);
    const restColumn = indentation + 3;
    let sectionMatch: RegExpExecArray | null = null;

    if (rest.trim() === '') {
      // A bare `--` separates paragraphs without ending the section.
      openValue = undefined;
    } else if (INDENTED.test(rest)) {
      if (current) addContinuation(current, rest, line.number, restColumn);
    } else if ((sectionMatch = SECTION_LINE.exec(rest))) {
      const value = sectionMatch[2]!;
      current = {
        section: { key: normaliseSectionKey(sectionMatch[1]!), value: '', lines: [], line: line.number, endLine: line.number },
        entries: [{ text: value, line: line.number, column: restColumn + rest.length - value.length }],
      };
      builders.push(current);
      openValue = value.trim() === '' ? current : undefined;
    } else if (LIST_ITEM.test(rest)) {
      if (current) addContinuation(current, rest, line.number, restColumn);
    } else if (openValue && openValue === current && !RULE_LINE.test(line.text)) {
      addContinuation(current, rest, line.number, restColumn);
    } else {
      current = undefined;
      openValue = undefined;
    }
    collectCheckboxes(rest, restColumn, line.number, current?.section.key ?? '', checkboxes);
  }

  const problems: HeaderProblem[] = [];
  const sections = builders.map((builder) => {
    builder.section.value = builder.entries
      .map((entry) => entry.text.trim())
      .filter((text) => text !== '')
      .join(' ')
      .replace(/\s+/g, ' ');
    return builder.section;
  });
  const title = sections.find((section) => section.key === 'MIGRATION')?.value;

  const approvals: Approval[] = [];
  const executions: ExecutionRecord[] = [];
  const sourceOfTruth: SourceOfTruthRef[] = [];
  for (const builder of builders) {
    const { key } = builder.section;
    if (key === APPROVED_SECTION) {
      const approval = parseApproval(builder.entries[0]!);
      if ('message' in approval) problems.push(approval);
      else approvals.push(approval);
    } else if (key === EXECUTED_SECTION) {
      for (const entry of builder.entries) executions.push(...parseExecutionRecords(entry));
    } else if (key === SOURCE_OF_TRUTH_SECTION) {
      sourceOfTruth.push(...parseSourceOfTruth(builder.entries, checkboxes));
    }
  }

  const header: MigrationHeader = {
    startLine: location.opening.number,
    endLine: location.last.number,
    sections,
    checkboxes,
    sourceOfTruth,
    approvals,
    executions,
    problems,
  };
  if (title) header.title = title;
  if (location.closing) header.closingRuleLine = location.closing.number;
  if (location.fenceless) header.fenceless = true;
  return header;
}

function addContinuation(builder: SectionBuilder, rest: string, line: number, column: number): void {
  builder.section.lines.push({ text: rest, line });
  builder.section.endLine = line;
  builder.entries.push({ text: rest, line, column });
}

function checkboxState(mark: string): CheckboxState {
  if (mark === ' ') return 'open';
  return mark.toLowerCase() === 'x' ? 'done' : 'not-applicable';
}

function collectCheckboxes(text: string, column: number, line: number, section: string, into: HeaderCheckbox[]): void {
  // One pass, no array of matches: a box's text runs to the next box, so each box is finished when
  // the next one is found (a line of millions of boxes stays linear and light on garbage).
  let pending: HeaderCheckbox | undefined;
  let pendingTextStart = 0;
  for (const match of text.matchAll(CHECKBOX)) {
    if (pending) pending.text = text.slice(pendingTextStart, match.index).trim();
    const mark = match[1]!;
    pending = { mark, state: checkboxState(mark), text: '', section, line, column: column + match.index };
    pendingTextStart = match.index + match[0].length;
    into.push(pending);
  }
  if (pending) pending.text = text.slice(pendingTextStart).trim();
}

function parseApproval(entry: SectionEntry): Approval | HeaderProblem {
  const match = APPROVAL_VALUE.exec(entry.text.trim());
  if (!match || !isCalendarDate(match[2]!)) {
    return {
      message: `This APPROVED line is not in the form '-- APPROVED: <name> <YYYY-MM-DD> sha256:<64 hex digits> for <file name>' with a real date, so it does not count as an approval.`,
      line: entry.line,
    };
  }
  const approval: Approval = { by: match[1]!, kind: match[1]!.toLowerCase().startsWith('bot:') ? 'bot' : 'human', date: match[2]!, checksum: match[3]!.toLowerCase(), line: entry.line };
  if (match[4] !== undefined) approval.boundTo = match[4];
  return approval;
}

function parseExecutionRecords(entry: SectionEntry): ExecutionRecord[] {
  const records: ExecutionRecord[] = [];
  // A record runs up to the next box only: it never spans two boxes, and this keeps it linear.
  let ticked = false;
  let recordStart = 0;
  const finish = (end: number) => {
    if (ticked) {
      const record = executionRecord(entry.text.slice(recordStart, end), entry.line);
      if (record) records.push(record);
    }
  };
  for (const box of entry.text.matchAll(CHECKBOX)) {
    finish(box.index);
    ticked = box[1]!.toLowerCase() === 'x';
    recordStart = box.index + box[0].length;
  }
  finish(entry.text.length);
  return records;
}

/** The record after a ticked box: `production 2025-10-11 by bob (9000 ms)` or `Executed 2025-10-11`. */
function executionRecord(after: string, line: number): ExecutionRecord | undefined {
  const byHand = EXECUTED_BY_HAND.exec(after);
  if (byHand) return { env: 'unrecorded', date: byHand[1]!, by: 'unknown', line };
  const record = EXECUTION_RECORD.exec(after);
  if (!record) return undefined;
  const execution: ExecutionRecord = { env: record[1]!, date: record[2]!, by: record[3]!, line };
  if (record[4] !== undefined) execution.durationMs = Number(record[4]);
  const rest = after.slice(record[0].length);
  const tool = RECORD_TOOL.exec(rest);
  if (tool) execution.toolVersion = tool[1]!;
  const hmac = RECORD_HMAC.exec(rest);
  if (hmac) execution.hmac = hmac[1]!.toLowerCase();
  return execution;
}

// ---------------------------------------------------------------------------------------
// Source-of-truth references

const PATH_TOKEN = /[^\s[\](),;:]+/g;
const PATH_CHARS = /^[\w./-]+$/;
const BULLET_LINE_REF = /^\s*(?:[-*\u2022]\s*)?(?:\[[^\]]*\]\s*)?lines?\s+\d/i;
const LINE_REF_SEPARATOR = /[;,]\s*(?=lines?\s+\d)/gi;
const LINE_REF = /\blines?\s+(\d+)(?:\s*[-\u2013\u2014]\s*(\d+))?/i;

interface PathToken {
  path: string;
  start: number;
  end: number;
}

function findSqlPaths(text: string): PathToken[] {
  const paths: PathToken[] = [];
  for (const match of text.matchAll(PATH_TOKEN)) {
    const token = match[0];
    if (token.toLowerCase().endsWith('.sql') && PATH_CHARS.test(token)) {
      paths.push({ path: token, start: match.index, end: match.index + token.length });
    }
  }
  return paths;
}

/** `03_clinical_core.sql` and `./current_schema/03_clinical_core.sql` -> `current_schema/03_clinical_core.sql`. */
export function normaliseSchemaPath(written: string): string {
  const path = written.replace(/^(?:\.\/)+/, '');
  return path.includes('/') ? path : SCHEMA_DIR_PREFIX + path;
}

function parseSourceOfTruth(entries: SectionEntry[], checkboxes: HeaderCheckbox[]): SourceOfTruthRef[] {
  const refs: SourceOfTruthRef[] = [];
  // Indexed by line: a linear search per reference is quadratic on pathological headers.
  const boxesByLine = new Map<number, HeaderCheckbox[]>();
  for (const box of checkboxes) {
    const onLine = boxesByLine.get(box.line);
    if (onLine) onLine.push(box);
    else boxesByLine.set(box.line, [box]);
  }
  for (const entry of entries) {
    const paths = findSqlPaths(entry.text);
    if (paths.length === 0) {
      const owner = refs.at(-1);
      if (owner && BULLET_LINE_REF.test(entry.text)) owner.lines.push(...parseLineRefs(entry.text, entry.line, entry.column));
      continue;
    }
    // Boxes and paths both ascend by column, so one cursor pairs each path with the box before it.
    const lineBoxes = boxesByLine.get(entry.line) ?? [];
    let boxCursor = 0;
    paths.forEach((token, index) => {
      const segmentEnd = paths[index + 1]?.start ?? entry.text.length;
      const segment = entry.text.slice(token.end, segmentEnd);
      const parenthesis = parenthesisedText(segment);
      const column = entry.column + token.start;
      const previousEnd = index > 0 ? entry.column + paths[index - 1]!.end : 0;
      const file = normaliseSchemaPath(token.path);
      const ref: SourceOfTruthRef = {
        file,
        lines: parenthesis
          ? parseLineRefs(parenthesis.text, entry.line, entry.column + token.end + parenthesis.start)
          : [],
        line: entry.line,
        column,
      };
      let checkbox: HeaderCheckbox | undefined;
      while (boxCursor < lineBoxes.length && lineBoxes[boxCursor]!.column < column) checkbox = lineBoxes[boxCursor++];
      if (checkbox && checkbox.column <= previousEnd) checkbox = undefined;
      if (checkbox) ref.checkbox = checkbox;
      if (file !== token.path) ref.writtenPath = token.path;
      refs.push(ref);
    });
  }
  return refs;
}

/** The text inside the parenthesis that opens `segment` (after spaces), balanced; to the end when unclosed. */
function parenthesisedText(segment: string): { text: string; start: number } | undefined {
  const open = segment.search(/\S/);
  if (open < 0 || segment[open] !== '(') return undefined;
  let depth = 0;
  for (let index = open; index < segment.length; index++) {
    if (segment[index] === '(') depth++;
    else if (segment[index] === ')' && --depth === 0) return { text: segment.slice(open + 1, index), start: open + 1 };
  }
  return { text: segment.slice(open + 1), start: open + 1 };
}

/** Line references in `text`, whose first character sits at `column` of header line `line`. */
function parseLineRefs(text: string, line: number, column: number): SourceOfTruthLineRef[] {
  const refs: SourceOfTruthLineRef[] = [];
  const partStarts = [0, ...[...text.matchAll(LINE_REF_SEPARATOR)].map((match) => match.index + match[0].length)];
  partStarts.forEach((partStart, index) => {
    const partEnd = index + 1 < partStarts.length ? partStarts[index + 1]! : text.length;
    const part = text.slice(partStart, partEnd);
    const match = LINE_REF.exec(part);
    if (!match) return;
    const ranges: [number, number][] = [[Number(match[1]), Number(match[2] ?? match[1])]];
    let descriptionStart = match.index + match[0].length;
    const more = moreRanges(part, descriptionStart);
    if (more) {
      ranges.push(...more.ranges);
      descriptionStart = more.end;
    }
    const description = trimSeparators(part.slice(descriptionStart).replace(/^\s*[:,;\-\u2013\u2014]?\s*/, ''));
    for (const [from, to] of ranges) {
      refs.push({ from, to, description, line, column: column + partStart + match.index });
    }
  });
  return refs;
}

const isSpace = (char: string | undefined) => char !== undefined && /\s/.test(char);
const isDigit = (char: string | undefined) => char !== undefined && char >= '0' && char <= '9';
const isDash = (char: string | undefined) => char === '-' || char === '\u2013' || char === '\u2014';

/**
 * `, 30-34, 40:` after `Lines 12-20` (further ranges, then the colon that starts the description),
 * scanned from `start` in one pass: a regular expression for it would nest quantifiers.
 */
function moreRanges(text: string, start: number): { ranges: [number, number][]; end: number } | undefined {
  const skipSpaces = (from: number) => {
    while (isSpace(text[from])) from++;
    return from;
  };
  const digitsEnd = (from: number) => {
    while (isDigit(text[from])) from++;
    return from;
  };
  const ranges: [number, number][] = [];
  let index = start;
  for (;;) {
    const comma = skipSpaces(index);
    if (text[comma] !== ',') break;
    const fromStart = skipSpaces(comma + 1);
    const fromEnd = digitsEnd(fromStart);
    if (fromEnd === fromStart) break;
    const from = Number(text.slice(fromStart, fromEnd));
    let to = from;
    index = fromEnd;
    const dash = skipSpaces(fromEnd);
    if (isDash(text[dash])) {
      const toStart = skipSpaces(dash + 1);
      const toEnd = digitsEnd(toStart);
      if (toEnd > toStart) {
        to = Number(text.slice(toStart, toEnd));
        index = toEnd;
      }
    }
    ranges.push([from, to]);
  }
  const colon = skipSpaces(index);
  return ranges.length > 0 && text[colon] === ':' ? { ranges, end: colon + 1 } : undefined;
}

/** Trims whitespace and the `;`/`,` that separated this reference from the next (no regex: long runs). */
function trimSeparators(text: string): string {
  let end = text.length;
  while (end > 0 && /[\s;,]/.test(text[end - 1]!)) end--;
  return text.slice(0, end).trim();
}
