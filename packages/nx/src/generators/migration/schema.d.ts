export interface MigrationGeneratorSchema {
  /** Lower-case snake_case slug, e.g. add_processing_time_minutes. */
  name: string;
  /** The database project (default: the only project with a pgwarden.config.json). */
  project?: string;
  /** YYYY-MM-DD (default: today). */
  date?: string;
  /** Title in the header (default: the slug in words). */
  title?: string;
  /** Sub-folder of the migrations folder, e.g. migration_history_2025-10. */
  directory?: string;
}
