export interface StatusExecutorSchema {
  /** Environment from pgwarden.config.json (default: its defaultEnv). */
  env?: string;
  /** Name of an environment variable holding the database URL. */
  databaseUrlEnv?: string;
  /** A database URL without a password (one with a password is refused). */
  databaseUrl?: string;
  /** Print the rows as JSON. */
  json?: boolean;
  /** pgwarden.config.json to use, relative to the workspace root (default: the project's own). */
  config?: string;
}
