/**
 * Overlays: curated per-table JSON kept beside the schema (descriptions, examples, guidance,
 * allowed values, a pointer to the `current_schema/` lines the table comes from). They are
 * merged into the json-schema and zod outputs and verified against the catalog, each finding
 * naming the overlay file, the line of the key and the key. Keys pgwarden does not know are
 * kept (carried into the outputs as `x-` annotations), never rejected.
 *
 * Shape (every key optional except a way to name the table):
 *   { "table": "public.users", "description": "...", "source": "current_schema/02_profiles.sql:10-40",
 *     "columns": { "status": { "type": "text", "required": true, "default": "active",
 *                              "allowed_values": ["active", "suspended"], "examples": [...], "guidance": "..." },
 *                  "score": "integer? (default: 1)" } }
 * Without `table`, the file name names it: `users.json`, `public.users.json`, `users.extract.json`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { compareCodePoints, DEFAULT_SCHEMA } from '../catalog/index.js';
import { loadParser, parseSql } from '../sql/index.js';
import { JsonSyntaxError, parseJsonWithLines } from './json-lines.js';
import type { ColumnModel, TableModel, ValueType } from './table-model.js';

export interface OverlayFinding {
  /** Overlay file, relative to the workspace root, `/` separators. */
  file: string;
  line: number;
  /** JSON pointer-like key path, e.g. `columns.status.allowed_values`. */
  key: string;
  message: string;
}

export interface OverlayColumn {
  name: string;
  line: number;
  /** The short string form (`"a|b|c (default: a)"`) when the entry is one. */
  short?: string;
  type?: string;
  description?: string;
  required?: boolean;
  hasDefault: boolean;
  default?: unknown;
  allowedValues?: unknown[];
  /** Which key held the allowed values (`allowed_values`, `enum`, ...), for findings. */
  allowedKey?: string;
  examples?: unknown[];
  guidance?: string;
  extra?: Record<string, unknown>;
  keyLine: (key: string) => number;
}

export interface Overlay {
  file: string;
  /** `schema.table`. */
  table: string;
  /** Named by its file name: the possible tables, settled by resolveOverlayTables. */
  tableCandidates?: string[];
  tableKeyLine: number;
  description?: string;
  source?: { file: string; from: number; to: number; line: number };
  columns: OverlayColumn[];
  extra?: Record<string, unknown>;
}

/** What the generators merge in: per table, per column. */
export interface TableAnnotations {
  description?: string;
  extra?: Record<string, unknown>;
  columns: Map<string, { description?: string; examples?: unknown[]; guidance?: string; extra?: Record<string, unknown> }>;
}

const TABLE_KEYS = new Set(['table', 'table_name', 'tableName', 'name', 'description', 'source', 'columns', 'fields', '$schema']);
const COLUMN_KEYS = new Set(['type', 'description', 'required', 'default', 'allowed_values', 'allowedValues', 'enum', 'values', 'examples', 'example', 'guidance']);

/** Reads every `*.json` under `dir` (recursively, code-point order). Unreadable files become findings. */
export function loadOverlays(dir: string, root: string): { overlays: Overlay[]; findings: OverlayFinding[] } {
  const overlays: Overlay[] = [];
  const findings: OverlayFinding[] = [];
  if (!existsSync(dir)) {
    findings.push({ file: relative(root, dir), line: 1, key: 'types.overlays', message: 'the overlays folder does not exist' });
    return { overlays, findings };
  }
  for (const file of listJsonFiles(dir)) {
    const shown = relative(root, file);
    try {
      overlays.push(parseOverlay(readFileSync(file, 'utf8'), shown));
    } catch (error) {
      const line = error instanceof JsonSyntaxError ? error.line : 1;
      findings.push({ file: shown, line, key: '', message: `not valid overlay JSON: ${(error as Error).message}` });
    }
  }
  return { overlays, findings };
}

function listJsonFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir).sort(compareCodePoints)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) found.push(...listJsonFiles(full));
    else if (entry.endsWith('.json')) found.push(full);
  }
  return found;
}

export function parseOverlay(text: string, file: string): Overlay {
  const { value, keyLines } = parseJsonWithLines(text);
  if (!isObject(value)) throw new JsonSyntaxError('the overlay must be a JSON object', 1);
  const tableName = firstString(value, ['table', 'table_name', 'tableName']);
  const candidates = tableName !== undefined ? undefined : tablesFromFileName(file);
  const table = tableName !== undefined ? qualify(tableName) : candidates![candidates!.length - 1]!;
  const tableKeyLine = keyLines.get(`/${tableName !== undefined ? Object.keys(value).find((k) => value[k] === tableName) : ''}`) ?? 1;
  const overlay: Overlay = { file, table, tableKeyLine, columns: [] };
  if (candidates) overlay.tableCandidates = candidates;
  if (typeof value.description === 'string') overlay.description = value.description;
  const source = parseSource(value.source);
  if (source) overlay.source = { ...source, line: keyLines.get('/source') ?? 1 };
  const columnsKey = isObject(value.columns) ? 'columns' : isObject(value.fields) ? 'fields' : undefined;
  const columns = columnsKey ? (value[columnsKey] as Record<string, unknown>) : {};
  for (const [name, entry] of Object.entries(columns)) {
    const pointer = `/${columnsKey}/${name}`;
    const keyLine = (key: string) => keyLines.get(`${pointer}/${key}`) ?? keyLines.get(pointer) ?? 1;
    const column: OverlayColumn = { name, line: keyLines.get(pointer) ?? 1, hasDefault: false, keyLine };
    if (typeof entry === 'string') Object.assign(column, parseShortForm(entry));
    else if (isObject(entry)) {
      if (typeof entry.type === 'string') column.type = entry.type;
      if (typeof entry.description === 'string') column.description = entry.description;
      if (typeof entry.required === 'boolean') column.required = entry.required;
      if ('default' in entry) {
        column.hasDefault = true;
        column.default = entry.default;
      }
      for (const key of ['allowed_values', 'allowedValues', 'enum', 'values']) {
        if (Array.isArray(entry[key])) {
          column.allowedValues = entry[key] as unknown[];
          column.allowedKey = key;
          break;
        }
      }
      if (Array.isArray(entry.examples)) column.examples = entry.examples;
      else if (entry.example !== undefined) column.examples = [entry.example];
      if (typeof entry.guidance === 'string') column.guidance = entry.guidance;
      const extra = Object.fromEntries(Object.entries(entry).filter(([k]) => !COLUMN_KEYS.has(k)));
      if (Object.keys(extra).length > 0) column.extra = extra;
    }
    overlay.columns.push(column);
  }
  const extra = Object.fromEntries(Object.entries(value).filter(([k]) => !TABLE_KEYS.has(k)));
  if (Object.keys(extra).length > 0) overlay.extra = extra;
  return overlay;
}

/** `"integer? (default: 1)"`, `"a|b|c (default: a)"`: type or allowed values, `?` for optional, a default. */
function parseShortForm(text: string): Partial<OverlayColumn> {
  const match = /^\s*(.*?)(\?)?\s*(?:\(default:\s*(.*)\))?\s*$/.exec(text)!;
  const [, head = '', optional, defaultText] = match;
  const result: Partial<OverlayColumn> = { short: text, required: optional ? false : undefined };
  if (head.includes('|')) {
    result.allowedValues = head.split('|').map((v) => v.trim());
    result.allowedKey = 'short form';
  } else if (head) result.type = head;
  if (defaultText !== undefined) {
    result.hasDefault = true;
    result.default = /^-?\d+(\.\d+)?$/.test(defaultText) ? Number(defaultText) : defaultText === 'true' || defaultText === 'false' ? defaultText === 'true' : defaultText;
  }
  if (result.required === undefined) delete result.required;
  return result;
}

function parseSource(value: unknown): { file: string; from: number; to: number } | undefined {
  if (typeof value === 'string') {
    const match = /^(.*?):(\d+)(?:-(\d+))?$/.exec(value.trim());
    if (match) return { file: match[1]!, from: Number(match[2]), to: Number(match[3] ?? match[2]) };
    return undefined;
  }
  if (isObject(value) && typeof value.file === 'string') {
    const lines = Array.isArray(value.lines) ? (value.lines as number[]) : typeof value.line === 'number' ? [value.line] : [];
    const from = Number(lines[0] ?? value.start);
    const to = Number(lines[1] ?? value.end ?? from);
    if (Number.isInteger(from)) return { file: value.file, from, to: Number.isInteger(to) ? to : from };
  }
  return undefined;
}

/** `users.json`, `users.extract.json` -> public.users; `billing.invoices.json` -> billing.invoices when that table exists. */
function tablesFromFileName(file: string): string[] {
  const parts = path.basename(file, '.json').split('.');
  const candidates = [qualify(parts[0]!)];
  if (parts.length >= 2) candidates.unshift(`${parts[0]}.${parts[1]}`);
  return candidates;
}

/** Settles tables named by file name: the first candidate that exists in the catalog. */
export function resolveOverlayTables(overlays: Overlay[], tableKeys: Set<string>): void {
  for (const overlay of overlays) {
    if (!overlay.tableCandidates) continue;
    overlay.table = overlay.tableCandidates.find((key) => tableKeys.has(key)) ?? overlay.tableCandidates[overlay.tableCandidates.length - 1]!;
  }
}

function qualify(name: string): string {
  return name.includes('.') ? name : `${DEFAULT_SCHEMA}.${name}`;
}

/** Merges overlays per table (files in code-point order; a later file's text wins). */
export function overlayAnnotations(overlays: Overlay[]): Map<string, TableAnnotations> {
  const result = new Map<string, TableAnnotations>();
  for (const overlay of overlays) {
    const table: TableAnnotations = result.get(overlay.table) ?? { columns: new Map() };
    if (overlay.description) table.description = overlay.description;
    if (overlay.extra) table.extra = { ...table.extra, ...overlay.extra };
    for (const column of overlay.columns) {
      const entry = table.columns.get(column.name) ?? {};
      if (column.description) entry.description = column.description;
      if (column.examples) entry.examples = column.examples;
      if (column.guidance) entry.guidance = column.guidance;
      if (column.extra) entry.extra = { ...entry.extra, ...column.extra };
      table.columns.set(column.name, entry);
    }
    result.set(overlay.table, table);
  }
  return result;
}

/** Verifies overlays against the catalog and the schema files. */
export async function checkOverlays(overlays: Overlay[], tables: TableModel[], root: string): Promise<OverlayFinding[]> {
  const findings: OverlayFinding[] = [];
  const byKey = new Map(tables.map((t) => [t.key, t]));
  const tableLines = new TableLineFinder(root);
  for (const overlay of overlays) {
    const table = byKey.get(overlay.table);
    if (!table) {
      const near = closest(overlay.table, [...byKey.keys()]);
      findings.push({ file: overlay.file, line: overlay.tableKeyLine, key: 'table', message: `table ${overlay.table} does not exist${near ? ` (did you mean ${near}?)` : ''}` });
      continue;
    }
    if (overlay.source) {
      const problem = await tableLines.check(overlay.source, table);
      if (problem) findings.push({ file: overlay.file, line: overlay.source.line, key: 'source', message: problem });
    }
    for (const entry of overlay.columns) {
      const column = table.columns.find((c) => c.name === entry.name);
      const at = (key: string, message: string) => findings.push({ file: overlay.file, line: entry.keyLine(key), key: `columns.${entry.name}${key ? `.${key}` : ''}`, message });
      if (!column) {
        const near = closest(entry.name, table.columns.map((c) => c.name));
        findings.push({ file: overlay.file, line: entry.line, key: `columns.${entry.name}`, message: `column ${entry.name} does not exist in ${table.key}${near ? ` (did you mean ${near}?)` : ''}` });
        continue;
      }
      const shortKey = entry.short !== undefined ? '' : undefined;
      if (entry.allowedValues) {
        const actual = column.type.kind === 'enum' ? column.type.values : column.type.kind === 'array' && column.type.items.kind === 'enum' ? column.type.items.values : undefined;
        const listed = entry.allowedValues.map(String);
        if (actual && (listed.length !== actual.length || listed.some((v) => !actual.includes(v)))) {
          const missing = actual.filter((v) => !listed.includes(v));
          const unknown = listed.filter((v) => !actual.includes(v));
          const parts = [missing.length ? `missing ${missing.join(', ')}` : '', unknown.length ? `not allowed by the database: ${unknown.join(', ')}` : ''].filter(Boolean);
          at(shortKey ?? entry.allowedKey ?? 'allowed_values', `allowed values differ from ${describeValues(column)} (${parts.join('; ') || 'duplicates'})`);
        } else if (!actual) {
          at(shortKey ?? entry.allowedKey ?? 'allowed_values', `lists allowed values but ${table.key}.${column.name} (${column.declaredType}) has no enum type or CHECK list to hold them`);
        }
      }
      if (entry.required === true && column.optionalOnInsert && !column.readOnly) {
        at(shortKey ?? 'required', `marked required, but ${column.nullable ? 'the column is nullable' : 'the column has a default'}`);
      }
      if (entry.required === false && !column.optionalOnInsert) {
        at(shortKey ?? 'required', 'marked optional, but the column is NOT NULL without a default: every insert must set it');
      }
      if (entry.type !== undefined) {
        const expected = typeFamily(column.type);
        const stated = statedFamily(entry.type, column);
        if (stated !== undefined && stated !== expected) at(shortKey ?? 'type', `type ${entry.type} does not match the column's type ${column.declaredType}`);
      }
      if (entry.hasDefault) {
        if (!column.hasDefault) at(shortKey ?? 'default', `states a default (${JSON.stringify(entry.default)}) but the column has none`);
        else if (column.defaultValue !== undefined && JSON.stringify(column.defaultValue) !== JSON.stringify(entry.default)) {
          at(shortKey ?? 'default', `default ${JSON.stringify(entry.default)} differs from the column's default ${JSON.stringify(column.defaultValue)}`);
        }
      }
    }
  }
  return findings;
}

function describeValues(column: ColumnModel): string {
  const type = column.type.kind === 'array' ? column.type.items : column.type;
  const values = type.kind === 'enum' ? type.values.join(', ') : '';
  return /^pg_catalog\./.test(type.typeName) ? `the CHECK list (${values})` : `enum ${type.typeName} (${values})`;
}

type Family = 'integer' | 'number' | 'string' | 'boolean' | 'json' | 'array' | 'object' | 'enum' | 'unknown';

function typeFamily(type: ValueType): Family {
  return type.kind === 'enum' && type.typeName.startsWith('pg_catalog.') ? 'string' : type.kind;
}

const STATED: Record<string, Family> = {
  int: 'integer', integer: 'integer', int2: 'integer', int4: 'integer', int8: 'integer', smallint: 'integer', bigint: 'integer', serial: 'integer', bigserial: 'integer',
  number: 'number', numeric: 'number', decimal: 'number', float: 'number', double: 'number', 'double precision': 'number', real: 'number', float4: 'number', float8: 'number',
  string: 'string', text: 'string', varchar: 'string', 'character varying': 'string', char: 'string', character: 'string', uuid: 'string', citext: 'string',
  date: 'string', timestamp: 'string', timestamptz: 'string', datetime: 'string', 'date-time': 'string', time: 'string', interval: 'string',
  'timestamp with time zone': 'string', 'timestamp without time zone': 'string',
  boolean: 'boolean', bool: 'boolean', json: 'json', jsonb: 'json', object: 'json', array: 'array',
};

/** The family an overlay's `type` names, or undefined when it is not a type word we know (never guessed). */
function statedFamily(stated: string, column: ColumnModel): Family | undefined {
  const word = stated.trim().toLowerCase().replace(/\(.*\)$/, '').trim();
  if (word.endsWith('[]')) return 'array';
  if (column.type.kind === 'enum' && (word === column.type.typeName.split('.')[1] || word === column.type.typeName || word === 'enum')) return typeFamily(column.type);
  if (column.type.kind === 'integer' && word === 'number') return 'integer'; // JSON "number" covers integers
  if (column.type.kind === 'enum' && (word === 'string' || word === 'text')) return typeFamily(column.type) === 'string' ? 'string' : 'enum';
  if (column.type.kind === 'object' && (word === 'object' || word === column.type.typeName.split('.')[1])) return 'object';
  if (column.type.kind === 'json' && (word === 'array' || word === 'object')) return 'json';
  return STATED[word];
}

class TableLineFinder {
  private readonly cache = new Map<string, Map<string, number> | undefined>();
  constructor(private readonly root: string) {}

  async check(source: { file: string; from: number; to: number }, table: TableModel): Promise<string | undefined> {
    const file = path.resolve(this.root, source.file);
    if (!this.cache.has(file)) this.cache.set(file, existsSync(file) ? await createTableLines(readFileSync(file, 'utf8')) : undefined);
    const lines = this.cache.get(file);
    if (!lines) return `points at ${source.file}, which does not exist`;
    const line = lines.get(table.key);
    if (line === undefined) return `points at ${source.file}, which does not create ${table.key}`;
    if (line < source.from || line > source.to) {
      return `points at ${source.file}:${source.from}${source.to !== source.from ? `-${source.to}` : ''}, but CREATE TABLE ${table.key} is at line ${line}`;
    }
    return undefined;
  }
}

async function createTableLines(text: string): Promise<Map<string, number>> {
  await loadParser();
  const lines = new Map<string, number>();
  for (const statement of parseSql(text).statements) {
    if (statement.kind !== 'CreateStmt') continue;
    const relation = statement.node.relation;
    lines.set(`${relation?.schemaname ?? DEFAULT_SCHEMA}.${relation?.relname}`, statement.range.start.line);
  }
  return lines;
}

/** The closest candidate by edit distance, when close enough to be a likely rename or typo. */
export function closest(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance || (distance === bestDistance && best !== undefined && compareCodePoints(candidate, best) < 0)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined || name.length < 4) return undefined; // short names are all close to something
  const shared = Math.min(best.length, name.length) >= 4 && (best.includes(name) || name.includes(best));
  return bestDistance <= Math.max(1, Math.floor(name.length / 4)) || shared ? best : undefined;
}

/** Edit distance where swapping two neighbours counts once (optimal string alignment): `nmae` is one step from `name`. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstString(object: Record<string, unknown>, keys: string[]): string | undefined {
  for (const key of keys) if (typeof object[key] === 'string') return object[key] as string;
  return undefined;
}

function relative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
