import { repair } from '@pgwarden/core/runner/index';
import { parseCommandArgs, UsageError } from '../command.js';
import { DATABASE_OPTIONS, openTarget, prepareDatabaseCommand } from './shared.js';

const USAGE = `Usage: pgwarden repair --accept VERSION --by NAME --reason TEXT [--env NAME] [--database-url URL]

The audited way out of a checksum mismatch: records that the applied migration VERSION
now has its file's current checksum, with who accepted it and why (pgwarden.repair_log).`;

export async function run(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, { ...DATABASE_OPTIONS, accept: { type: 'string' }, by: { type: 'string' }, reason: { type: 'string' } }, USAGE);
  if (!args) return 0;
  const { accept: version, by, reason } = args.values as { accept?: string; by?: string; reason?: string };
  if (!version || !by || !reason) throw new UsageError(`repair needs --accept VERSION, --by NAME and --reason TEXT\n\n${USAGE}`);
  const { target, history } = await prepareDatabaseCommand(args.values);
  const matches = history.migrations.filter((migration) => migration.name.version === version);
  if (matches.length === 0) throw new UsageError(`no migration file has version ${version}`);
  if (matches.length > 1) throw new UsageError(`several files have version ${version}: ${matches.map((m) => m.relPath).join(', ')}`);
  const db = await openTarget(target);
  try {
    const result = await repair(db, { version, name: matches[0].name.baseName, by, reason, newChecksum: matches[0].checksum });
    console.log(`pgwarden: ${result.name}: checksum ${result.oldChecksum.slice(0, 12)} -> ${result.newChecksum.slice(0, 12)} accepted by ${by}`);
    return 0;
  } finally {
    await db.close();
  }
}
