export interface CheckExecutorSchema {
  /** Compare with current_schema/ at this revision (default: the merge-base with the default branch). */
  base?: string;
  /** Function verifier (default auto). */
  engine?: 'auto' | 'plpgsql_check' | 'builtin';
  /** Output format (default stylish; github writes workflow annotations). */
  format?: 'stylish' | 'json' | 'github' | 'sarif';
  /** pgwarden.config.json to use, relative to the workspace root (default: the project's own). */
  config?: string;
}
