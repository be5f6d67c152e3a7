import { iterateLines } from '../migration/lines.js';
import type { HeaderSection } from '../migration/types.js';
import { nodesUnder, relationsOf } from '../sql/index.js';
import type { RelationAction, SqlStatement } from '../sql/types.js';
import { nodesOf } from '../sql/nodes.js';
import { indexTableFinder } from './support/index-tables.js';
import { lineRange, sourceLine } from './support/line-ranges.js';
import { namesKey, splitKey, strings } from './support/names.js';
import { defineRule } from './types.js';

/** What the migration does to a table that makes it an affected table, as the message says it. */
const TOUCHING: Partial<Record<RelationAction, string>> = {
  create: 'created',
  alter: 'altered',
  drop: 'dropped',
  truncate: 'truncated',
  insert: 'written (INSERT)',
  update: 'written (UPDATE)',
  delete: 'written (DELETE)',
  index: 'indexed',
  policy: 'given a policy',
  trigger: 'given a trigger',
  rls: 'given row level security',
  comment: 'commented',
  rename: 'renamed',
};
const NONE = /^(?:none|n\/a|na|nothing|-+)$/i;
const IDENTIFIER = /("(?:[^"]|"")+"|[\p{L}_][\p{L}\p{N}_$]*)(?:[ \t]*\.[ \t]*("(?:[^"]|"")+"|[\p{L}_][\p{L}\p{N}_$]*))?/uy;
const PLACEHOLDER = /\btable_name_\d\b/i;
/** A note saying the table is affected without being named in the SQL. */
const INDIRECT_NOTE = /\([^)]*\b(?:indirect(?:ly)?|via|through|read[- ]only|reads?|referenced|by trigger|cascade[sd]?)\b[^)]*\)/i;
const WORD = /[\p{L}_][\p{L}\p{N}_$]*/gu;

interface TableName {
  /** Lower-cased schema; empty for the default schema (`public`, or unqualified). */
  schema: string;
  name: string;
  /** As it should be written in the list. */
  display: string;
}

interface ListedTable extends TableName {
  /** Annotated as touched indirectly (`(indirectly)`, `(via trigger)`, `(read only)`): the SQL need not name it. */
  indirect: boolean;
  line: number;
  /** 1-based column of the name on its header line. */
  column: number;
  length: number;
}

function unquote(part: string): string {
  return part.startsWith('"') ? part.slice(1, -1).replace(/""/g, '"') : part;
}

function tableName(schema: string | undefined, name: string): TableName {
  const lowerSchema = schema?.toLowerCase() ?? '';
  const normalisedSchema = lowerSchema === 'public' ? '' : lowerSchema;
  return { schema: normalisedSchema, name: name.toLowerCase(), display: normalisedSchema ? `${schema}.${name}` : name };
}

function keyOf(table: TableName): string {
  return `${table.schema}.${table.name}`;
}

/** A listed name without a schema matches the table in any schema (`users` for `auth.users`). */
function matches(listed: TableName, touched: TableName): boolean {
  return listed.name === touched.name && (listed.schema === '' || listed.schema === touched.schema);
}

/**
 * The tables of an AFFECTED TABLES section: comma (or `;`, `and`) separated, over continuation
 * lines and `-` bullets; notes in parentheses (which may hold commas) are ignored, and so is
 * anything after the first name of an item (`documents - new column`).
 */
function listedTables(section: HeaderSection, text: string): { tables: ListedTable[]; none: boolean } {
  const segments: { text: string; line: number; column: number }[] = [];
  const continuation = new Set(section.lines.map((line) => line.line));
  for (const source of iterateLines(text)) {
    if (source.number < section.line) continue;
    if (source.number > section.endLine) break;
    if (source.number === section.line) {
      const colon = source.text.indexOf(':');
      segments.push({ text: source.text.slice(colon + 1), line: source.number, column: colon + 2 });
    } else if (continuation.has(source.number)) {
      const prefix = /^\s*--/.exec(source.text)?.[0].length ?? 0;
      segments.push({ text: source.text.slice(prefix), line: source.number, column: prefix + 1 });
    }
  }

  const tables: ListedTable[] = [];
  let none = false;
  let depth = 0;
  for (const segment of segments) {
    // Blank out parenthesised notes, keeping columns (a space per UTF-16 unit).
    const units = new Array<string>(segment.text.length);
    for (let index = 0; index < segment.text.length; index++) {
      const unit = segment.text[index]!;
      if (unit === '(') depth++;
      units[index] = depth > 0 ? ' ' : unit;
      if (unit === ')' && depth > 0) depth--;
    }
    const visible = units.join('');
    // Items are separated by `,`, `;` and the word `and`.
    const items: { text: string; index: number }[] = [];
    let itemStart = 0;
    for (const separator of visible.matchAll(/[,;]|\band\b/gi)) {
      items.push({ text: visible.slice(itemStart, separator.index), index: itemStart });
      itemStart = separator.index + separator[0].length;
    }
    items.push({ text: visible.slice(itemStart), index: itemStart });

    for (const item of items) {
      // A bullet, then an optional label such as `NEW:` or `MODIFIED:` before the name.
      const bullet = /^\s*(?:[-*\u2022]\s+)?(?:[A-Za-z][A-Za-z ]{0,30}:\s*)?/.exec(item.text)![0].length;
      const body = item.text.slice(bullet).trim();
      if (body === '') continue;
      if (NONE.test(body) || NONE.test(body.split(/\s+/)[0]!)) {
        none = true;
        continue;
      }
      IDENTIFIER.lastIndex = bullet;
      const match = IDENTIFIER.exec(item.text);
      if (!match) continue;
      const [schema, name] = match[2] ? [unquote(match[1]!), unquote(match[2])] : [undefined, unquote(match[1]!)];
      const note = segment.text.slice(item.index, item.index + item.text.length);
      tables.push({
        ...tableName(schema, name),
        indirect: INDIRECT_NOTE.test(note),
        line: segment.line,
        column: segment.column + item.index + bullet,
        length: match[0].length,
      });
    }
  }
  return { tables, none };
}

interface Touch {
  table: TableName;
  statement: SqlStatement;
  action: RelationAction;
}

/** Tables mentioned by the SQL, for the question "does it name this listed table?" (see matches). */
class MentionedTables {
  private readonly names = new Set<string>();
  private readonly keys = new Set<string>();

  add(table: TableName): void {
    this.names.add(table.name);
    this.keys.add(`${table.schema}\0${table.name}`); // NUL: a quoted name may hold a dot
  }

  /** A listed name without a schema matches the table in any schema. */
  includes(listed: TableName): boolean {
    return listed.schema === '' ? this.names.has(listed.name) : this.keys.has(`${listed.schema}\0${listed.name}`);
  }
}

/** Tables named anywhere in a statement: reads, foreign-key targets, and anything relationsOf reports. */
function mentionedIn(statement: SqlStatement, into: MentionedTables): void {
  for (const relation of relationsOf(statement)) into.add(tableName(relation.schema, relation.name));
  for (const rangeVar of nodesUnder(statement.node, 'RangeVar')) {
    if (typeof rangeVar.relname === 'string') into.add(tableName(rangeVar.schemaname, rangeVar.relname));
  }
  for (const constraint of nodesUnder(statement.node, 'Constraint')) {
    if (typeof constraint.pktable?.relname === 'string') into.add(tableName(constraint.pktable.schemaname, constraint.pktable.relname));
  }
}

/** Lower-cased words of the function and DO bodies, outside line comments. */
function routineWordsOf(statements: readonly SqlStatement[]): Set<string> {
  const words = new Set<string>();
  for (const statement of statements) {
    if (statement.kind !== 'CreateFunctionStmt' && statement.kind !== 'DoStmt') continue;
    for (const [word] of statement.text.replace(/--[^\n]*/g, ' ').matchAll(WORD)) words.add(word.toLowerCase());
  }
  return words;
}

export const rule = defineRule({
  id: 'affected-tables',
  category: 'convention',
  defaultSeverity: 'error',
  description: "The header's AFFECTED TABLES list matches the tables the SQL touches, as found in the parsed statements.",
  check(context) {
    const { header, text } = context.migration;
    const section = header?.sections.find((candidate) => candidate.key === 'AFFECTED TABLES');
    // header-fields reports a missing, empty or placeholder list.
    if (!section || section.value.trim() === '' || PLACEHOLDER.test(section.value)) return;
    const listed = listedTables(section, text);
    if (listed.tables.length === 0 && !listed.none) return;

    // Statements the migration executes: top level and DO blocks. Function bodies run when called.
    const executed = [...context.sql.statements, ...context.sql.nested.filter((statement) => statement.parent?.kind !== 'CreateFunctionStmt')].sort(
      (a, b) => a.range.start.offset - b.range.start.offset,
    );
    const touched = new Map<string, Touch>();
    for (const statement of executed) {
      for (const relation of relationsOf(statement)) {
        if (!TOUCHING[relation.action]) continue;
        const table = tableName(relation.schema, relation.name);
        if (!touched.has(keyOf(table))) touched.set(keyOf(table), { table, statement, action: relation.action });
      }
    }

    const missing = [...touched.values()].filter((touch) => !listed.tables.some((table) => matches(table, touch.table)));
    const names = [...listed.tables.map((table) => table.display), ...missing.map((touch) => touch.table.display)];
    for (const touch of missing) {
      context.report({
        statement: touch.statement,
        message: `${touch.table.display} is ${TOUCHING[touch.action]} here but missing from AFFECTED TABLES (line ${section.line})${listed.none ? ', which says none' : ''}`,
        hint: `list it: "-- AFFECTED TABLES: ${[...new Set(names)].join(', ')}"`,
      });
    }

    // A statement that failed to parse may touch any table: do not call listed tables unused then.
    if (context.sql.errors.length > 0) return;
    const mentioned = new MentionedTables();
    for (const statement of [...context.sql.statements, ...context.sql.nested]) mentionedIn(statement, mentioned);
    // Function and DO bodies reach tables the parser cannot see: SELECTs, RETURN QUERY, EXECUTE format('... %I', 'visits').
    // Their words are read only when a listed table is not found otherwise.
    let routineWords: Set<string> | undefined;
    // DROP INDEX / ALTER INDEX name an index, not its table: look the table up where the index was created.
    const indexTable = indexTableFinder(context);
    for (const statement of [...context.sql.statements, ...context.sql.nested]) {
      if (statement.kind !== 'DropStmt' || statement.node.removeType !== 'OBJECT_INDEX') continue;
      for (const object of nodesOf(statement.node.objects, 'List')) {
        const table = indexTable(namesKey(strings(object.items)));
        if (table) mentioned.add(tableName(splitKey(table).schema, splitKey(table).name));
      }
    }
    const reported = new Set<string>();
    for (const table of listed.tables) {
      if (table.indirect || reported.has(keyOf(table)) || mentioned.includes(table)) continue;
      if ((routineWords ??= routineWordsOf(context.sql.statements)).has(table.name)) continue;
      reported.add(keyOf(table));
      const remaining = listed.tables.filter((other) => keyOf(other) !== keyOf(table)).map((other) => other.display);
      const kept = [...new Set([...remaining, ...missing.map((touch) => touch.table.display)])];
      const line = sourceLine(text, table.line);
      context.report({
        range: line && lineRange(line, table.column, table.column + table.length),
        message: `AFFECTED TABLES lists ${table.display}, but the SQL never touches it`,
        hint: `remove it ("-- AFFECTED TABLES: ${kept.length > 0 ? kept.join(', ') : 'none'}"), or check that the SQL is complete`,
      });
    }
  },
});
