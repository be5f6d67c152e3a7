import { describe, expect, it } from 'vitest';
import { historyBefore, sortHistory } from './history-order.js';
import { parseMigration } from './parse-migration.js';

const at = (relPath: string) => parseMigration({ path: `/repo/${relPath}`, relPath, text: 'SELECT 1;\n' });

describe('history order', () => {
  const archived = at('migration_history/archive/2025-01-02_01_create_visits.sql');
  const tenth = at('migration_history/2025-02-01_10_add_notes.sql');
  const ninth = at('migration_history/2025-02-01_9_add_flags.sql');
  const hundredth = at('migration_history/2025-02-01_100_add_index.sql');
  const later = at('migration_history/a_subfolder/2025-03-01_101_drop_flags.sql');
  const unversioned = at('migration_history/legacy_init.sql');

  it('orders by version (date, then the sequence number as a number), not by path', () => {
    const order = sortHistory([unversioned, later, hundredth, tenth, ninth, archived]).map((migration) => migration.name.baseName);
    expect(order).toEqual([
      '2025-01-02_01_create_visits.sql',
      '2025-02-01_9_add_flags.sql',
      '2025-02-01_10_add_notes.sql',
      '2025-02-01_100_add_index.sql',
      '2025-03-01_101_drop_flags.sql',
      'legacy_init.sql',
    ]);
  });

  it('historyBefore: a base table in an archive folder is earlier than a later migration at the top level', () => {
    const history = [later, tenth, archived, hundredth];
    expect(historyBefore(history, tenth).map((migration) => migration.relPath)).toEqual([archived.relPath]);
    expect(historyBefore(history, later).map((migration) => migration.name.version)).toEqual(['2025-01-02_01', '2025-02-01_10', '2025-02-01_100']);
    expect(historyBefore(history, archived)).toEqual([]);
    // localeCompare on paths would have put "a_subfolder/..." before "archive/..." and before the top-level files.
    expect('migration_history/a_subfolder/x'.localeCompare('migration_history/archive/y')).toBeLessThan(0);
  });
});
