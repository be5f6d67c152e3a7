export interface MigrateExecutorSchema {
  /** Environment from pgwarden.config.json (default: its defaultEnv). */
  env?: string;
  /** Name of an environment variable holding the database URL (preferred: nothing secret on the command line). */
  databaseUrlEnv?: string;
  /** A database URL without a password (one with a password is refused: Nx prints task options). */
  databaseUrl?: string;
  /** Show what would run; change nothing. */
  dryRun?: boolean;
  /** Stop after this version (YYYY-MM-DD_NN: every file of it), or after the one file named by its file name (YYYY-MM-DD_NN_slug). */
  to?: string;
  /** Apply a pending migration older than the newest applied one. */
  allowOutOfOrder?: boolean;
  /**
   * Where the environment records executions ("record": true, or "production": true without "record";
   * never the embedded database): write each applied file's execution record into its header (signed
   * with recordKeyEnv) and fill in records a killed run left out (default true). false writes none.
   * An environment that does not record is never written to.
   */
  finalize?: boolean;
  /** What the platform provides before the first migration (default: the config's preset). */
  preset?: 'supabase' | 'none';
  /** pgwarden.config.json to use, relative to the workspace root (default: the project's own). */
  config?: string;
}
