import { status } from '@pgwarden/core/runner/index';
import { statusNeedsAttention, statusReport } from '@pgwarden/core/workspace/index';
import { parseCommandArgs } from '../command.js';
import { DATABASE_OPTIONS, openTarget, prepareDatabaseCommand } from './shared.js';

const USAGE = `Usage: pgwarden status [--env NAME] [--database-url URL] [--json]

Lists every migration: applied (when, by whom), pending, failed, tampered (the applied SQL
changed), missing-file; and its approvals against what the environment requires.
Exits 1 when any migration is tampered, failed or missing its file.`;

export async function run(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, { ...DATABASE_OPTIONS, json: { type: 'boolean' } }, USAGE);
  if (!args) return 0;
  const { target, history } = await prepareDatabaseCommand(args.values);
  const db = await openTarget(target);
  try {
    const rows = await status(db, history.migrations, { name: target.envName, config: target.environment });
    console.log(args.values.json ? JSON.stringify(rows, null, 2) : statusReport(rows, db.label, target.envName));
    return statusNeedsAttention(rows) ? 1 : 0;
  } finally {
    await db.close();
  }
}
