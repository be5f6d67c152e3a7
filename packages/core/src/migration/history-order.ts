/**
 * The one order of a migration history: by version (`YYYY-MM-DD_NN`: the date, then the sequence
 * number as a number, so `_100` follows `_99`), then by file base name. Folders do not matter:
 * `migration_history/archive/2025-01-02_01_x.sql` comes before `migration_history/2025-03-01_02_y.sql`.
 * Files without a version (a name that breaks the convention) come after every versioned file, by path.
 */
import type { Migration } from './types.js';

const VERSION = /^(\d{4}-\d{2}-\d{2})_(\d+)$/;

/** Orders two versions; anything that is not `YYYY-MM-DD_NN` falls back to code-point order. */
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

type Ordered = Pick<Migration, 'name' | 'relPath'>;

/** History order of two migrations (negative when `a` runs first). */
export function compareMigrations(a: Ordered, b: Ordered): number {
  const va = a.name.version;
  const vb = b.name.version;
  if (va === undefined || vb === undefined) {
    if (va !== vb) return va === undefined ? 1 : -1;
    return a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0;
  }
  const byVersion = compareVersions(va, vb);
  if (byVersion !== 0) return byVersion;
  if (a.name.baseName !== b.name.baseName) return a.name.baseName < b.name.baseName ? -1 : 1;
  return a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0;
}

/** The history in execution order (a new array). */
export function sortHistory<T extends Ordered>(history: readonly T[]): T[] {
  return [...history].sort(compareMigrations);
}

/** The migrations of `history` that run before `migration`, in execution order (never `migration` itself). */
export function historyBefore<T extends Ordered>(history: readonly T[], migration: Ordered): T[] {
  return sortHistory(history.filter((other) => other.relPath !== migration.relPath && compareMigrations(other, migration) < 0));
}
