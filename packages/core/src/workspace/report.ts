import type { MigrateEvent, MigrateResult } from '../runner/migrate-types.js';
import { PROBLEM_STATES, type StatusRow } from '../runner/status.js';

/** One line of a command's human output and where it goes (refusals and failures to stderr). */
export interface ReportLine {
  stream: 'out' | 'err';
  text: string;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A fixed-width text table; the last column is left unpadded. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ').trimEnd()).join('\n');
}

/** Progress of `migrate` as the CLI and the Nx executor print it; undefined for silent events. */
export function migrateEventLine(event: MigrateEvent): ReportLine | undefined {
  switch (event.type) {
    case 'lock-wait':
      return { stream: 'out', text: `  waiting  another runner holds the migration lock (${event.holder})` };
    case 'retry':
      return { stream: 'out', text: `  retry    ${event.migration.name}: ${event.reason}; attempt ${event.attempt} of ${event.of} in ${formatDuration(event.delayMs)}` };
    case 'applied':
      return { stream: 'out', text: `  applied  ${event.migration.name}  ${formatDuration(event.durationMs)}` };
    case 'failed':
      return { stream: 'err', text: `  failed   ${event.migration.name}  ${formatDuration(event.durationMs)}\n           ${event.message}` };
    case 'start':
      return event.resumeFrom > 0 ? { stream: 'out', text: `  resume   ${event.migration.name} after statement ${event.resumeFrom}` } : undefined;
    case 'preset':
      return { stream: 'out', text: `  preset   ${event.name}: created the roles and auth schema the migrations expect` };
    case 'skipped':
      return undefined;
  }
}

export interface MigrateReportOptions {
  /** `--dry-run --sql`: the SQL a file would run (its body, or the planned `sql` that replaces it), by workspace-relative path. */
  sqlOf?: (relPath: string) => string | undefined;
}

/**
 * Refusals, blocked files, warnings, the dry-run plan and the one-line summary of a `migrate` run.
 * Each file gets one verdict: refused, blocked (passes its gates, held back by a refusal) or
 * would apply.
 */
export function migrateResultLines(result: MigrateResult, options: MigrateReportOptions = {}): ReportLine[] {
  const lines: ReportLine[] = [];
  for (const refusal of result.refused) lines.push({ stream: 'err', text: `  refused  ${refusal.message}` });
  for (const blocked of result.blocked) {
    const by = blocked.by.length === 0 ? 'the refusal above' : blocked.by.length <= 3 ? blocked.by.join(', ') : `${blocked.by.slice(0, 3).join(', ')} and ${blocked.by.length - 3} more`;
    lines.push({
      stream: 'out',
      text: `  blocked  ${blocked.relPath}: passes its gates, but ${result.dryRun ? 'would not run' : 'did not run'}: nothing runs while ${by} ${blocked.by.length === 1 ? 'is' : 'are'} refused (fix ${blocked.by.length === 1 ? 'it' : 'them'}, or pass --to VERSION to stop before)`,
    });
  }
  if (result.aborted) lines.push({ stream: 'err', text: `  stopped  ${result.aborted}` });
  for (const file of result.reconciled) lines.push({ stream: 'out', text: `  recorded ${file}: execution record of an earlier run written` });
  for (const warning of result.warnings) lines.push({ stream: 'err', text: `  warning  ${warning}` });
  if (result.dryRun && result.refused.length === 0) {
    for (const planned of result.planned) {
      const notes = `${planned.noTransaction ? '  (no-transaction)' : ''}${planned.resumeFrom ? `  (resume after statement ${planned.resumeFrom})` : ''}`;
      lines.push({ stream: 'out', text: `  would apply  ${planned.name}${notes}` });
      const sql = options.sqlOf?.(planned.relPath);
      if (sql !== undefined) lines.push({ stream: 'out', text: `-- ${planned.relPath}\n${sql.replace(/^\n+/, '').replace(/\s+$/, '')}\n` });
    }
  }
  const summary = [
    `${result.applied.length} applied`,
    `${result.alreadyApplied} already applied`,
    result.failed.length ? `${result.failed.length} failed` : '',
    result.refused.length ? `${result.refused.length} refused` : '',
    result.blocked.length ? `${result.blocked.length} blocked` : '',
    result.dryRun ? `${result.planned.length} pending` : '',
  ]
    .filter(Boolean)
    .join(', ');
  lines.push({ stream: 'out', text: `pgwarden: ${summary} in ${formatDuration(result.durationMs)}` });
  return lines;
}

/** The `status` table with its header line and counts. */
export function statusReport(rows: readonly StatusRow[], label: string, envName: string, note?: string): string {
  const lines = rows.map((row) => [
    row.state,
    row.state === 'unreadable' ? row.relPath : row.name,
    row.appliedAt ? row.appliedAt.toISOString().replace('T', ' ').slice(0, 19) : '',
    row.appliedBy ?? '',
    row.state === 'unreadable' ? '' : `${row.approvals.valid}/${row.approvals.required}${approvalNotes(row).join('')}`,
    statusNote(row),
  ]);
  const count = (state: string) => rows.filter((row) => row.state === state).length;
  const extra = (['running', 'interrupted', 'unreadable'] as const).filter((state) => count(state) > 0).map((state) => `, ${count(state)} ${state}`);
  return [
    `pgwarden: ${label} (env ${envName})${note ? `: ${note}` : ''}`,
    table([['STATE', 'MIGRATION', 'APPLIED AT', 'BY', 'APPROVALS', 'NOTE'], ...lines]),
    '',
    `${count('applied')} applied, ${count('pending')} pending, ${count('failed')} failed, ${count('tampered')} tampered, ${count('missing-file')} missing${extra.join('')}`,
  ].join('\n');
}

function approvalNotes(row: StatusRow): string[] {
  const rejected = row.approvals.rejected.length;
  return [row.approvals.voided ? ' (voided by an edit)' : '', rejected ? ` (${rejected} rejected by git)` : ''];
}

function statusNote(row: StatusRow): string {
  if (row.state === 'interrupted') {
    return `stopped after ${row.statementsApplied ?? 0} statements: rerun pgwarden migrate to resume, or see pgwarden repair --help`;
  }
  if (row.error) return row.error.split('\n')[0]!;
  // The reasons migrate gives when it refuses these approvals.
  return row.approvals.rejected.map((rejected) => `${rejected.reason} (line ${rejected.line})`).join('; ');
}

/** Exit status of `status`: tampered, failed, interrupted, unreadable or missing files need attention. */
export function statusNeedsAttention(rows: readonly StatusRow[]): boolean {
  return rows.some((row) => PROBLEM_STATES.includes(row.state));
}
