/**
 * Whether a migration is history already: executed somewhere, so that only integrity rules judge it.
 *
 *   record            the header holds an execution record (`pgwarden migrate` writes one, or the
 *                     hand-written `[X] Executed YYYY-MM-DD` under MIGRATION EXECUTED);
 *   completion-marks  the convention's own finalisation: every header checkbox is closed ([X] or
 *                     [N/A], at least one box) and the header has a MIGRATION EXECUTED section or an
 *                     execution date (`EXECUTED: 2025-10-09`, `Executed on 2025-10-09`, ...);
 *   baseline          the version is at or before the configured `baseline` (adoption on an
 *                     existing history: `pgwarden baseline` writes it).
 */
import { EXECUTED_SECTION } from './header.js';
import { compareVersions } from './history-order.js';
import type { Migration } from './types.js';

export type ExecutedBy = 'record' | 'completion-marks' | 'baseline';

const EXECUTION_DATE = /\bexecut(?:ed|ion)\b[^\n]*?\b\d{4}-\d{2}-\d{2}\b/i;
export const BASELINE_VERSION = /^\d{4}-\d{2}-\d{2}_\d+$/;

/** Why `migration` counts as executed, or undefined when it is still to run. */
export function executedBy(migration: Pick<Migration, 'header' | 'name'>, baseline?: string): ExecutedBy | undefined {
  const { header } = migration;
  if (header && header.executions.length > 0) return 'record';
  if (header && header.checkboxes.length > 0 && header.checkboxes.every((box) => box.state !== 'open')) {
    const executedSection = header.sections.some((section) => section.key === EXECUTED_SECTION);
    const executionDate = header.sections.some((section) => EXECUTION_DATE.test(`${section.key} ${section.value}`));
    if (executedSection || executionDate) return 'completion-marks';
  }
  const version = migration.name.version;
  if (baseline && version && compareVersions(version, baseline) <= 0) return 'baseline';
  return undefined;
}
