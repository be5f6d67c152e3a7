/**
 * Every run compares every applied migration's recorded checksum with its file. A body edit
 * after execution is refused (the checksum covers the body and directives, not the header, so
 * finalising or approving never counts). A history row whose file is gone is reported too.
 * `repair` is the audited way to accept an intended change.
 */

import type { Migration } from '../migration/types.js';
import type { HistoryRow } from './history.js';
import { commandNames } from './find-migration.js';
import { keyOf } from './ordering.js';

export interface IntegrityProblem {
  kind: 'tampered' | 'missing-file';
  version: string;
  name: string;
  relPath: string;
  message: string;
}

/** Rows that changed the database: applied ones, and no-transaction runs that executed statements. */
function touchedDatabase(row: HistoryRow): boolean {
  return row.status === 'applied' || (row.statementsApplied ?? 0) > 0;
}

export function checkIntegrity(history: readonly HistoryRow[], migrations: readonly Migration[]): IntegrityProblem[] {
  const files = new Map<string, Migration>();
  for (const m of migrations) if (m.name.version) files.set(keyOf({ version: m.name.version, name: m.name.baseName }), m);

  // The suggested repair names the file alone, also when other files share its version.
  const nameOf = commandNames(migrations);
  const problems: IntegrityProblem[] = [];
  for (const row of history) {
    if (!touchedDatabase(row)) continue;
    const file = files.get(keyOf(row));
    if (!file) {
      problems.push({
        kind: 'missing-file',
        version: row.version,
        name: row.name,
        relPath: '',
        message: `${row.name}: ${row.status === 'applied' ? 'applied' : 'partly applied'} on ${row.startedAt.toISOString().slice(0, 10)} but the file is missing: restore it from version control`,
      });
      continue;
    }
    if (row.status === 'applied' && row.checksum !== file.checksum) {
      problems.push({
        kind: 'tampered',
        version: row.version,
        name: row.name,
        relPath: file.relPath,
        message: `${file.relPath}: the SQL changed after it was applied (recorded ${row.checksum.slice(0, 12)}, file now ${file.checksum.slice(0, 12)}): revert the edit and write a new migration, or accept it with pgwarden repair --accept ${nameOf(file)} --by NAME --reason TEXT`,
      });
    }
  }
  return problems;
}
