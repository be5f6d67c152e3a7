import type { Migration } from '../migration/types.js';
import type { ParsedSql, SourceRange, SqlStatement } from '../sql/types.js';
import type { PgwardenConfig } from '../config/types.js';
import type { Suppression } from '../lint/suppressions.js';

export type Severity = 'error' | 'warning' | 'info';

export type RuleCategory = 'convention' | 'idempotency' | 'locking' | 'security' | 'meta';

export interface RuleMeta {
  /** Kebab-case id; also the base name of the rule file, its test and docs/rules/<id>.md. */
  id: string;
  category: RuleCategory;
  defaultSeverity: Severity;
  /** One line: what the rule checks. */
  description: string;
  /** Runs after every other rule and after suppressions are applied (unused-ignore). */
  runsLast?: boolean;
  /** Postgres major versions the rule applies to; omitted means all. */
  postgres?: { min?: number; max?: number };
  /** Repository-relative path of the rule's documentation page: ruleDocsPath(id). */
  docs: string;
}

/** One entry of the current_schema/ index: a file's lines, for source-of-truth checks. */
export interface SchemaFile {
  /** Path relative to the workspace root, e.g. `current_schema/02_profiles.sql`. */
  relPath: string;
  lines: string[];
  /** Why the file could not be read (no lines then), e.g. a symbolic link that resolves outside the workspace. */
  readError?: string;
}

/** What a rule may read. Rules never touch a database or the file system. */
export interface RuleContext {
  readonly migration: Migration;
  readonly sql: ParsedSql;
  readonly config: PgwardenConfig;
  /** Target Postgres major version (config.postgresVersion). */
  readonly postgresVersion: number;
  /** Every migration in the history, including this one, in execution order (migration/history-order.ts; use historyBefore() for "earlier"). */
  readonly history: readonly Migration[];
  /** current_schema files keyed by their repository-relative path. */
  readonly schemaFiles: ReadonlyMap<string, SchemaFile>;
  /** The file as committed before this change (lint --since REV), when it existed there; its relPath is where it was (a move or rename changes it). */
  readonly previous?: Migration;
  /** The file existed at that revision and is gone now; only executed-immutable runs then. */
  readonly deleted?: boolean;
  /** Set when the file could not be read as text; only `readable-file` runs then. */
  readonly readError?: { reason: string; message: string; line?: number };
  /** Ids of the rules running on this file (unused-ignore judges only those). */
  readonly activeRules: ReadonlySet<string>;
  /** Suppression comments of the file; `used` is filled once the other rules have run. */
  readonly suppressions: readonly Suppression[];
  /** Report a finding. `range` defaults to the first line of the file. */
  report(finding: ReportedFinding): void;
}

/** SQL that replaces the finding's range (line/column to endLine/endColumn) to fix it; verified clean by the rule tests. */
export interface Suggestion {
  sql: string;
}

export interface ReportedFinding {
  message: string;
  /** What to do about it. */
  hint?: string;
  /** A mechanical fix: SQL replacing the reported range (the statement, without its semicolon). */
  suggestion?: Suggestion;
  range?: SourceRange;
  /** Shortcut: the statement's range is used. */
  statement?: SqlStatement;
  /** Override the rule's configured severity (e.g. a rule with mixed levels). */
  severity?: Severity;
}

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): void;
}

export interface Finding {
  /** Path relative to the workspace root. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: Severity;
  message: string;
  hint?: string;
  suggestion?: Suggestion;
}

/** Repository-relative path of a rule's documentation page; every rule kind (lint, catalog, check, deep, verify) has one. */
export function ruleDocsPath(id: string): string {
  return `docs/rules/${id}.md`;
}

/** What a rule file declares: its meta without the derived docs path, and its check. */
export type RuleDefinition = Omit<RuleMeta, 'docs'> & Pick<Rule, 'check'>;

/**
 * A rule from its id, meta and check: the docs path is derived from the id, which is also the
 * file's base name (`rules/<id>.ts`, checked by registry.test.ts) and its registry entry.
 */
export function defineRule({ check, ...meta }: RuleDefinition): Rule {
  return { meta: { ...meta, docs: ruleDocsPath(meta.id) }, check };
}

/**
 * The meta of a rule proved against a database (`check`'s proofs, `lint --deep`, the function
 * verifier): no module of its own, only an entry of its room's list, documented like a lint rule.
 */
export interface DatabaseRuleMeta<Category extends string = string> {
  id: string;
  category: Category;
  defaultSeverity: Severity;
  /** One line: what the rule checks. */
  description: string;
  /** Repository-relative path of the documentation page: ruleDocsPath(id). */
  docs: string;
}

/** A room's list of database rules, each given its docs path from its id (literal ids and order kept). */
export function defineDatabaseRules<const List extends readonly Omit<DatabaseRuleMeta, 'docs'>[]>(list: List): { readonly [Index in keyof List]: List[Index] & { docs: string } } {
  return list.map((rule) => ({ ...rule, docs: ruleDocsPath(rule.id) })) as { readonly [Index in keyof List]: List[Index] & { docs: string } };
}
