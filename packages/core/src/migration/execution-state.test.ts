import { describe, expect, it } from 'vitest';
import { executedBy } from './execution-state.js';
import { parseMigration } from './parse-migration.js';

const RULE = `-- ${'='.repeat(76)}`;
const parse = (header: string[], name = '2025-10-08_18_add_archived_flag.sql') =>
  parseMigration({ path: `/repo/migration_history/${name}`, relPath: `migration_history/${name}`, text: [RULE, ...header, RULE, '', 'SELECT 1;', ''].join('\n') });

describe('executedBy', () => {
  it("reads pgwarden's execution record", () => {
    const migration = parse(['-- Migration: Add archived flag', '-- MIGRATION EXECUTED:', '--   [X] production 2025-10-09 by ci (1200 ms)']);
    expect(executedBy(migration)).toBe('record');
  });

  it("reads the convention's completion marks: every box closed plus a MIGRATION EXECUTED section or an execution date", () => {
    const section = parse(['-- Migration: Add archived flag', '-- DOWNSTREAM UPDATES:', '--   [X] Types updated', '--   [N/A] Bridge schemas', '-- MIGRATION EXECUTED:', '--   Applied in the SQL editor.']);
    expect(executedBy(section)).toBe('completion-marks');
    const dated = parse(['-- Migration: Add archived flag', '-- DOWNSTREAM UPDATES:', '--   [x] Types updated', '-- Executed on: 2025-10-09 (SQL editor)']);
    expect(executedBy(dated)).toBe('completion-marks');
  });

  it('near misses: an open box, no box at all, or ticked boxes without any execution mark', () => {
    const open = parse(['-- Migration: Add archived flag', '--   [X] Types updated', '--   [ ] Bridge schemas', '-- MIGRATION EXECUTED:', '--   [X] pending']);
    expect(executedBy(open)).toBeUndefined();
    expect(executedBy(parse(['-- Migration: Add archived flag', '-- MIGRATION EXECUTED: yes']))).toBeUndefined();
    expect(executedBy(parse(['-- Migration: Add archived flag', '-- DOWNSTREAM UPDATES:', '--   [X] Types updated']))).toBeUndefined();
  });

  it('counts versions at or before the baseline, by version order', () => {
    const migration = parse(['-- Migration: Add archived flag'], '2025-10-08_9_add_archived_flag.sql');
    expect(executedBy(migration, { baseline: '2025-10-08_10' })).toBe('baseline');
    expect(executedBy(migration, { baseline: '2025-10-08_9' })).toBe('baseline');
    expect(executedBy(migration, { baseline: '2025-10-08_08' })).toBeUndefined();
    expect(executedBy(parse(['-- Migration: x'], 'legacy.sql'), { baseline: '2030-01-01_99' })).toBeUndefined();
  });

  it('a record from a configured environment that does not record (an old local run) is not an execution; production, a recording one and unknown names are', () => {
    const environments = { local: { approvals: 0 }, staging: { record: false }, qa: { record: true }, production: { production: true } };
    const recordOf = (env: string) => parse(['-- Migration: Add archived flag', '-- MIGRATION EXECUTED:', `--   [X] ${env} 2025-10-09 by maria (12 ms)`]);
    expect(executedBy(recordOf('local'), { environments })).toBeUndefined();
    expect(executedBy(recordOf('staging'), { environments })).toBeUndefined();
    expect(executedBy(recordOf('qa'), { environments })).toBe('record');
    expect(executedBy(recordOf('production'), { environments })).toBe('record');
    // A name the configuration does not know (another team's environment) still counts.
    expect(executedBy(recordOf('eu-prod'), { environments })).toBe('record');
    // A local record next to a production one: executed.
    const both = parse(['-- Migration: x', '-- MIGRATION EXECUTED:', '--   [X] local 2025-10-08 by maria (12 ms)', '--   [X] production 2025-10-09 by ci (40 ms)']);
    expect(executedBy(both, { environments })).toBe('record');
    // Every other box ticked: the local record's box and date are still no mark of execution.
    const ticked = parse(['-- Migration: x', '-- DOWNSTREAM UPDATES:', '--   [X] Types updated', '-- MIGRATION EXECUTED:', '--   [X] local 2025-10-08 by maria (12 ms)']);
    expect(executedBy(ticked, { environments })).toBeUndefined();
    expect(executedBy(ticked)).toBe('record');
    const written = parse(['-- Migration: x', '-- DOWNSTREAM UPDATES:', '--   [X] Types updated', '-- MIGRATION EXECUTED:', '--   [X] local 2025-10-08 by maria (12 ms)', '--   Applied in production on 2025-10-09.']);
    expect(executedBy(written, { environments })).toBe('completion-marks');
    // The hand-written record counts whatever the configuration says.
    expect(executedBy(parse(['-- Migration: x', '-- MIGRATION EXECUTED:', '--   [X] Executed 2025-10-09']), { environments })).toBe('record');
  });
});
