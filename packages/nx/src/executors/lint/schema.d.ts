export interface LintExecutorSchema {
  /** Output format (default stylish; github writes workflow annotations). */
  format?: 'stylish' | 'json' | 'github' | 'sarif';
  /** Also fail when there are more than this many warnings. */
  maxWarnings?: number;
  /** Compare with the committed versions at this revision (as `pgwarden lint --since`); name a commit id when cached. */
  since?: string;
  /** Also prove the pending migrations on a shadow of current_schema/ (`pgwarden lint --deep`); the inferred target sets it. */
  deep?: boolean;
  /** Function verifier of the deep proofs (default auto). */
  engine?: 'auto' | 'plpgsql_check' | 'builtin';
  /** pgwarden.config.json to use, relative to the workspace root (default: the project's own). */
  config?: string;
}
