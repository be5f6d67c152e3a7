import { status } from '@pgwarden/core/runner/index';
import { parseCommandArgs } from '../command.js';
import { DATABASE_OPTIONS, openTarget, prepareDatabaseCommand, table } from './shared.js';

const USAGE = `Usage: pgwarden status [--env NAME] [--database-url URL] [--json]

Lists every migration: applied (when, by whom), pending, failed, tampered (the applied SQL
changed), missing-file; and its approvals against what the environment requires.
Exits 1 when any migration is tampered, failed or missing its file, or a migration file cannot
be read (listed as unreadable, with the reason and never the content).`;

export async function run(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, { ...DATABASE_OPTIONS, json: { type: 'boolean' } }, USAGE);
  if (!args) return 0;
  const { target, history } = await prepareDatabaseCommand(args.values);
  const db = await openTarget(target);
  try {
    const rows = await status(db, history.migrations, { name: target.envName, config: target.environment });
    // A file that cannot be read is not silently left out: it is in the listing, and fails the command.
    const unreadable = history.unreadable.map((file) => ({ state: 'unreadable', name: file.relPath, error: file.message }));
    if (args.values.json) {
      console.log(JSON.stringify([...rows, ...unreadable], null, 2));
    } else {
      console.log(`pgwarden: ${db.label} (env ${target.envName})`);
      const lines = rows.map((row) => [
        row.state,
        row.name,
        row.appliedAt ? row.appliedAt.toISOString().replace('T', ' ').slice(0, 19) : '',
        row.appliedBy ?? '',
        `${row.approvals.valid}/${row.approvals.required}${row.approvals.voided ? ' (voided by an edit)' : ''}`,
        row.error ? row.error.split('\n')[0] : '',
      ]);
      console.log(table([['STATE', 'MIGRATION', 'APPLIED AT', 'BY', 'APPROVALS', 'NOTE'], ...lines]));
      const count = (state: string) => rows.filter((row) => row.state === state).length;
      console.log(`\n${count('applied')} applied, ${count('pending')} pending, ${count('failed')} failed, ${count('tampered')} tampered, ${count('missing-file')} missing`);
      for (const file of unreadable) console.error(`pgwarden: ${file.name} ${file.error}`);
    }
    return unreadable.length > 0 || rows.some((row) => row.state === 'tampered' || row.state === 'failed' || row.state === 'missing-file') ? 1 : 0;
  } finally {
    await db.close();
  }
}
