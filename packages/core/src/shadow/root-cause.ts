/**
 * Root causes, not cascades: a statement that fails because an object is missing is traced to
 * why (defined later, defined twice, a foreign-key cycle, a missing extension, an earlier
 * failure) and counted under one finding per cause.
 */
import type { SqlErrorFields } from '../runner/errors.js';
import type { SourcePosition } from '../sql/types.js';
import { codePointOffsetToIndex } from '../sql/positions.js';
import { qualifiedKey } from '../catalog/identity.js';
import { DefinitionIndex, inlineForeignKeys, tableKeyOf, type DefinedObject, type LookupClass } from './definitions.js';
import { extensionProviding } from './extensions.js';
import type { OrderedStatement } from './schema-files.js';
import type { ShadowFinding, ShadowRuleId, StatementLocation } from './types.js';
import type { Severity } from '../rules/types.js';

/** A missing object as the error names it. */
export interface MissingObject {
  lookup: LookupClass;
  schema?: string;
  name: string;
  /** As printed: `is_service_role()`, `relation public.orders`. */
  display: string;
}

function splitQualified(written: string): { schema?: string; name: string } {
  const dot = written.indexOf('.');
  return dot === -1 ? { name: written } : { schema: written.slice(0, dot), name: written.slice(dot + 1) };
}

export function missingObjectOf(error: SqlErrorFields): MissingObject | undefined {
  const { code, message } = error;
  let match: RegExpExecArray | null;
  if (code === '42P01' && (match = /relation "([^"]+)" does not exist/.exec(message))) {
    return { lookup: 'relation', ...splitQualified(match[1]!), display: `relation ${match[1]}` };
  }
  if (code === '42883' && (match = /^function (\S+?)\((.*)\) does not exist/.exec(message))) {
    return { lookup: 'function', ...splitQualified(match[1]!), display: `${match[1]}(${match[2]})` };
  }
  if (code === '42704' && (match = /^type "([^"]+)" does not exist/.exec(message))) {
    return { lookup: 'type', ...splitQualified(match[1]!), display: `type ${match[1]}` };
  }
  if (code === '3F000' && (match = /^schema "([^"]+)" does not exist/.exec(message))) {
    return { lookup: 'schema', name: match[1]!, display: `schema ${match[1]}` };
  }
  return undefined;
}

/** `relation "x" already exists` and its kin: the object defined a second time. */
export function duplicateObjectOf(error: SqlErrorFields): { kind: string; name: string; table?: string } | undefined {
  const { code, message } = error;
  if (!['42P07', '42723', '42710', '42P06'].includes(code ?? '')) return undefined;
  const member = /^(constraint|policy|trigger) "([^"]+)" for (?:relation|table) "([^"]+)" already exists/.exec(message);
  if (member) return { kind: member[1]!, name: member[2]!, table: member[3] };
  const plain = /^(relation|function|type|schema|extension) "?([^"(]+)"?.* already exists/.exec(message);
  return plain ? { kind: plain[1]!, name: plain[2]! } : undefined;
}

export function missingExtensionOf(error: SqlErrorFields): string | undefined {
  const match = /extension "([^"]+)" is not available|could not open extension control file ".*\/([^/"]+)\.control"/.exec(error.message);
  return match ? (match[1] ?? match[2]) : undefined;
}

const SEVERITY: Record<ShadowRuleId, Severity> = {
  'shadow-statement-failed': 'error',
  'shadow-syntax-error': 'error',
  'shadow-defined-later': 'error',
  'shadow-defined-twice': 'error',
  'shadow-fk-cycle': 'error',
  'shadow-missing-extension': 'warning',
  'shadow-meta-command': 'warning',
};

/** `table public.patients`, `policy p on public.notes`, `schema audit`. */
function describeDefinition(object: DefinedObject): string {
  const kind = object.kind.replace(/_/g, ' ');
  if (object.table) return `${kind} ${object.name} on ${object.table}`;
  if (object.kind === 'schema' || object.kind === 'extension') return `${kind} ${object.name}`;
  return `${kind} ${qualifiedKey(object.schema, object.name)}`;
}

export function location(at: OrderedStatement, position?: SourcePosition): StatementLocation {
  const where = position ?? at.statement.range.start;
  return { file: at.file.relPath, line: where.line, column: where.column };
}

function where(at: OrderedStatement): string {
  return `${at.file.relPath}:${at.statement.range.start.line}`;
}

function definitionWhere(at: OrderedStatement, object: DefinedObject): string {
  return `${at.file.relPath}:${object.position.line}`;
}

export function newFinding(rule: ShadowRuleId, at: { file: string; line: number; column: number; endLine?: number; endColumn?: number }, message: string, hint?: string): ShadowFinding {
  const finding: ShadowFinding = {
    file: at.file,
    line: at.line,
    column: at.column,
    endLine: at.endLine ?? at.line,
    endColumn: at.endColumn ?? at.column,
    rule,
    severity: SEVERITY[rule],
    message,
    statements: [],
    workedAround: false,
  };
  if (hint) finding.hint = hint;
  return finding;
}

/**
 * Keeps one finding per root cause and which finding each failed statement counts under.
 * `classify` is called once per statement, on its first failure, in file order.
 */
export class RootCauses {
  readonly findings = new Map<string, ShadowFinding>();
  /** Statement index -> key of the finding it is reported or counted under. */
  readonly rootOf = new Map<number, string>();
  /** Extensions whose CREATE EXTENSION failed as unavailable. */
  readonly unavailableExtensions = new Set<string>();

  constructor(
    private readonly index: DefinitionIndex,
    private readonly statements: readonly OrderedStatement[],
    private readonly shadowKind: 'pglite' | 'pg',
  ) {}

  /** Records a statement's first failure under its root cause. */
  classify(at: OrderedStatement, error: SqlErrorFields, errorAt?: number): void {
    const position = this.positionInStatement(at, errorAt);
    const extension = at.statement.kind === 'CreateExtensionStmt' ? missingExtensionOf(error) : undefined;
    if (extension) return this.missingExtension(at, extension);

    const missing = missingObjectOf(error);
    if (missing) {
      const defs = this.index.find(missing.lookup, missing.name, missing.schema).filter((def) => def.at.index !== at.index);
      const earlier = defs.filter((def) => def.at.index < at.index);
      const failedEarlier = earlier.find((def) => this.rootOf.has(def.at.index));
      if (failedEarlier && earlier.every((def) => this.rootOf.has(def.at.index))) {
        return this.countUnder(this.rootOf.get(failedEarlier.at.index)!, at);
      }
      const later = defs.filter((def) => def.at.index > at.index);
      if (earlier.length === 0 && later.length > 0) return this.definedLater(at, missing, later[0]!, position);
      if (earlier.length === 0) {
        // Only extensions whose CREATE EXTENSION failed here have a finding to count under.
        const provider = extensionProviding(missing.lookup, missing.name, missing.schema, this.unavailableExtensions);
        if (provider) return this.countUnder(`extension:${provider}`, at);
        const known = extensionProviding(missing.lookup, missing.name, missing.schema);
        const hint = known
          ? `${missing.display} comes from extension ${known}: add CREATE EXTENSION IF NOT EXISTS ${known} before this statement`
          : `no schema file defines ${missing.display}: create it before this statement (or fix the name)`;
        return this.statementFailed(at, error, position, hint);
      }
    }

    const duplicate = duplicateObjectOf(error);
    if (duplicate) {
      const first = this.firstDefinition(at, duplicate.name, duplicate.table);
      if (first) return this.definedTwice(at, describeDefinition(first.object), first, position);
    }
    this.statementFailed(at, error, position);
  }

  /** A CREATE TABLE ... IF NOT EXISTS after another definition of the same table: skipped silently by Postgres. */
  silentRedefinition(at: OrderedStatement, first: { at: OrderedStatement; object: DefinedObject }): void {
    this.definedTwice(at, describeDefinition(first.object), first, at.statement.range.start, true);
  }

  private positionInStatement(at: OrderedStatement, errorAt?: number): SourcePosition {
    if (errorAt === undefined || !at.statement.locate) return at.statement.range.start;
    const index = codePointOffsetToIndex(at.statement.text, errorAt);
    const offset = at.statement.range.start.offset + index;
    // Line and column of the offset: count from the statement start.
    const before = at.file.text.slice(at.statement.range.start.offset, offset);
    const newlines = before.split('\n');
    const line = at.statement.range.start.line + newlines.length - 1;
    const column = newlines.length === 1 ? at.statement.range.start.column + before.length : newlines[newlines.length - 1]!.length + 1;
    return { line, column, offset };
  }

  private add(key: string, at: OrderedStatement, finding: ShadowFinding): void {
    this.findings.set(key, finding);
    this.rootOf.set(at.index, key);
  }

  countUnder(key: string, at: OrderedStatement): void {
    const finding = this.findings.get(key)!;
    this.rootOf.set(at.index, key);
    finding.statements.push(location(at));
  }

  private missingExtension(at: OrderedStatement, extension: string): void {
    this.unavailableExtensions.add(extension);
    const key = `extension:${extension}`;
    if (this.findings.has(key)) return this.countUnder(key, at);
    const shadow = this.shadowKind === 'pglite' ? 'the PGlite shadow' : 'the shadow server';
    this.add(
      key,
      at,
      newFinding(
        'shadow-missing-extension',
        location(at),
        `extension ${extension} is not available in ${shadow}`,
        `set shadow.url (or shadow.urlEnv) in pgwarden.config.json to a PostgreSQL server that has ${extension}; statements that need it are counted here`,
      ),
    );
  }

  private definedLater(at: OrderedStatement, missing: MissingObject, later: { at: OrderedStatement; object: DefinedObject }, position: SourcePosition): void {
    const cycle = missing.lookup === 'relation' ? this.foreignKeyCycle(at, later) : undefined;
    if (cycle) {
      const key = `cycle:${[...cycle].slice(0, -1).sort().join(',')}`;
      if (this.findings.has(key)) return this.countUnder(key, at);
      const tables = cycle.join(' -> ');
      return this.add(
        key,
        at,
        newFinding(
          'shadow-fk-cycle',
          location(at, position),
          `foreign-key cycle ${tables}: ${where(at)} references ${tableKeyOf(later.object)}, which ${definitionWhere(later.at, later.object)} creates later and which references back`,
          `create the tables without these references, then add one constraint with ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY after both tables`,
        ),
      );
    }
    const key = `later:${missing.lookup}:${tableKeyOf(later.object)}`;
    if (this.findings.has(key)) return this.countUnder(key, at);
    const sameFile = later.at.file === at.file;
    this.add(
      key,
      at,
      newFinding(
        'shadow-defined-later',
        location(at, position),
        later.object.kind === 'extension'
          ? `${at.file.relPath}:${position.line} uses ${missing.display}, which extension ${later.object.name} brings, created at ${definitionWhere(later.at, later.object)}: move the CREATE EXTENSION up`
          : `${at.file.relPath}:${position.line} uses ${missing.display} which ${definitionWhere(later.at, later.object)} defines: move the definition up`,
        sameFile ? `move the definition above line ${at.statement.range.start.line}` : `move the definition into ${at.file.relPath} (above line ${at.statement.range.start.line}) or an earlier file`,
      ),
    );
  }

  private definedTwice(at: OrderedStatement, what: string, first: { at: OrderedStatement; object: DefinedObject }, position: SourcePosition, silent = false): void {
    const key = `twice:${what}`;
    if (this.findings.has(key)) {
      if (silent) return void this.findings.get(key)!.statements.push(location(at));
      return this.countUnder(key, at);
    }
    const finding = newFinding(
      'shadow-defined-twice',
      location(at, position),
      `${what} is defined twice: ${definitionWhere(first.at, first.object)} and ${at.file.relPath}:${at.statement.range.start.line}${silent ? ' (IF NOT EXISTS skips the second one silently)' : ''}`,
      'keep one definition: merge the two into the first and delete the second',
    );
    if (silent) {
      this.findings.set(key, finding);
      return;
    }
    this.add(key, at, finding);
  }

  private statementFailed(at: OrderedStatement, error: SqlErrorFields, position?: SourcePosition, hint?: string): void {
    const finding = newFinding('shadow-statement-failed', location(at, position), error.message, hint ?? error.hint);
    if (error.code) finding.sqlState = error.code;
    this.add(`failed:${at.index}`, at, finding);
  }

  /** The first definition of a name before this statement (a defined-twice partner). */
  private firstDefinition(at: OrderedStatement, name: string, table?: string): { at: OrderedStatement; object: DefinedObject } | undefined {
    const bare = splitQualified(name).name;
    for (const other of this.statements) {
      if (other.index >= at.index) break;
      for (const object of this.index.ofStatement.get(other.index) ?? []) {
        if (object.name !== bare) continue;
        if (table && object.table && !object.table.endsWith(`.${splitQualified(table).name}`)) continue;
        return { at: other, object };
      }
    }
    return undefined;
  }

  private edges?: Map<string, string[]>;

  /** Table -> tables its CREATE TABLE references (built once). */
  private foreignKeyGraph(): Map<string, string[]> {
    if (this.edges) return this.edges;
    const edges = new Map<string, string[]>();
    for (const statement of this.statements) {
      if (statement.statement.kind !== 'CreateStmt' || !statement.statement.node.relation) continue;
      const from = tableKeyOf({ schema: statement.statement.node.relation.schemaname || undefined, name: statement.statement.node.relation.relname ?? '' });
      const targets = edges.get(from) ?? [];
      for (const ref of inlineForeignKeys(statement.statement)) targets.push(tableKeyOf({ schema: ref.targetSchema, name: ref.target }));
      edges.set(from, targets);
    }
    return (this.edges = edges);
  }

  /** `[a, b, ..., a]` when the later table's inline foreign keys lead back to this CREATE TABLE's table. */
  private foreignKeyCycle(at: OrderedStatement, later: { at: OrderedStatement; object: DefinedObject }): string[] | undefined {
    if (at.statement.kind !== 'CreateStmt' || later.object.kind !== 'table') return undefined;
    const start = tableKeyOf({ schema: at.statement.node.relation?.schemaname || undefined, name: at.statement.node.relation?.relname ?? '' });
    const edges = this.foreignKeyGraph();
    const target = tableKeyOf(later.object);
    // Breadth-first from the later table back to this one: the shortest cycle.
    const previous = new Map<string, string>([[target, start]]);
    const queue = [target];
    while (queue.length > 0) {
      const current = queue.shift()!;
      for (const next of edges.get(current) ?? []) {
        if (next === start) {
          const path = [current];
          for (let step = current; step !== target; ) path.unshift((step = previous.get(step)!));
          return [start, ...path, start];
        }
        if (!previous.has(next)) {
          previous.set(next, current);
          queue.push(next);
        }
      }
    }
    return undefined;
  }
}
