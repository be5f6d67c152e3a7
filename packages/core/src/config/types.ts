import type { Severity } from '../rules/types.js';

export type RuleSetting = Severity | 'off';

/** How approvals are checked against git (`none`: the header lines alone). */
export type ApprovalVerification = 'none' | 'git' | 'git-signed';

/** What an environment needs before a migration runs there, by kind of reviewer. */
export interface ApprovalRequirement {
  /** Approvals by people (`--by alice`). */
  human: number;
  /** Approvals by review bots (`--by bot:review-assistant`). */
  bot: number;
  verify: ApprovalVerification;
}

export interface EnvironmentConfig {
  /** Environment variable holding the database URL; absent means the embedded PGlite database. */
  urlEnv?: string;
  /**
   * Approvals required before a migration runs here (default 1 for a server, 0 for embedded):
   * a number (approvals of any kind) or `{ human, bot, verify }`.
   */
  approvals?: number | Partial<ApprovalRequirement>;
  /** Environments a migration must have been applied to first (promotion order); each must record. */
  requires?: string[];
  /** The production environment: it records executions by default. */
  production?: boolean;
  /**
   * Whether `migrate` writes the execution record into the headers (tracked files). Default:
   * true only for the environment marked `production`; the embedded database never records.
   */
  record?: boolean;
  /** Environment variable holding the secret that signs (HMAC) this environment's execution records. */
  recordKeyEnv?: string;
  /** Whether `pgwarden rollback` may run here (default: true only for the embedded database). */
  allowRollback?: boolean;
}

export interface ShadowConfig {
  /** A server on which the shadow is a temporary database (created and dropped per build). */
  url?: string;
  /** Environment variable holding that URL (used when `url` is absent). */
  urlEnv?: string;
  /** What the shadow provides before the schema runs; default: the top-level `preset`. */
  preset?: 'supabase' | 'none';
}

export interface HookConfig {
  /** The commit hook also runs `lint --deep` on the staged migrations (needs the shadow; fast when its cache is warm). */
  deep: boolean;
}

export interface PgwardenConfig {
  /** Absolute workspace root (directory holding pgwarden.config.json, or the git root). */
  root: string;
  /** Absolute path of the config file, when one was found. */
  configPath?: string;
  migrationsDir: string;
  schemaDir: string;
  postgresVersion: number;
  /** Schemas exposed through the API (RLS required on new tables). */
  exposedSchemas: string[];
  rules: Record<string, RuleSetting>;
  /** Default environment for migrate/status. */
  defaultEnv: string;
  environments: Record<string, EnvironmentConfig>;
  /** Who each reviewer is in git: names or e-mail addresses of their commits (for `verify: "git"`). */
  reviewers: Record<string, string[]>;
  /** Embedded database directory (relative to root). */
  embeddedDir: string;
  lockTimeout: string;
  statementTimeout: string;
  lockRetries: number;
  /** How long a runner waits for the migration advisory lock. */
  advisoryLockTimeoutMs: number;
  /**
   * Version (`YYYY-MM-DD_NN`) up to which the history is executed (adoption on an existing history,
   * written by `pgwarden baseline`): those migrations get only the integrity rules (readable-file, syntax, psql-meta-command, executed-immutable).
   */
  baseline?: string;
  /** Shadow database preset used by check/types (e.g. `supabase`). */
  preset: 'supabase' | 'none';
  /** Shadow databases (check, lint --deep, types): PGlite in memory unless a server is given. */
  shadow: ShadowConfig;
  /** The commit hook (`pgwarden lint --hook`, called by lint-staged). */
  hook: HookConfig;
  types: {
    /** Output directory of generated types, relative to root (used when `outputs` is absent). */
    outDir: string;
    schemas: string[];
    /** Generated files, each one format; absent means one supabase file `<outDir>/database.ts` for `schemas`. */
    outputs?: TypesOutputConfig[];
    /** Folder of overlay JSON files (relative to root), merged into json-schema and zod outputs and verified by `types --check`. */
    overlays?: string;
  };
}

export type TypesFormat = 'supabase' | 'json-schema' | 'zod';

export interface TypesOutputConfig {
  /** Relative to the config file's folder: a file (`supabase`, `zod`) or a folder (`json-schema`). */
  path: string;
  format: TypesFormat;
  schemas: string[];
  /** supabase format improvements (all off by default: the output is what postgrest-typegen gives). */
  stringScalars?: boolean;
  checkUnions?: boolean;
  viewNullability?: boolean;
  jsdoc?: boolean;
  /** supabase: `__InternalSupabase.PostgrestVersion` (default "12"). */
  postgrestVersion?: string;
}
