import type { CatalogSnapshot } from '../catalog/types.js';
import type { ObjectKind } from '../catalog/identity.js';
import type { Database } from '../db/types.js';
import type { Finding } from '../rules/types.js';

/** Finding ids of a shadow build; documented in docs/shadow.md. */
export type ShadowRuleId =
  | 'shadow-statement-failed'
  | 'shadow-syntax-error'
  | 'shadow-defined-later'
  | 'shadow-defined-twice'
  | 'shadow-fk-cycle'
  | 'shadow-missing-extension'
  | 'shadow-meta-command';

export const SHADOW_RULE_IDS: readonly ShadowRuleId[] = [
  'shadow-statement-failed',
  'shadow-syntax-error',
  'shadow-defined-later',
  'shadow-defined-twice',
  'shadow-fk-cycle',
  'shadow-missing-extension',
  'shadow-meta-command',
];

export type ShadowPreset = 'supabase' | 'none';

/** Where a statement starts in a schema or migration file (workspace-relative path, 1-based). */
export interface StatementLocation {
  file: string;
  line: number;
  column: number;
}

/**
 * One root cause. It is a lint `Finding` (the lint formatters print it as is) plus the
 * statements that failed only because of it, which are counted here instead of listed as findings.
 */
export interface ShadowFinding extends Finding {
  rule: ShadowRuleId;
  /** Statements counted under this root cause (the one at file:line excluded). */
  statements: StatementLocation[];
  /** The tolerant build got past it (constraint deferred, statement retried later): the files are still wrong as written. */
  workedAround: boolean;
  /** SQLSTATE of the failure, when a statement failed. */
  sqlState?: string;
}

/** Where an object the build created is defined. */
export interface SourceMapEntry {
  kind: ObjectKind;
  /** catalog/identity.ts key: `schema.name`, `schema.table.column`, `schema.name(argtypes)`. */
  key: string;
  file: string;
  line: number;
  column: number;
  /** Functions and procedures: file line of the body's first line, so body line N is file line `bodyLine + N - 1`. */
  bodyLine?: number;
}

export interface ShadowBuildStats {
  files: number;
  /** Statements executed (meta-commands and transaction control excluded). */
  statements: number;
  /** Statements that still failed after every retry: what a clean schema has none of. */
  failedStatements: number;
  /** Statements that failed as written but succeeded after a workaround (retry, deferred constraint). */
  recoveredStatements: number;
  /** Statements sent to the database, retries and deferred constraints included (cost measure). */
  executions: number;
  /** Retry passes after the first one. */
  retryPasses: number;
}

/** A built shadow database. Close it (PGlite: released; server: the temporary database is dropped). */
export interface ShadowDatabase {
  readonly database: Database;
  readonly kind: 'pglite' | 'pg';
  readonly findings: ShadowFinding[];
  readonly sourceMap: SourceMapEntry[];
  readonly stats: ShadowBuildStats;
  /** `hit`: loaded from `.pgwarden/cache/`; `miss`: built and stored; `off`: not cached (server, or disabled). */
  readonly cache: 'hit' | 'miss' | 'off';
  /** Cache key (hex) of a PGlite build. */
  readonly cacheKey?: string;
  /**
   * The workspace snapshot (workspaceSnapshot) of the schema as built. Ask before applying anything:
   * it is read once, then kept in the cache entry, so a warm shadow answers without a catalog query.
   */
  builtSnapshot(): Promise<CatalogSnapshot>;
  close(): Promise<void>;
}

/** A statement of applied SQL that failed (applyToShadow). */
export interface ApplyFailure {
  file: string;
  line: number;
  column: number;
  message: string;
  hint?: string;
  /** Left out for data and constraint errors (SQLSTATE classes 22, 23): they can echo row values. */
  detail?: string;
  sqlState?: string;
}
