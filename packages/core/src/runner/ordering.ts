/** Identity and order of migrations: (version, file base name), the history table's key. */

import { compareVersions, sortHistory } from '../migration/history-order.js';
import type { Migration } from '../migration/types.js';

export interface MigrationRef {
  version: string;
  /** File base name. */
  name: string;
  /** Workspace-relative path (empty for a history row whose file is missing). */
  relPath: string;
}

export function refOf(migration: Migration): MigrationRef {
  return { version: migration.name.version ?? '', name: migration.name.baseName, relPath: migration.relPath };
}

export function keyOf(item: { version: string; name: string }): string {
  return `${item.version}\u0000${item.name}`;
}

// One order of history for the runner and the rules: migration/history-order.ts.
export { compareVersions };

/** Compares (version, name): version as above, then the base name in code-point order. */
export function compareKeys(a: { version: string; name: string }, b: { version: string; name: string }): number {
  const byVersion = compareVersions(a.version, b.version);
  if (byVersion !== 0) return byVersion;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return 0;
}

/** Migrations in execution order (sub-folders do not matter, only names): the history order rules use too. */
export function sortForExecution(migrations: readonly Migration[]): Migration[] {
  return sortHistory(migrations);
}
