import type { Severity } from '../rules/types.js';

export type RuleSetting = Severity | 'off';

export interface EnvironmentConfig {
  /** Environment variable holding the database URL; absent means the embedded PGlite database. */
  urlEnv?: string;
  /** Approvals required before a migration runs here (default 1 for a server, 0 for embedded). */
  approvals?: number;
  /** Environments a migration must have been applied to first (promotion order). */
  requires?: string[];
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
