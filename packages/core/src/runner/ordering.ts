/** Identity and order of migrations: (version, file base name), the history table's key. */

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

/**
 * Orders versions `YYYY-MM-DD_NN` by date, then by the sequence number as a number
 * (`_100` after `_99`); anything else falls back to code-point order.
 */
export function compareVersions(a: string, b: string): number {
  if (a === b) return 0;
  const pa = VERSION.exec(a);
  const pb = VERSION.exec(b);
  if (pa && pb) {
    if (pa[1] !== pb[1]) return pa[1]! < pb[1]! ? -1 : 1;
    const na = Number(pa[2]);
    const nb = Number(pb[2]);
    if (na !== nb) return na < nb ? -1 : 1;
  }
  return a < b ? -1 : 1;
}

const VERSION = /^(\d{4}-\d{2}-\d{2})_(\d+)$/;

/** Compares (version, name): version as above, then the base name in code-point order. */
export function compareKeys(a: { version: string; name: string }, b: { version: string; name: string }): number {
  const byVersion = compareVersions(a.version, b.version);
  if (byVersion !== 0) return byVersion;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return 0;
}

/** Migrations with a valid version, in execution order (sub-folders do not matter, only names). */
export function sortForExecution(migrations: readonly Migration[]): Migration[] {
  return [...migrations].sort((a, b) => compareKeys(refOf(a), refOf(b)));
}
