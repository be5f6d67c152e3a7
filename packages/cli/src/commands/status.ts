import { status } from '@pgwarden/core/runner/index';
import { statusNeedsAttention, statusReport } from '@pgwarden/core/workspace/index';
import { parseCommandArgs } from '../command.js';
import { DATABASE_OPTIONS, openTarget, prepareDatabaseCommand } from './shared.js';

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
    console.log(args.values.json ? JSON.stringify([...rows, ...unreadable], null, 2) : statusReport(rows, db.label, target.envName));
    if (!args.values.json) for (const file of unreadable) console.error(`pgwarden: ${file.name} ${file.error}`);
    return unreadable.length > 0 || statusNeedsAttention(rows) ? 1 : 0;
  } finally {
    await db.close();
  }
}
