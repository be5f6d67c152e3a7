/**
 * Which migrations shape the schema a pending migration meets. current_schema/ is the schema after
 * every migration whose source-of-truth update is done (touchpoint 2), so replaying such a
 * migration on top of current_schema/ would bring back what later migrations removed (an old
 * policy, a dropped column). Only migrations that current_schema/ does not reflect yet are
 * applied before the one being proved.
 */
import { executedBy, type HistorySettings } from '../migration/execution-state.js';
import type { Migration } from '../migration/types.js';

/**
 * Executed, as lint decides it (migration/execution-state.ts): an execution record, the
 * convention's completion marks, or at or before the configured `baseline`.
 */
export function isExecutedMigration(migration: Migration, settings: HistorySettings = {}): boolean {
  return executedBy(migration, settings) !== undefined;
}

/**
 * True when the header says current_schema/ already holds this migration's changes: it names at
 * least one source-of-truth file and every such entry is ticked (`[X]`) or not applicable. An
 * executed migration is reflected by the convention's invariant.
 */
export function reflectedInCurrentSchema(migration: Migration, settings: HistorySettings = {}): boolean {
  if (isExecutedMigration(migration, settings)) return true;
  const refs = migration.header?.sourceOfTruth ?? [];
  return refs.length > 0 && refs.every((ref) => ref.checkbox !== undefined && ref.checkbox.state !== 'open');
}

/**
 * The migrations to apply to current_schema/, in version order, before `target`: the earlier
 * ones that current_schema/ does not reflect yet.
 */
export function appliedBefore(history: readonly Migration[], target: Migration, settings: HistorySettings = {}): Migration[] {
  const version = target.name.version;
  if (version === undefined) return history.filter((migration) => migration !== target && !reflectedInCurrentSchema(migration, settings));
  return history.filter((migration) => migration !== target && (migration.name.version ?? '') < version && !reflectedInCurrentSchema(migration, settings));
}
