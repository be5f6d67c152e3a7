export interface MigrationFileName {
  /** Base name, e.g. `2025-10-08_18_add_processing_time_minutes.sql`. */
  baseName: string;
  /** `YYYY-MM-DD_NN` when the name matches the pattern, else undefined. */
  version?: string;
  /** `YYYY-MM-DD` as written. */
  date?: string;
  /** The running sequence number NN. */
  sequence?: number;
  /** The descriptive part, e.g. `add_processing_time_minutes`. */
  slug?: string;
  /** Why the name breaks the convention (empty when valid). */
  problems: string[];
  /** The corrected name, when the mistakes can be fixed mechanically (padding, case, separators, extension). */
  suggestedName?: string;
}

export type CheckboxState = 'open' | 'done' | 'not-applicable';

export interface HeaderCheckbox {
  /** As written: ` `, `X`, `x` or `N/A`. */
  mark: string;
  state: CheckboxState;
  /** Text after the box. */
  text: string;
  /** The section the box belongs to (normalised key). */
  section: string;
  line: number;
  /** Column of `[`. */
  column: number;
}

export interface SourceOfTruthLineRef {
  /** First and last referenced line (equal for a single line). */
  from: number;
  to: number;
  description: string;
  /** Header line the reference is written on. */
  line: number;
  column: number;
}

export interface SourceOfTruthRef {
  /** Path as written, e.g. `current_schema/03_clinical_core.sql`. */
  file: string;
  lines: SourceOfTruthLineRef[];
  checkbox?: HeaderCheckbox;
  line: number;
  column: number;
  /** The path exactly as written when it differs from `file` (e.g. a bare `03_clinical_core.sql`). */
  writtenPath?: string;
}

export interface HeaderSection {
  /** Normalised upper-case label, e.g. `PROBLEM`, `AFFECTED TABLES`, `SOURCE OF TRUTH SCHEMA UPDATED`. */
  key: string;
  /** Value: text after the colon joined with the indented continuation lines (trimmed, single spaces). */
  value: string;
  /** Raw continuation lines (without the leading `--`), for sections that hold lists. */
  lines: { text: string; line: number }[];
  line: number;
  endLine: number;
}

export interface Approval {
  /** Reviewer as written, `bot:` prefix included for a review bot. */
  by: string;
  kind: 'human' | 'bot';
  /** `version/name` binding (`for 2025-10-08_18_add_x.sql`); absent on approvals written before it was added. */
  boundTo?: string;
  date: string;
  /** Hex SHA-256 the approval was given for. */
  checksum: string;
  line: number;
}

export interface ExecutionRecord {
  env: string;
  /** ISO date `YYYY-MM-DD`. */
  date: string;
  by: string;
  durationMs?: number;
  /** pgwarden version that ran it (`pgwarden 0.3.0` in the record). */
  toolVersion?: string;
  /** Hex HMAC-SHA256 signing the record, where the environment has a `recordKeyEnv` secret. */
  hmac?: string;
  line: number;
}

/** Per-file execution settings written in the header as `-- pgwarden:<name> <value>`. */
export interface MigrationDirectives {
  noTransaction: boolean;
  lockTimeout?: string;
  statementTimeout?: string;
}

export interface MigrationHeader {
  /** 1-based first and last line of the leading `--` comment block that starts with a `-- ===` rule. */
  startLine: number;
  endLine: number;
  /** Value after `Migration:` on the title line. */
  title?: string;
  sections: HeaderSection[];
  checkboxes: HeaderCheckbox[];
  sourceOfTruth: SourceOfTruthRef[];
  approvals: Approval[];
  executions: ExecutionRecord[];
  /** Line of the closing `-- ===` rule; undefined when the header is not closed by one. */
  closingRuleLine?: number;
  /**
   * Set when the header is a leading comment block written without the `-- ====` fence lines.
   * Its lines then stay part of the body (and of the checksum), as for a file without a header.
   */
  fenceless?: true;
  /** Header lines that look meant for pgwarden but are malformed (e.g. an `APPROVED:` line without a checksum). */
  problems?: HeaderProblem[];
}

/** A malformed header or directive line, phrased for the linter to report as is. */
export interface HeaderProblem {
  message: string;
  line: number;
}

export interface Migration {
  /** Absolute path. */
  path: string;
  /** Path relative to the workspace root, with `/` separators: what messages print. */
  relPath: string;
  text: string;
  name: MigrationFileName;
  /** Undefined when the file has no header block. */
  header?: MigrationHeader;
  directives: MigrationDirectives;
  /** Everything after the header block (the whole file when there is none). */
  body: string;
  /** 1-based line where `body` starts in the file; body offsets map back with this. */
  bodyStartLine: number;
  /** 0-based string offset where `body` starts in `text`. */
  bodyOffset: number;
  /** SHA-256 hex over the normalised body and directives; unaffected by header edits. */
  checksum: string;
  /** Directives that are unknown, malformed, repeated or written outside the header (they have no effect). */
  directiveProblems: HeaderProblem[];
  /** `-- VERIFY:` query, when present (the first one when there are several). */
  verification?: { sql: string; line: number };
  /**
   * The template's `-- Verification Query` section when a commented SELECT follows it (not the
   * template's placeholder): a check for a human, which the runner does not run.
   */
  verificationSection?: { sql: string; line: number };
  /** Every `-- VERIFY:` query of the body, in file order. */
  verifications?: { sql: string; line: number }[];
  /**
   * Rollback section, when present: set only when SQL follows the `-- Rollback` heading. `line` is
   * the heading's line; `textLine` the file line of the text's first line (its lines follow the
   * file's one for one, comment markers removed).
   */
  rollback?: { text: string; line: number; textLine: number };
  /** Line of the first `-- Rollback` heading, even when no SQL follows it (a bare template heading). */
  rollbackHeadingLine?: number;
}
