export interface TypesExecutorSchema {
  /** Write nothing; fail when a generated file is stale or an overlay disagrees with the catalog. */
  check?: boolean;
  /** pgwarden.config.json to use, relative to the workspace root (default: the project's own). */
  config?: string;
}
