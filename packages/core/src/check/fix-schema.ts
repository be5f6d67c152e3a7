/**
 * `check --fix`: writes what the history changed into current_schema/, keeping each file's
 * comments and layout. Driven by the catalog diff (what current_schema/ lacks or has in excess)
 * and the migrations' own statements (the SQL to write). What it cannot write is returned with
 * the file to edit, never guessed.
 */
import type { CatalogChange } from '../catalog/types.js';
import { parseSql } from '../sql/index.js';
import type { SqlStatement } from '../sql/types.js';
import { addedColumnText, indentationAt, lineEnd, statementEnd, statementLines, statementSource, tableElements, type TextSpan } from './schema-text.js';
import { looseFunctionKey, statementObjects, type StatementObject, type StatementObjects } from './statement-objects.js';

export interface SqlSource {
  /** Path relative to the workspace root, e.g. `current_schema/03_clinical_core.sql`. */
  path: string;
  text: string;
}

export interface MigrationSource extends SqlSource {
  /** `current_schema/` files the header's SOURCE OF TRUTH section names, in order: where new objects go. */
  sourceOfTruthFiles?: string[];
}

export interface FixNote {
  change: CatalogChange;
  /** The current_schema/ file written (or to edit by hand) and the 1-based line. */
  file?: string;
  line?: number;
  message: string;
}

export interface SchemaFixPlan {
  /** New text of each schema file that changes. */
  files: Map<string, string>;
  written: FixNote[];
  unwritable: FixNote[];
}

interface IndexedStatement {
  source: SqlSource;
  statement: SqlStatement;
  objects: StatementObjects;
  order: number;
}

interface Edit extends TextSpan {
  text: string;
  /** Planning order: of two insertions at one offset, the one planned first comes first. */
  sequence?: number;
}

/** Statements of a file with the objects they touch; a statement nested in a DO block speaks for its block. */
function indexStatements(source: SqlSource, orderBase: number): IndexedStatement[] {
  const parsed = parseSql(source.text);
  const indexed = parsed.statements.map((statement, index) => ({ source, statement, objects: statementObjects(statement), order: orderBase + index }));
  const byParent = new Map(indexed.map((entry) => [entry.statement, entry]));
  for (const nested of parsed.nested) {
    let top = nested.parent;
    while (top?.parent) top = top.parent;
    const owner = top && byParent.get(top);
    if (!owner || owner.statement.kind !== 'DoStmt') continue;
    const objects = statementObjects(nested);
    owner.objects = {
      defines: [...owner.objects.defines, ...objects.defines],
      alters: [...owner.objects.alters, ...objects.alters],
      drops: [...owner.objects.drops, ...objects.drops],
    };
  }
  return indexed;
}

function sameKey(a: string, b: string): boolean {
  return a === b || (a.includes('(') && looseFunctionKey(a) === looseFunctionKey(b));
}

function mentions(list: StatementObject[], key: string): boolean {
  return list.some((object) => sameKey(object.key, key));
}

function touchesTable(entry: IndexedStatement, table: string): boolean {
  const all = [...entry.objects.defines, ...entry.objects.alters, ...entry.objects.drops];
  return all.some((object) => object.key === table || object.table === table);
}

/** The table a change's object belongs to: itself for relations, its table for members. */
function tableOf(change: CatalogChange): string | undefined {
  const { kind, key } = change.object;
  if (kind === 'table' || kind === 'view' || kind === 'materialized_view') return key;
  if (kind === 'column' || kind === 'constraint' || kind === 'trigger' || kind === 'policy') return key.slice(0, key.lastIndexOf('.'));
  return undefined;
}

export class SchemaFixer {
  private readonly schema: IndexedStatement[] = [];
  private readonly history: IndexedStatement[] = [];
  private readonly edits = new Map<string, Edit[]>();
  private readonly plan: SchemaFixPlan = { files: new Map(), written: [], unwritable: [] };
  private sequence = 0;
  /** Definitions appended at the end of a file, with a pattern that finds their name in other insertions. */
  private readonly appended: { file: SqlSource; edit: Edit; note: FixNote; carried: string; uses: RegExp }[] = [];

  constructor(
    private readonly schemaFiles: SqlSource[],
    migrations: MigrationSource[],
  ) {
    let order = 0;
    for (const file of schemaFiles) {
      const entries = indexStatements(file, order);
      order += entries.length;
      this.schema.push(...entries);
    }
    for (const migration of migrations) {
      const entries = indexStatements(migration, order);
      order += entries.length;
      this.history.push(...entries);
    }
  }

  /** Plans every change; changes of members of a table that is itself added or removed travel with the table. */
  fix(changes: CatalogChange[]): SchemaFixPlan {
    const wholeTables = new Set(
      changes.filter((change) => change.action !== 'changed' && ['table', 'view', 'materialized_view'].includes(change.object.kind)).map((change) => change.object.key),
    );
    for (const change of changes) {
      const table = this.tableOf(change);
      if (table && table !== change.object.key && wholeTables.has(table)) continue;
      if (change.action === 'added') this.add(change);
      else if (change.action === 'removed') this.remove(change);
      else this.update(change);
    }
    this.placeDefinitionsBeforeUsers();
    for (const file of this.schemaFiles) {
      const edits = this.edits.get(file.path);
      if (!edits?.length) continue;
      let text = file.text;
      for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end || b.sequence! - a.sequence!)) text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
      this.plan.files.set(file.path, text);
    }
    return this.plan;
  }

  private edit(change: CatalogChange, file: SqlSource, edit: Edit, message: string): { edit: Edit; note: FixNote } | undefined {
    const list = this.edits.get(file.path) ?? [];
    const overlaps = list.some((other) => edit.start < other.end && other.start < edit.end);
    if (overlaps) {
      this.cannot(change, `${message}: another fix already rewrites that text`, file.path, lineOf(file.text, edit.start));
      return undefined;
    }
    const planned = { ...edit, sequence: this.sequence++ };
    list.push(planned);
    this.edits.set(file.path, list);
    const note: FixNote = { change, file: file.path, line: lineOf(file.text, edit.start), message };
    this.plan.written.push(note);
    return { edit: planned, note };
  }

  /**
   * current_schema/ builds in file order: a function or type appended at the end of a file moves up
   * to just before the first insertion that names it earlier in the build (a trigger written beside
   * its table, a column added to its CREATE TABLE, a policy).
   */
  private placeDefinitionsBeforeUsers(): void {
    const fileIndex = new Map(this.schemaFiles.map((file, index) => [file.path, index]));
    const earlier = (a: { file: string; edit: Edit }, b: { file: string; edit: Edit }) =>
      fileIndex.get(a.file)! - fileIndex.get(b.file)! || a.edit.start - b.edit.start || a.edit.sequence! - b.edit.sequence!;
    for (const appended of this.appended) {
      const users = [...this.edits].flatMap(([file, edits]) => edits.filter((edit) => edit !== appended.edit && appended.uses.test(edit.text)).map((edit) => ({ file, edit })));
      const first = users.sort(earlier)[0];
      if (!first || earlier(first, { file: appended.file.path, edit: appended.edit }) > 0) continue;
      const own = this.edits.get(appended.file.path)!;
      own.splice(own.indexOf(appended.edit), 1);
      const target = this.schemaFiles.find((file) => file.path === first.file)!;
      const before = target.text[first.edit.start - 1] === '\n' ? '\n' : '\n\n';
      // Inserted at the user's offset, ahead of it: a lower sequence comes first among insertions at one offset.
      Object.assign(appended.edit, { start: first.edit.start, end: first.edit.start, text: `${before}${appended.carried}\n`, sequence: first.edit.sequence! - 0.5 });
      this.edits.get(first.file)!.push(appended.edit);
      Object.assign(appended.note, { file: first.file, line: lineOf(target.text, first.edit.start), message: `${appended.note.message}, before its first use` });
    }
  }

  /** The table of a change's object; for an index, the table its CREATE INDEX names. */
  private tableOf(change: CatalogChange): string | undefined {
    const direct = tableOf(change);
    if (direct || change.object.kind !== 'index') return direct;
    const key = change.object.key;
    const find = (entry: IndexedStatement | undefined) => entry?.objects.defines.find((object) => object.key === key)?.table;
    return find(this.historyDefinition(key)) ?? find(this.schemaDefinition(key));
  }

  private cannot(change: CatalogChange, message: string, file?: string, line?: number): void {
    this.plan.unwritable.push({ change, file, line, message });
  }

  /** The last migration statement that defines the object, unless a later one drops it. */
  private historyDefinition(key: string): IndexedStatement | undefined {
    let found: IndexedStatement | undefined;
    for (const entry of this.history) {
      if (mentions(entry.objects.defines, key)) found = entry;
      else if (mentions(entry.objects.drops, key) && !mentions(entry.objects.defines, key)) found = undefined;
    }
    return found;
  }

  /** Migration statements after `from` that alter the object (or, for a table, any of its members). */
  private historyFollowers(key: string, from: IndexedStatement | undefined, includeMembers: boolean): IndexedStatement[] {
    return this.history.filter(
      (entry) =>
        entry !== from &&
        (!from || entry.order > from.order) &&
        entry.objects.drops.length === 0 &&
        (mentions(entry.objects.alters, key) || mentions(entry.objects.defines, key) || (includeMembers && touchesTable(entry, key))),
    );
  }

  private schemaDefinition(key: string): IndexedStatement | undefined {
    return this.schema.find((entry) => mentions(entry.objects.defines, key));
  }

  /** Where statements about `table` go: after the last statement of its file that touches it. */
  private afterTable(table: string): { file: SqlSource; offset: number } | undefined {
    const touching = this.schema.filter((entry) => touchesTable(entry, table));
    const definition = touching.find((entry) => mentions(entry.objects.defines, table));
    if (!definition) return undefined;
    const last = touching.filter((entry) => entry.source === definition.source).at(-1)!;
    return { file: last.source, offset: statementLines(last.source.text, last.statement).end };
  }

  /** Where a new object without a table goes: the header's first source-of-truth file, else the last schema file. */
  private fileFor(entry: IndexedStatement): SqlSource | undefined {
    const migration = entry.source as MigrationSource;
    for (const wanted of migration.sourceOfTruthFiles ?? []) {
      const file = this.schemaFiles.find((candidate) => candidate.path === wanted || candidate.path.endsWith(`/${wanted}`));
      if (file) return file;
    }
    const referenced = [...entry.objects.defines, ...entry.objects.alters].map((object) => object.table).find(Boolean);
    const tableHome = referenced ? this.schemaDefinition(referenced)?.source : undefined;
    return tableHome ?? this.schemaFiles.at(-1);
  }

  private carried(entries: IndexedStatement[]): string {
    return entries.map((entry) => statementSource(entry.source.text, entry.statement)).join('\n\n');
  }

  private add(change: CatalogChange): void {
    const { kind, key } = change.object;
    if (kind === 'column') return this.addColumn(change);
    const definition = this.historyDefinition(key);
    if (!definition) {
      const table = this.tableOf(change);
      const followers = this.historyFollowers(key, undefined, false);
      if (table && followers.length) return this.insertNearTable(change, table, followers);
      return this.cannot(change, `no migration statement creates ${kind.replace(/_/g, ' ')} ${key}: write it into current_schema/ by hand`);
    }
    const isRelation = kind === 'table' || kind === 'view' || kind === 'materialized_view';
    const statements = [definition, ...this.historyFollowers(key, definition, isRelation)];
    const table = this.tableOf(change);
    if (table && table !== key) return this.insertNearTable(change, table, statements);
    if (kind === 'extension') return this.insertFirst(change, statements, definition);
    const file = this.fileFor(definition);
    if (!file) return this.cannot(change, 'current_schema/ has no file to write it into');
    const separator = file.text.endsWith('\n\n') ? '' : file.text.endsWith('\n') ? '\n' : '\n\n';
    const carried = this.carried(statements);
    const planned = this.edit(change, file, { start: file.text.length, end: file.text.length, text: `${separator}${carried}\n` }, `added ${kind.replace(/_/g, ' ')} ${key} from ${definition.source.path}`);
    if (planned && HOISTABLE.has(kind)) this.appended.push({ file, ...planned, carried, uses: namePattern(kind, key) });
  }

  /**
   * An extension goes before anything that may use it: at the top of the first schema file, after
   * its opening comment when a blank line ends it (a comment touching a statement belongs to it).
   */
  private insertFirst(change: CatalogChange, statements: IndexedStatement[], definition: IndexedStatement): void {
    const file = this.schemaFiles[0];
    if (!file) return this.cannot(change, 'current_schema/ has no file to write it into');
    const at = /^(?:--[^\n]*\n)+[ \t]*\n/.exec(file.text)?.[0].length ?? 0;
    this.edit(change, file, { start: at, end: at, text: `${this.carried(statements)}\n\n` }, `added ${change.object.kind} ${change.object.key} from ${definition.source.path}`);
  }

  /** `what`: how the note names the edit ("added trigger public.t.x", "added the history's changes to column public.t.c"). */
  private insertNearTable(change: CatalogChange, table: string, statements: IndexedStatement[], what = `added ${change.object.kind.replace(/_/g, ' ')} ${change.object.key}`): void {
    const anchor = this.afterTable(table);
    if (!anchor) return this.cannot(change, `table ${table} is not created in current_schema/: add it first`);
    const before = anchor.file.text[anchor.offset - 1] === '\n' ? '\n' : '\n\n';
    this.edit(change, anchor.file, { start: anchor.offset, end: anchor.offset, text: `${before}${this.carried(statements)}\n` }, `${what} beside table ${table}`);
  }

  private addColumn(change: CatalogChange): void {
    const key = change.object.key;
    const table = key.slice(0, key.lastIndexOf('.'));
    const column = key.slice(table.length + 1);
    const migration = this.historyDefinition(key);
    const columnText = migration && findAddColumn(migration, column);
    if (!migration || !columnText) return this.cannot(change, `no migration ADD COLUMN for ${key}: add the column to its CREATE TABLE by hand`, this.schemaDefinition(table)?.source.path);
    const create = this.schemaDefinition(table);
    if (!create || create.statement.kind !== 'CreateStmt') return this.cannot(change, `table ${table} is not created in current_schema/: add it first`);
    const text = create.source.text;
    const layout = tableElements(text, create.statement);
    const lastColumn = layout?.elements.filter((element) => element.column).at(-1);
    if (!layout || !lastColumn) return this.cannot(change, `cannot read the column list of ${table}`, create.source.path, create.statement.range.start.line);
    const indent = indentationAt(text, lastColumn.start);
    const message = `added column ${key} to CREATE TABLE ${table} (from ${migration.source.path})`;
    if (lastColumn.comma !== undefined) {
      // More elements follow: the new column goes on its own line after the last column's line.
      const at = lineEnd(text, lastColumn.comma);
      this.edit(change, create.source, { start: at, end: at, text: `\n${indent}${columnText},` }, message);
    } else {
      // Last element: a comma after it, the new column on the next line (a trailing comment stays on its line).
      const at = lineEnd(text, lastColumn.end);
      const sameLine = at < layout.close;
      if (sameLine) this.edit(change, create.source, { start: lastColumn.end, end: at, text: `,${text.slice(lastColumn.end, at)}\n${indent}${columnText}` }, message);
      else this.edit(change, create.source, { start: lastColumn.end, end: lastColumn.end, text: `,\n${indent}${columnText}` }, message);
    }
    // What the history did to the column after adding it (a COMMENT, a new default) goes beside the table.
    const followers = this.historyFollowers(key, migration, false).filter((entry) => !mentions(entry.objects.defines, key));
    if (followers.length) this.insertNearTable(change, table, followers, `added the history's changes to column ${key}`);
  }

  private remove(change: CatalogChange): void {
    const { kind, key } = change.object;
    if (kind === 'column') return this.removeColumn(change);
    const isRelation = kind === 'table' || kind === 'view' || kind === 'materialized_view';
    const doomed = this.schema.filter((entry) => {
      if (mentions(entry.objects.defines, key)) return true;
      const touched = [...entry.objects.defines, ...entry.objects.alters];
      if (touched.length === 0) return false;
      // A statement about nothing but this object (or, for a table, its members) goes with it.
      return touched.every((object) => sameKey(object.key, key) || (isRelation && object.table === key));
    });
    if (doomed.length === 0) return this.cannot(change, `${kind.replace(/_/g, ' ')} ${key} is not written as a statement of current_schema/: remove it by hand`);
    for (const entry of doomed) {
      const span = statementLines(entry.source.text, entry.statement);
      this.edit(change, entry.source, { ...span, text: '' }, `removed ${kind.replace(/_/g, ' ')} ${key} (dropped by the history)`);
    }
  }

  private removeColumn(change: CatalogChange): void {
    const key = change.object.key;
    const table = key.slice(0, key.lastIndexOf('.'));
    const column = key.slice(table.length + 1);
    const create = this.schemaDefinition(table);
    const layout = create && create.statement.kind === 'CreateStmt' ? tableElements(create.source.text, create.statement) : undefined;
    const index = layout?.elements.findIndex((element) => element.column === column) ?? -1;
    if (!create || !layout || index < 0) return this.cannot(change, `column ${key} is not in a CREATE TABLE of current_schema/: remove it by hand`, create?.source.path);
    const text = create.source.text;
    const element = layout.elements[index]!;
    const message = `removed column ${key} (dropped by the history)`;
    const lineFrom = text.lastIndexOf('\n', element.start - 1) + 1;
    if (element.comma !== undefined) {
      // Remove the element through its comma; the whole line when it sits alone on it.
      const end = lineEnd(text, element.comma);
      const rest = text.slice(element.comma + 1, end);
      const whole = text.slice(lineFrom, element.start).trim() === '' && (rest.trim() === '' || rest.trim().startsWith('--'));
      this.edit(change, create.source, whole ? { start: lineFrom, end: Math.min(end + 1, text.length), text: '' } : { start: element.start, end: element.comma + 1, text: '' }, message);
    } else {
      // The last element: take the previous element's comma with it.
      const previous = layout.elements[index - 1];
      if (!previous?.comma) return this.cannot(change, `column ${key} is the only column of ${table}: remove the table or the column by hand`, create.source.path);
      this.edit(change, create.source, { start: previous.comma, end: element.end, text: '' }, message);
    }
  }

  private update(change: CatalogChange): void {
    const { kind, key } = change.object;
    const definition = this.historyDefinition(key);
    const current = this.schemaDefinition(key);
    const replaceable = ['function', 'view', 'materialized_view', 'policy', 'trigger', 'index', 'domain', 'composite_type', 'enum'].includes(kind);
    if (replaceable && definition && current) {
      const span = { start: current.statement.range.start.offset, end: statementEnd(current.source.text, current.statement) };
      const followers = this.historyFollowers(key, definition, false);
      this.edit(change, current.source, { ...span, text: this.carried([definition, ...followers]) }, `replaced ${kind.replace(/_/g, ' ')} ${key} with its definition in ${definition.source.path}`);
      return;
    }
    if (kind === 'enum' && current?.statement.kind === 'CreateEnumStmt' && change.property === 'labels' && Array.isArray(change.after)) {
      return this.rewriteEnumLabels(change, current, change.after as string[]);
    }
    // Anything else the history changed with ALTER/COMMENT/GRANT: those statements go beside the object.
    const alters = this.historyFollowers(key, definition, false).filter((entry) => !mentions(entry.objects.defines, key));
    const table = this.tableOf(change);
    if (alters.length && table) return this.insertNearTable(change, table, alters, `added the history's changes to ${kind.replace(/_/g, ' ')} ${key}`);
    if (alters.length && current) {
      const at = statementLines(current.source.text, current.statement).end;
      this.edit(change, current.source, { start: at, end: at, text: `\n${this.carried(alters)}\n` }, `added the history's changes to ${kind.replace(/_/g, ' ')} ${key}`);
      return;
    }
    this.cannot(change, `${change.message}: edit it by hand`, current?.source.path, current?.statement.range.start.line);
  }

  private rewriteEnumLabels(change: CatalogChange, current: IndexedStatement, labels: string[]): void {
    const text = current.source.text;
    const start = current.statement.range.start.offset;
    const open = text.indexOf('(', text.slice(start).search(/\bENUM\b/i) + start);
    const close = statementEndOffset(current);
    const closeParen = text.lastIndexOf(')', close);
    if (open < 0 || closeParen < open) return this.cannot(change, 'cannot read the enum label list', current.source.path, current.statement.range.start.line);
    const multiline = text.slice(open, closeParen).includes('\n');
    const indent = multiline ? indentationAt(text, text.indexOf('\n', open) + 1) : '';
    const quoted = labels.map((label) => `'${label.replace(/'/g, "''")}'`);
    const body = multiline ? `\n${quoted.map((label) => `${indent}${label}`).join(',\n')}\n` : quoted.join(', ');
    this.edit(change, current.source, { start: open + 1, end: closeParen, text: body }, `rewrote the labels of enum ${change.object.key}`);
  }
}

function statementEndOffset(entry: IndexedStatement): number {
  return entry.statement.range.end.offset;
}

function findAddColumn(entry: IndexedStatement, column: string): string | undefined {
  const statements = entry.statement.kind === 'AlterTableStmt' ? [entry.statement] : [];
  for (const statement of statements) {
    const found = addedColumnText(entry.source.text, statement, column);
    if (found) return found;
  }
  return undefined;
}

/** What other statements use by name and nothing creates implicitly: safe to move up to its first user. */
const HOISTABLE: ReadonlySet<string> = new Set(['function', 'procedure', 'enum', 'domain', 'composite_type', 'sequence']);

/** Where SQL names the object of `key`: a function by its name and an opening parenthesis, anything else by its name as a word. */
function namePattern(kind: string, key: string): RegExp {
  const unqualified = key.replace(/\(.*$/, '').split('.').at(-1)!;
  const name = unqualified.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(kind === 'function' || kind === 'procedure' ? `(?<![\\w$])"?${name}"?\\s*\\(` : `(?<![\\w$])"?${name}"?(?![\\w$])`, 'i');
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) line++;
  return line;
}

/**
 * The migration statement that last created, changed or dropped an object: where a difference
 * between current_schema/ and the history comes from. Call `await loadParser()` first.
 */
export function historyStatementFor(migrations: SqlSource[], key: string): { path: string; line: number } | undefined {
  let found: IndexedStatement | undefined;
  let order = 0;
  for (const migration of migrations) {
    for (const entry of indexStatements(migration, order)) {
      const { defines, alters, drops } = entry.objects;
      if (mentions(defines, key) || mentions(alters, key) || mentions(drops, key) || [...defines, ...alters, ...drops].some((object) => object.table === key)) found = entry;
    }
    order += 1_000_000;
  }
  return found && { path: found.source.path, line: found.statement.range.start.line };
}

/** Plans the current_schema/ edits that make it match the history. Call `await loadParser()` first. */
export function planSchemaFix(schemaFiles: SqlSource[], migrations: MigrationSource[], changes: CatalogChange[]): SchemaFixPlan {
  return new SchemaFixer(schemaFiles, migrations).fix(changes);
}
