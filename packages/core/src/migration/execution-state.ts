/**
 * Whether a migration is history already: executed somewhere, so that only integrity rules judge it.
 *
 *   record            the header holds an execution record (`pgwarden migrate` writes one, or the
 *                     hand-written `[X] Executed YYYY-MM-DD` under MIGRATION EXECUTED) from an
 *                     environment that records: a record naming a configured environment that does
 *                     not record (an old `[X] local` run) is not an execution of the shared history;
 *   completion-marks  the convention's own finalisation: every header checkbox is closed ([X] or
 *                     [N/A], at least one box) and the header has a MIGRATION EXECUTED section or an
 *                     execution date (`EXECUTED: 2025-10-09`, `Executed on 2025-10-09`, ...);
 *   baseline          the version is at or before the configured `baseline` (adoption on an
 *                     existing history: `pgwarden baseline` writes it).
 */
import { EXECUTED_SECTION } from './header.js';
import { compareVersions } from './history-order.js';
import type { ExecutionRecord, HeaderSection, Migration } from './types.js';

export type ExecutedBy = 'record' | 'completion-marks' | 'baseline';

const EXECUTION_DATE = /\bexecut(?:ed|ion)\b[^\n]*?\b\d{4}-\d{2}-\d{2}\b/i;
export const BASELINE_VERSION = /^\d{4}-\d{2}-\d{2}_\d+$/;

/** What an environment's configuration says about its execution records. */
export interface RecordingEnvironment {
  record?: boolean;
  production?: boolean;
}

/** The configuration that decides what is history (structurally a subset of the loaded config). */
export interface HistorySettings {
  baseline?: string;
  environments?: Readonly<Record<string, RecordingEnvironment>>;
}

/** Whether `migrate` writes execution records for this environment: by default only production does. */
export function recordsExecutions(environment: RecordingEnvironment): boolean {
  return environment.record ?? environment.production === true;
}

/**
 * Whether a header's execution record is an execution of the shared history. A record naming an
 * environment the configuration does not know (a hand-written record, another team's name) counts.
 */
export function countsAsExecution(record: Pick<ExecutionRecord, 'env'>, environments?: HistorySettings['environments']): boolean {
  const environment = environments?.[record.env];
  return !environment || recordsExecutions(environment);
}

/** Why `migration` counts as executed, or undefined when it is still to run. */
export function executedBy(migration: Pick<Migration, 'header' | 'name'>, settings: HistorySettings = {}): ExecutedBy | undefined {
  const { header } = migration;
  const { baseline, environments } = settings;
  if (header && header.executions.some((record) => countsAsExecution(record, environments))) return 'record';
  // A record that does not count is neither a closed box nor a mark of execution.
  const ignored = new Set(header?.executions.filter((record) => !countsAsExecution(record, environments)).map((record) => record.line));
  const boxes = header?.checkboxes.filter((box) => !ignored.has(box.line)) ?? [];
  if (header && boxes.length > 0 && boxes.every((box) => box.state !== 'open')) {
    const marks = header.sections.filter((section) => !holdsOnlyIgnoredRecords(section, ignored));
    const executedSection = marks.some((section) => section.key === EXECUTED_SECTION);
    const executionDate = marks.some((section) => EXECUTION_DATE.test(`${section.key} ${section.value}`));
    if (executedSection || executionDate) return 'completion-marks';
  }
  const version = migration.name.version;
  if (baseline && version && compareVersions(version, baseline) <= 0) return 'baseline';
  return undefined;
}

/** A section whose only entries are records that do not count (an old local run's). */
function holdsOnlyIgnoredRecords(section: HeaderSection, ignored: ReadonlySet<number>): boolean {
  const written = section.lines.filter((entry) => entry.text.trim() !== '').map((entry) => entry.line);
  if (ignored.has(section.line)) written.push(section.line);
  return written.length > 0 && written.every((line) => ignored.has(line));
}
