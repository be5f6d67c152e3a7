import { iterateLines } from '../migration/lines.js';
import type { SourceOfTruthLineRef, SourceOfTruthRef } from '../migration/types.js';
import type { SourceRange } from '../sql/types.js';
import { defineRule, type RuleContext, type SchemaFile } from './types.js';

/** Words of a description that name no schema object. */
const COMMON = new Set(
  (
    'a an and are as at be by for from in into is it its of on or the this that to with without via per new now not no ' +
    'add adds added adding remove removes removed drop drops dropped update updates updated change changes changed modify modified ' +
    'replace replaced rename renamed create created alter altered grant granted revoke set unset enable enabled disable disabled ' +
    'column columns table tables index indexes indices policy policies function functions trigger triggers view views type types ' +
    'enum enums value values constraint constraints comment comments schema sql rls row level security check unique primary key ' +
    'foreign references reference default null generated stored definition definitions section block entry entries line lines ' +
    'field fields description see also after before backfill backfilled migration data integer text boolean uuid timestamptz ' +
    'jsonb varchar numeric bigint if exists applicable only same other all each both more'
  ).split(' '),
);
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_$]*(?:\.[A-Za-z_][A-Za-z0-9_$]*)*/g;

/** A description of something taken out: the schema file no longer holds it. */
const REMOVAL = /\b(?:drop|drops|dropped|remove|removes|removed|delete|deletes|deleted)\b/i;

/**
 * The words a referenced line must mention. Only names of schema objects, never prose: the column of
 * `table.column`, identifiers with `_` or digits, and plain words that name a table the file creates
 * (`visits`); `added`, `timestamp` or `checked` are the description's prose and are not demanded.
 * For a removal (`patients.ssn_last4 dropped`) the file no longer names the column, so the table is
 * expected instead; a removal that names no table is not checked.
 */
function mentionTokens(description: string, tables: ReadonlySet<string>): { tokens: string[]; tableTokens: string[] } {
  if (REMOVAL.test(description)) {
    const owners = new Set<string>();
    for (const [token] of description.matchAll(IDENTIFIER)) {
      const parts = token.toLowerCase().split('.');
      if (parts.length > 1 && !token.toLowerCase().endsWith('.sql')) owners.add(parts.at(-2)!);
    }
    return { tokens: [...owners], tableTokens: [...owners] };
  }
  const specific = new Set<string>();
  for (const [token] of description.matchAll(IDENTIFIER)) {
    const lower = token.toLowerCase();
    if (lower.includes('.')) {
      const last = lower.slice(lower.lastIndexOf('.') + 1);
      if (!lower.endsWith('.sql') && !COMMON.has(last)) specific.add(last);
    } else if ((/[_0-9]/.test(lower) && !/^\d/.test(lower)) || tables.has(lower)) {
      specific.add(lower);
    }
  }
  return { tokens: [...specific], tableTokens: [...specific].filter((token) => tables.has(token)) };
}

const CREATE_TABLE = /^\s*CREATE\s+(?:(?:GLOBAL\s+|LOCAL\s+)?(?:TEMP|TEMPORARY|UNLOGGED)\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?((?:"?[\w$]+"?\s*\.\s*)?"?[\w$]+"?)/i;
const tablesCache = new WeakMap<SchemaFile, Map<string, { from: number; to: number }[]>>();

/** The line up to its first `--` (as the pattern /--.*$/ removed, without a regular expression per line). */
function withoutLineComment(line: string): string {
  const at = line.indexOf('--');
  return at < 0 ? line : line.slice(0, at);
}

/** Tables a schema file creates (lower-case name without schema) and the 1-based lines of each CREATE TABLE statement. */
function createdTables(file: SchemaFile): Map<string, { from: number; to: number }[]> {
  let tables = tablesCache.get(file);
  if (tables) return tables;
  tables = new Map();
  file.lines.forEach((line, index) => {
    // Most lines do not start with "create": skip them without running the pattern (the rule reads
    // every line of current_schema/ for every migration that references it).
    const start = line.search(/\S/);
    if (start < 0 || (line.charCodeAt(start) | 0x20) !== 0x63 /* c */) return;
    const match = CREATE_TABLE.exec(line);
    if (!match) return;
    const name = match[1]!.replace(/["\s]/g, '').toLowerCase().split('.').at(-1)!;
    // The statement ends where its parentheses close (or at the first `;`).
    let depth = 0;
    let end = index;
    for (let at = index; at < file.lines.length; at++) {
      const code = withoutLineComment(file.lines[at]!);
      for (let offset = 0; offset < code.length; offset++) {
        const char = code.charCodeAt(offset);
        if (char === 0x28 /* ( */) depth++;
        else if (char === 0x29 /* ) */) depth--;
      }
      end = at;
      if (code.includes(';') || (depth <= 0 && code.includes(')'))) break;
    }
    const list = tables!.get(name) ?? [];
    list.push({ from: index + 1, to: end + 1 });
    tables!.set(name, list);
  });
  tablesCache.set(file, tables);
  return tables;
}

// One pattern per short token, not one per line tested (a reference that misses searches the whole file).
const standalonePatterns = new Map<string, RegExp>();

// A schema file's lines in lower case, made once: every reference into the file searches them.
const loweredCache = new WeakMap<SchemaFile, string[]>();

function loweredLines(file: SchemaFile): string[] {
  let lowered = loweredCache.get(file);
  if (!lowered) loweredCache.set(file, (lowered = file.lines.map((line) => line.toLowerCase())));
  return lowered;
}

/** Whether line `index` of the file mentions `token` (lower case). */
function mentions(file: SchemaFile, index: number, token: string): boolean {
  // Short tokens (id, uid) must stand alone; longer ones may be part of an identifier (status in document_status).
  if (token.length < 4) return mentionPattern(token).test(file.lines[index]!);
  return loweredLines(file)[index]!.includes(token);
}

function mentionPattern(token: string): RegExp {
  let pattern = standalonePatterns.get(token);
  if (!pattern) standalonePatterns.set(token, (pattern = new RegExp(`(?<![A-Za-z0-9_$])${token.replace(/\$/g, '\\$')}(?![A-Za-z0-9_$])`, 'i')));
  return pattern;
}

/** Offset of the first standalone occurrence of a short token in `text`, or -1. */
function standaloneIn(text: string, token: string): number {
  return text.search(mentionPattern(token));
}

// A schema file's text joined and lower-cased, and where its lines start: for the first mention of a token.
const searchTextCache = new WeakMap<SchemaFile, { text: string; lowered: string; loweredStarts: number[]; firstMention: Map<string, number> }>();

/**
 * Index of the first line of the file that mentions `token` (as `mentions` decides), or -1; cached
 * per file and token, since a reference that misses has its token searched for in the whole file.
 * Tokens are identifier characters only, so no match spans two lines of the joined text.
 */
function firstMention(file: SchemaFile, token: string): number {
  let search = searchTextCache.get(file);
  if (!search) {
    const lowered = loweredLines(file);
    const loweredStarts: number[] = [];
    let offset = 0;
    for (const line of lowered) {
      loweredStarts.push(offset);
      offset += line.length + 1;
    }
    search = { text: file.lines.join('\n'), lowered: lowered.join('\n'), loweredStarts, firstMention: new Map() };
    searchTextCache.set(file, search);
  }
  let found = search.firstMention.get(token);
  if (found === undefined) {
    if (token.length < 4) {
      // Lines and the joined text differ only in their newlines, which the pattern's look-arounds treat as line ends.
      const at = standaloneIn(search.text, token);
      found = at < 0 ? -1 : lineOfOffset(search.text, at);
    } else {
      const at = search.lowered.indexOf(token);
      found = at < 0 ? -1 : lineAt(search.loweredStarts, at);
    }
    search.firstMention.set(token, found);
  }
  return found;
}

function lineAt(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

function lineOfOffset(text: string, offset: number): number {
  let line = 0;
  for (let newline = text.indexOf('\n'); newline !== -1 && newline < offset; newline = text.indexOf('\n', newline + 1)) line++;
  return line;
}

function lineCount(file: SchemaFile): number {
  const { lines } = file;
  return lines.length > 0 && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
}

function quote(text: string): string {
  const trimmed = text.trim();
  return JSON.stringify(trimmed.length > 100 ? `${trimmed.slice(0, 97)}...` : trimmed);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

const knownTablesCache = new WeakMap<ReadonlyMap<string, SchemaFile>, Set<string>>();

/** Tables any schema file creates (one set per lint run: the schema files do not change during it). */
function knownTablesOf(files: ReadonlyMap<string, SchemaFile>): Set<string> {
  let tables = knownTablesCache.get(files);
  if (!tables) knownTablesCache.set(files, (tables = new Set([...files.values()].flatMap((schemaFile) => [...createdTables(schemaFile).keys()]))));
  return tables;
}

/** The schema file a reference names: as written, or by base name inside the configured schema directory. */
function resolve(ref: SourceOfTruthRef, files: ReadonlyMap<string, SchemaFile>, schemaDir: string): SchemaFile | undefined {
  const direct = files.get(ref.file) ?? (ref.writtenPath ? files.get(ref.writtenPath) : undefined);
  if (direct) return direct;
  const dir = schemaDir.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '').replace(/\/+$/, '');
  return files.get(`${dir}/${baseName(ref.file)}`);
}

/** Checks one `Line N: what` reference of an existing schema file. */
function checkLine(
  context: RuleContext,
  file: SchemaFile,
  total: number,
  lineRef: SourceOfTruthLineRef,
  updated: boolean,
  range: SourceRange | undefined,
  knownTables: ReadonlySet<string>,
): void {
  const label = lineRef.from === lineRef.to ? `line ${lineRef.from}` : `lines ${lineRef.from}-${lineRef.to}`;
  if (lineRef.from < 1 || lineRef.to < lineRef.from) {
    context.report({
      message: `${file.relPath} ${label} is not a valid line range`,
      range,
      hint: 'write "Line N: what" or "Lines N-M: what" with N <= M, counting from 1',
    });
    return;
  }
  if (lineRef.to > total) {
    context.report({
      message: `${file.relPath} has ${total} lines, so ${label} ${lineRef.from === lineRef.to ? 'does' : 'do'} not exist`,
      range,
      hint: `point at the lines that hold the change (the file ends at line ${total})`,
    });
    return;
  }
  if (!updated) return;
  const tables = createdTables(file);
  const { tokens, tableTokens } = mentionTokens(lineRef.description, knownTables);
  if (tokens.length === 0) return;
  const referenced = file.lines.slice(lineRef.from - 1, lineRef.to);
  if (referenced.some((_, offset) => tokens.some((token) => mentions(file, lineRef.from - 1 + offset, token)))) return;
  // A line inside the right CREATE TABLE need not repeat the table's name.
  const inside = (table: string) => (tables.get(table) ?? []).some((block) => block.from <= lineRef.to && lineRef.from <= block.to);
  if (tableTokens.some(inside)) return;

  const wanted = tokens.length === 1 ? tokens[0]! : `any of ${tokens.join(', ')}`;
  const mentioned = tokens.map((token) => firstMention(file, token)).filter((line) => line >= 0);
  const elsewhere = mentioned.length > 0 ? Math.min(...mentioned) : -1;
  context.report({
    message: `${file.relPath} ${label} ${lineRef.from === lineRef.to ? 'does' : 'do'} not mention ${wanted}: line ${lineRef.from} reads ${quote(referenced[0] ?? '')}`,
    range,
    hint:
      elsewhere >= 0
        ? `${tokens.find((token) => mentions(file, elsewhere, token))} first appears on line ${elsewhere + 1} of ${file.relPath}: correct the reference (Line ${elsewhere + 1}: ...)`
        : `${file.relPath} never mentions ${wanted}: update it so that it holds the change, or correct the reference`,
  });
}

export const rule = defineRule({
  id: 'source-of-truth-refs',
  category: 'convention',
  defaultSeverity: 'error',
  description: 'Each current_schema/ file and line the header references exists, and the referenced lines mention the object.',
  check(context) {
    const { header, text } = context.migration;
    if (!header || header.sourceOfTruth.length === 0) return;

    const headerLines = new Map<number, { text: string; start: number }>();
    for (const line of iterateLines(text)) {
      if (line.number > header.endLine) break;
      headerLines.set(line.number, line);
    }
    const rangeAt = (line: number, column: number): SourceRange | undefined => {
      const source = headerLines.get(line);
      if (!source) return undefined;
      const start = Math.min(column - 1, source.text.length);
      return {
        start: { line, column: start + 1, offset: source.start + start },
        end: { line, column: source.text.length + 1, offset: source.start + source.text.length },
      };
    };

    const files = context.schemaFiles;
    const schemaDir = context.config.schemaDir;
    // Plain words of a description count as object names when some schema file creates a table of that name.
    const knownTables = () => knownTablesOf(files);
    for (const ref of header.sourceOfTruth) {
      // [N/A]: the entry says the file does not apply.
      if (ref.checkbox?.state === 'not-applicable') continue;
      const written = ref.writtenPath ?? ref.file;
      const file = resolve(ref, files, schemaDir);
      if (!file) {
        const available = [...files.keys()].map(baseName);
        const sameNumber = available.find((name) => name.slice(0, 3) === baseName(ref.file).slice(0, 3));
        context.report({
          message: `source-of-truth file ${written} does not exist${available.length === 0 ? ` (no .sql files in ${schemaDir}/)` : ` in ${schemaDir}/`}`,
          range: rangeAt(ref.line, ref.column),
          hint:
            available.length === 0
              ? `create ${schemaDir}/ with the schema files, or set "schemaDir" in pgwarden.config.json`
              : `reference one of the existing files${sameNumber ? `, probably ${schemaDir}/${sameNumber}` : ''}: ${available.join(', ')}`,
        });
        continue;
      }
      if (file.readError) {
        context.report({
          message: `source-of-truth file ${written} ${file.readError}`,
          range: rangeAt(ref.line, ref.column),
          hint: `make ${file.relPath} a readable UTF-8 file inside the workspace (not a symbolic link to a file elsewhere)`,
        });
        continue;
      }

      const total = lineCount(file);
      // Before execution the schema is not updated yet: an open box is checked for its file and line numbers only.
      const updated = ref.checkbox?.state !== 'open';
      for (const lineRef of ref.lines) checkLine(context, file, total, lineRef, updated, rangeAt(lineRef.line, lineRef.column), knownTables());
    }
  },
});
