import { embeddedDatabaseExists } from '@pgwarden/core/db/index';
import { PROBLEM_STATES, status, statusRows, type StatusRow } from '@pgwarden/core/runner/index';
import { parseCommandArgs } from '../command.js';
import { DATABASE_OPTIONS, openTarget, prepareDatabaseCommand, table } from './shared.js';

const USAGE = `Usage: pgwarden status [--env NAME] [--database-url URL] [--json]

Lists every migration: applied (when, by whom), pending, failed, tampered (the applied SQL
changed), missing-file, running (a runner is at work), interrupted (a no-transaction run
that stopped midway), unreadable (the file cannot be read); and its approvals against what
the environment requires. Never creates the embedded database.
Exits 1 when any migration is tampered, failed, interrupted, unreadable or missing its file.`;

export async function run(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, { ...DATABASE_OPTIONS, json: { type: 'boolean' } }, USAGE);
  if (!args) return 0;
  const { target, history } = await prepareDatabaseCommand(args.values);
  const environment = { name: target.envName, config: target.environment };
  let label: string;
  let rows: StatusRow[];
  let note = '';
  if (!target.url && !embeddedDatabaseExists(target.embeddedDir)) {
    label = target.embeddedDir;
    note = 'the embedded database does not exist yet: nothing applied yet';
    rows = statusRows([], history.migrations, { ...environment, kind: 'pglite', unreadable: history.unreadable });
  } else {
    const db = await openTarget(target);
    try {
      label = db.label;
      rows = await status(db, history.migrations, environment, { unreadable: history.unreadable });
    } finally {
      await db.close();
    }
  }
  if (args.values.json) {
    console.log(JSON.stringify(rows, null, 2));
  } else {
    console.log(`pgwarden: ${label} (env ${target.envName})${note ? `: ${note}` : ''}`);
    const lines = rows.map((row) => [
      row.state,
      row.state === 'unreadable' ? row.relPath : row.name,
      row.appliedAt ? row.appliedAt.toISOString().replace('T', ' ').slice(0, 19) : '',
      row.appliedBy ?? '',
      row.state === 'unreadable' ? '' : `${row.approvals.valid}/${row.approvals.required}${row.approvals.voided ? ' (voided by an edit)' : ''}`,
      noteOf(row),
    ]);
    console.log(table([['STATE', 'MIGRATION', 'APPLIED AT', 'BY', 'APPROVALS', 'NOTE'], ...lines]));
    const count = (state: string) => rows.filter((row) => row.state === state).length;
    const extra = (['running', 'interrupted', 'unreadable'] as const).filter((state) => count(state) > 0).map((state) => `, ${count(state)} ${state}`);
    console.log(
      `\n${count('applied')} applied, ${count('pending')} pending, ${count('failed')} failed, ${count('tampered')} tampered, ${count('missing-file')} missing${extra.join('')}`,
    );
  }
  return rows.some((row) => PROBLEM_STATES.includes(row.state)) ? 1 : 0;
}

function noteOf(row: StatusRow): string {
  if (row.state === 'interrupted') {
    return `stopped after ${row.statementsApplied ?? 0} statements: rerun pgwarden migrate to resume, or see pgwarden repair --help`;
  }
  return row.error ? row.error.split('\n')[0]! : '';
}
