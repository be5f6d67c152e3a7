/** The impact report as Markdown for the review (deterministic: same input, same text). */
import type { ImpactReport, SourceLocation } from './impact-report.js';

const at = (location: SourceLocation | undefined) => (location ? `${location.file}:${location.line}` : 'not found in current_schema/');
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const statementsAt = (lines: readonly number[]) => (lines.length === 1 ? `the statement at line ${lines[0]}` : `the statements at lines ${lines.join(', ')}`);

export function impactMarkdown(report: ImpactReport): string {
  const out: string[] = [`# Impact of ${report.file}`, '', `Postgres ${report.postgresVersion}. Proved on a shadow of current_schema/${report.reflected ? ' (current_schema/ already holds this migration)' : ''}.`, ''];

  out.push('## Statements', '', '| Line | Statement | Lock | Rewrite / scan | Objects |', '| --- | --- | --- | --- | --- |');
  for (const statement of report.statements) {
    const locks = statement.locks.map((lock) => `${lock.mode} on ${lock.tables.join(', ')}`).join('; ') || 'none on existing tables';
    const cost = [...statement.rewrites.map((text) => `rewrite: ${text}`), ...statement.scans.map((text) => `scan: ${text}`)].join('; ') || 'no';
    const lines = statement.endLine > statement.line ? `${statement.line}-${statement.endLine}` : `${statement.line}`;
    out.push(`| ${lines} | ${statement.kind} | ${cell(locks)} | ${cell(cost)} | ${cell(statement.objects.join(', ') || '-')} |`);
  }
  out.push('');

  out.push('## Affected tables', '');
  if (report.affectedTables.length === 0) out.push('None.');
  for (const table of report.affectedTables) out.push(`- ${table.table}: ${at(table.definedAt)}`);
  out.push('');

  out.push('## Dependent objects', '');
  if (report.dependents.length === 0) out.push('None found (views and rules through pg_depend, functions through pg_depend or their bodies, triggers).');
  for (const dependent of report.dependents) out.push(`- ${dependent.kind.replace(/_/g, ' ')} ${dependent.key} depends on ${dependent.on} (${dependent.via === 'body' ? 'its body names it' : 'pg_depend'}): ${at(dependent.definedAt)}`);
  out.push('');

  const destructive = report.statements.filter((statement) => statement.destructive);
  out.push('## Destructive statements', '');
  if (destructive.length === 0) out.push('None.');
  for (const statement of destructive) out.push(`- line ${statement.line}: ${statement.destructive}`);
  out.push('');

  // A statement that failed on the shadow ran neither time: a clean run says nothing about it.
  const failed = report.failedStatements.length > 0;
  const notProved = `not proved: ${statementsAt(report.failedStatements)} failed on the shadow`;
  out.push('## Proofs', '');
  const idempotent = report.idempotent.proved ? 'yes (a second run succeeds and leaves the schema unchanged)' : failed && report.idempotent.problems.length === 0 ? notProved : 'no';
  out.push(`- Idempotent: ${idempotent}`);
  for (const problem of report.idempotent.problems) out.push(`  - ${problem}`);
  const rollback = !report.rollback.script
    ? 'no rollback script'
    : report.rollback.restores === undefined
      ? report.rollback.problems.length > 0
        ? 'problems found'
        : failed
          ? notProved
          : 'runs, and the migration applies again after it (the schema before the migration is not known: current_schema/ already holds it)'
      : report.rollback.restores
        ? 'restores the schema from before the migration'
        : 'does not restore the schema';
  out.push(`- Rollback: ${rollback}`);
  for (const problem of report.rollback.problems) out.push(`  - ${problem}`);
  const other = report.findings.filter((finding) => finding.rule !== 'deep-not-idempotent' && !finding.rule.startsWith('deep-rollback'));
  for (const finding of other) out.push(`- ${finding.severity} line ${finding.line} ${finding.rule}: ${finding.message}`);
  out.push('');

  out.push('## current_schema/ edits after execution', '');
  if (failed) out.push(`Incomplete: what ${statementsAt(report.failedStatements)} would change is not known (failed on the shadow).`, '');
  if (report.schemaEdits.length === 0) out.push(report.reflected ? 'None: current_schema/ already holds this migration.' : failed ? 'None found.' : 'None.');
  for (const edit of report.schemaEdits) out.push(`- ${edit.file}${edit.line ? `:${edit.line}` : ''}: ${edit.message}${edit.writable ? '' : ' (edit by hand)'}`);
  out.push('');
  return out.join('\n');
}
