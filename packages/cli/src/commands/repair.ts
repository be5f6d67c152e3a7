import { repair, type RepairAction } from '@pgwarden/core/runner/index';
import { commandHelp, parseCommand, UsageError, type CommandSpec } from '../command.js';
import { DATABASE_OPTIONS, openTarget, prepareDatabaseCommand } from './shared.js';

export const spec: CommandSpec = {
  usage: [
    'pgwarden repair --accept VERSION --by NAME --reason TEXT [--env NAME] [--database-url URL]',
    'pgwarden repair VERSION --resume-from N --by NAME --reason TEXT [--env NAME] [--database-url URL]',
    'pgwarden repair VERSION --mark-applied --by NAME --reason TEXT [--env NAME] [--database-url URL]',
  ],
  about: `The audited ways out of a state migrate refuses, each logged in pgwarden.repair_log with who
and why (exactly one of --accept, --resume-from, --mark-applied). A repair that would change
nothing is refused.`,
  options: {
    accept: { type: 'string', value: 'VERSION', description: "the applied migration VERSION changed on disk: record its file's current checksum" },
    'resume-from': {
      type: 'string',
      value: 'N',
      description:
        'a partial no-transaction run: statements 1..N of the file as it is now did run\n(checked against the database: no invalid index among them); the next\nmigrate starts at statement N+1',
    },
    'mark-applied': { type: 'boolean', description: 'a failed or partial run that was finished by hand: record it applied' },
    by: { type: 'string', value: 'NAME', description: 'who repairs, for the log' },
    reason: { type: 'string', value: 'TEXT', description: 'why, for the log' },
    ...DATABASE_OPTIONS,
  },
};

export async function run(argv: string[]): Promise<number> {
  const args = parseCommand(argv, spec);
  if (!args) return 0;
  const values = args.values as { accept?: string; 'resume-from'?: string; 'mark-applied'?: boolean; by?: string; reason?: string };
  const actions = [values.accept !== undefined, values['resume-from'] !== undefined, values['mark-applied'] === true].filter(Boolean).length;
  if (actions !== 1) throw new UsageError(`repair needs exactly one of --accept VERSION, --resume-from N or --mark-applied\n\n${commandHelp(spec)}`);
  const action: RepairAction = values.accept !== undefined ? 'accept' : values['resume-from'] !== undefined ? 'resume-from' : 'mark-applied';
  const version = action === 'accept' ? values.accept : args.positionals[0];
  if (action !== 'accept' && args.positionals.length !== 1) throw new UsageError(`repair --${action} needs exactly one VERSION\n\n${commandHelp(spec)}`);
  if (action === 'accept' && args.positionals.length > 0) throw new UsageError(`repair --accept takes the VERSION as its value, not ${args.positionals[0]}\n\n${commandHelp(spec)}`);
  let resumeFrom: number | undefined;
  if (action === 'resume-from') {
    resumeFrom = Number(values['resume-from']);
    if (!/^\d+$/.test(values['resume-from'] ?? '')) throw new UsageError(`--resume-from ${values['resume-from']}: expected a statement count (0, 1, 2, ...)`);
  }
  const { by, reason } = values;
  if (!version || !by || !reason) {
    const first = action === 'accept' ? '--accept VERSION' : `VERSION --${action}${action === 'resume-from' ? ' N' : ''}`;
    throw new UsageError(`repair needs ${first}, --by NAME and --reason TEXT\n\n${commandHelp(spec)}`);
  }
  const { target, history } = await prepareDatabaseCommand(args.values);
  const matches = history.migrations.filter((migration) => migration.name.version === version);
  if (matches.length === 0) throw new UsageError(`no migration file has version ${version}`);
  if (matches.length > 1) throw new UsageError(`several files have version ${version}: ${matches.map((m) => m.relPath).join(', ')}`);
  const migration = matches[0]!;
  const db = await openTarget(target);
  try {
    const result = await repair(db, { version, name: migration.name.baseName, by, reason, newChecksum: migration.checksum, action, resumeFrom, migration });
    if (action === 'accept') {
      console.log(`pgwarden: ${result.name}: checksum ${result.oldChecksum.slice(0, 12)} -> ${result.newChecksum.slice(0, 12)} accepted by ${by}`);
    } else {
      console.log(`pgwarden: ${result.name}: ${result.detail}; recorded by ${by}`);
    }
    return 0;
  } finally {
    await db.close();
  }
}
