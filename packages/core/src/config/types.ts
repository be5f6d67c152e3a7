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
  /** Shadow database preset used by check/types (e.g. `supabase`). */
  preset: 'supabase' | 'none';
  /** Shadow databases (check, lint --deep, types): PGlite in memory unless a server is given. */
  shadow: ShadowConfig;
  /** The commit hook (`pgwarden lint --hook`, called by lint-staged). */
  hook: HookConfig;
  types: {
    /** Output directory of generated types, relative to root. */
    outDir: string;
    schemas: string[];
  };
}
