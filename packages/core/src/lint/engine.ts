import { resolve } from 'node:path';
import { showInvisible } from '../config/show-invisible.js';
import type { PgwardenConfig } from '../config/types.js';
import { discoverMigrationsIfPresent, parseMigration, readMigrationFile, toRelPath, type UnreadableMigrationFile } from '../migration/index.js';
import { readSchemaFolder } from './schema-folder.js';
import { executedBy, type ExecutedBy } from '../migration/execution-state.js';
import { sortHistory } from '../migration/history-order.js';
import type { Migration } from '../migration/types.js';
import { RULE_IDS, loadRules, type RuleId } from '../rules/registry.js';
import type { Finding, ReportedFinding, Rule, RuleContext, SchemaFile, Severity } from '../rules/types.js';
import { loadParser, parseSql } from '../sql/index.js';
import type { ParsedSql, PlpgsqlExpression, SourceRange } from '../sql/types.js';
import { collectSuppressions, isSuppressed } from './suppressions.js';

// Re-exported: the CLI and tests name paths the way findings do.
export { toRelPath };

export interface LintOptions {
  /** Files to lint (as lint-staged passes them); default: the whole history. Cross-file rules still see the whole history. */
  paths?: string[];
  /** Previous text of a file (absolute path -> text), e.g. from `git show HEAD:path`, for executed-immutable. */
  previousText?: ReadonlyMap<string, string>;
  /** Where that previous text was (absolute path -> workspace-relative path) when the file was moved or renamed since. */
  previousPath?: ReadonlyMap<string, string>;
  /** The history already read and parsed by the caller (e.g. migrate), so that it is not read twice. */
  history?: readonly Migration[];
}

export interface LintResult {
  findings: Finding[];
  filesLinted: number;
}

const EMPTY_SQL: ParsedSql = { statements: [], nested: [], expressions: [], errors: [], metaCommands: [] };

/**
 * Starts loading the parser and the rules `config` enables, so that what runs before lint() (the
 * commit hook's git call for the committed versions) waits on git while they load. A failure is
 * reported by lint() itself, which loads them again.
 */
export function prepareLint(config: PgwardenConfig): void {
  Promise.all([loadRules(enabledRuleIds(config)), loadParser()]).catch(() => undefined);
}

export async function lint(config: PgwardenConfig, options: LintOptions = {}): Promise<LintResult> {
  // The parser's WASM compiles off the main thread: start it, then read the history meanwhile.
  const ready = Promise.all([loadRules(enabledRuleIds(config)), loadParser()]);
  const known = options.history;
  const historyPaths = known ? known.map((migration) => migration.path) : await discoverMigrationsIfPresent(resolve(config.root, config.migrationsDir));
  const targets = options.paths?.length ? options.paths.map((path) => resolve(config.root, path)) : historyPaths;
  const history = new Map<string, HistoryEntry>((known ?? []).map((migration) => [migration.path, migration]));
  // Files linted are parsed now; the rest of the history, context for cross-file rules, when a rule reads more than name and text.
  const linted = new Set(targets);
  for (const path of new Set([...historyPaths, ...targets])) if (!history.has(path)) history.set(path, readMigrationFile(config.root, path, !linted.has(path)));
  const [rules] = await ready;
  const historyList = sortHistory([...history.values()].filter((entry): entry is Migration => 'checksum' in entry));
  const schemaFiles = new LazySchemaIndex(config);

  const findings: Finding[] = [];
  for (const path of targets) {
    const entry = history.get(path) ?? readMigrationFile(config.root, path);
    findings.push(...lintOne(config, entry, rules, historyList, schemaFiles, options.previousText?.get(path), options.previousPath?.get(path)));
  }
  return { findings: sortFindings(findings), filesLinted: targets.length };
}

export interface SourceInput {
  /** Workspace-relative path, e.g. `migration_history/2025-10-08_18_add_x.sql`. */
  relPath: string;
  text: string;
  /** Other migrations of the history (this file is added). */
  history?: readonly Migration[];
  previousText?: string;
  /** Workspace-relative path of the previous text, when the file was moved or renamed since. */
  previousRelPath?: string;
  /**
   * false: report what the rules find even where a `pgwarden-ignore` comment suppresses it (the
   * impact report states facts, e.g. a deliberate rewrite, that the lint output may leave out).
   */
  suppressions?: boolean;
}

/** Lints one in-memory file: the programmatic API, and how rule tests run real SQL through the engine. */
export async function lintSource(config: PgwardenConfig, input: SourceInput, ruleIds: readonly RuleId[] = enabledRuleIds(config)): Promise<Finding[]> {
  const [rules] = await Promise.all([loadRules(ruleIds), loadParser()]);
  const path = resolve(config.root, input.relPath);
  const migration = parseMigration({ path, relPath: input.relPath, text: input.text });
  const history = sortHistory([...(input.history ?? []).filter((other) => other.relPath !== input.relPath), migration]);
  return sortFindings(lintOne(config, migration, rules, history, new LazySchemaIndex(config), input.previousText, input.previousRelPath, input.suppressions ?? true));
}

type HistoryEntry = Migration | UnreadableMigrationFile;


export function enabledRuleIds(config: PgwardenConfig): RuleId[] {
  return RULE_IDS.filter((id) => config.rules[id] !== 'off');
}

/**
 * PL/pgSQL statements among the body expressions (PERFORM, SELECT, EXECUTE, assignments): an ignore
 * comment above one binds to it. Conditions are not: an ignore above `IF ... THEN` keeps binding to
 * the statement inside.
 */
function isBodyStatement(expression: PlpgsqlExpression): boolean {
  return expression.kind !== 'expression' || expression.target !== undefined;
}

function lintOne(
  config: PgwardenConfig,
  entry: HistoryEntry,
  rules: readonly Rule[],
  history: readonly Migration[],
  schemaFiles: ReadonlyMap<string, SchemaFile>,
  previousText: string | undefined,
  previousRelPath?: string,
  honourSuppressions = true,
): Finding[] {
  const readError = 'readError' in entry ? entry.readError : undefined;
  // A file that existed at the compared revision and is gone now: deleting an executed migration is an edit too.
  const deleted = readError?.reason === 'missing' && previousText !== undefined;
  const migration = readError ? parseMigration({ path: entry.path, relPath: entry.relPath, text: '' }) : (entry as Migration);
  const sql = readError ? EMPTY_SQL : parseSql(migration.text);
  const suppressions = readError || !honourSuppressions ? [] : collectSuppressions(migration.text, [...sql.statements, ...sql.nested, ...sql.expressions.filter(isBodyStatement)]);
  const previous =
    previousText === undefined
      ? undefined
      : parseMigration({
          path: previousRelPath ? resolve(config.root, previousRelPath) : migration.path,
          relPath: previousRelPath ?? migration.relPath,
          text: previousText,
        });

  const onlyRule = deleted ? 'executed-immutable' : readError ? 'readable-file' : undefined;
  // An executed migration is history: only integrity rules judge it (its conventions, locks and references are past).
  const executed = onlyRule ? undefined : executedBy(migration, config);
  const applicable = rules.filter((rule) =>
    onlyRule ? rule.meta.id === onlyRule : appliesTo(rule, config.postgresVersion) && (!executed || appliesToExecuted(rule.meta.id, executed)),
  );
  const reported: Finding[] = [];
  let current: Rule | undefined;
  const context: RuleContext = {
    migration,
    sql,
    config,
    postgresVersion: config.postgresVersion,
    history,
    schemaFiles,
    previous,
    deleted,
    readError,
    suppressions,
    activeRules: new Set(applicable.map((rule) => rule.meta.id)),
    report(finding: ReportedFinding) {
      if (current) reported.push(toFinding(config, migration.relPath, current, finding));
    },
  };

  const runRule = (rule: Rule) => {
    current = rule;
    try {
      rule.check(context);
    } catch (error) {
      // A rule bug must not hide the other findings or crash the hook: report it as a finding.
      context.report({ message: `internal error in rule ${rule.meta.id}: ${(error as Error).message}`, severity: 'error' });
    }
  };
  applicable.filter((rule) => !rule.meta.runsLast).forEach(runRule);
  const kept = reported.splice(0).filter((finding) => !isSuppressed(suppressions, finding.rule, finding.line));
  applicable.filter((rule) => rule.meta.runsLast).forEach(runRule);
  return [...kept, ...reported];
}

/**
 * Rules that still judge an executed migration: its file must stay readable, parseable by Postgres
 * (a shadow database replays it) and unchanged.
 */
export const INTEGRITY_RULE_IDS: ReadonlySet<string> = new Set(['readable-file', 'syntax', 'psql-meta-command', 'executed-immutable']);

/**
 * Whether a rule runs on a migration executed as `executed` says. pgwarden's own execution record
 * also keeps `checkboxes`: the header it finalises must have every box closed.
 */
export function appliesToExecuted(ruleId: string, executed: ExecutedBy): boolean {
  return INTEGRITY_RULE_IDS.has(ruleId) || (executed === 'record' && ruleId === 'checkboxes');
}

/** Whether a rule runs for the target version (meta.postgres is an inclusive range; absent means all). */
export function appliesTo(rule: Pick<Rule, 'meta'>, postgresVersion: number): boolean {
  const range = rule.meta.postgres;
  return !range || ((range.min ?? 0) <= postgresVersion && postgresVersion <= (range.max ?? Infinity));
}

function toFinding(config: PgwardenConfig, file: string, rule: Rule, reported: ReportedFinding): Finding {
  const range: SourceRange | undefined = reported.range ?? reported.statement?.range;
  const configured = config.rules[rule.meta.id];
  const severity: Severity = reported.severity ?? (configured && configured !== 'off' ? configured : rule.meta.defaultSeverity);
  return {
    file,
    line: range?.start.line ?? 1,
    column: range?.start.column ?? 1,
    endLine: range?.end.line ?? range?.start.line ?? 1,
    endColumn: range?.end.column ?? range?.start.column ?? 1,
    rule: rule.meta.id,
    severity,
    // A message may quote the file: an invisible character there (zero-width space, bidi override) is spelled out.
    message: showInvisible(reported.message),
    ...(reported.hint ? { hint: showInvisible(reported.hint) } : {}),
    ...(reported.suggestion ? { suggestion: { sql: reported.suggestion.sql } } : {}),
  };
}

/** File, line, column, then rule order: lint's order, also for findings merged in from elsewhere (lint --deep). */
export function sortFindings<T extends Finding>(findings: T[]): T[] {
  const order = new Map<string, number>(RULE_IDS.map((id, index) => [id, index]));
  // Paths in code-unit order, as `lint --deep` merges them: localeCompare's first call loads ICU's collator (about 15 ms).
  return findings.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (order.get(a.rule) ?? 0) - (order.get(b.rule) ?? 0),
  );
}


/** current_schema files, read only when a rule asks for one. */
class LazySchemaIndex implements ReadonlyMap<string, SchemaFile> {
  #files?: Map<string, SchemaFile>;

  constructor(private readonly config: PgwardenConfig) {}

  get #map(): Map<string, SchemaFile> {
    if (!this.#files) {
      this.#files = new Map();
      // No current_schema folder: every reference into it is reported as missing.
      for (const { relPath, source } of readSchemaFolder(this.config) ?? []) {
        // An unreadable file is listed with its reason (never its content), so a reference to it says why.
        this.#files.set(relPath, source.ok ? { relPath, lines: source.text.split(/\r\n|\r|\n/) } : { relPath, lines: [], readError: source.message });
      }
    }
    return this.#files;
  }

  get size() {
    return this.#map.size;
  }
  get(key: string) {
    return this.#map.get(key);
  }
  has(key: string) {
    return this.#map.has(key);
  }
  forEach(callback: (value: SchemaFile, key: string, map: ReadonlyMap<string, SchemaFile>) => void) {
    this.#map.forEach((value, key) => callback(value, key, this));
  }
  entries() {
    return this.#map.entries();
  }
  keys() {
    return this.#map.keys();
  }
  values() {
    return this.#map.values();
  }
  [Symbol.iterator]() {
    return this.#map[Symbol.iterator]();
  }
}
