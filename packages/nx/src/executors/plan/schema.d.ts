export interface PlanExecutorSchema {
  /** Migration files to plan, relative to the workspace root (default: every pending migration). */
  files?: string[];
  /** Output format (default md): Markdown for the review, or a JSON array of reports. */
  format?: 'md' | 'json';
  /** Fill each header's AFFECTED TABLES and SOURCE OF TRUTH SCHEMA UPDATED entries (only under a target that is not cached). */
  write?: boolean;
  /** pgwarden.config.json to use, relative to the workspace root (default: the project's own). */
  config?: string;
}
