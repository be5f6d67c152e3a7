import { findMigration, repair, type RepairAction } from '@pgwarden/core/runner/index';
import { commandHelp, parseCommand, UsageError, type CommandSpec } from '../command.js';
import { DATABASE_OPTIONS, openTarget, prepareDatabaseCommand } from './shared.js';

export const spec: CommandSpec = {
  usage: [
    'pgwarden repair --accept MIGRATION --by NAME --reason TEXT [--env NAME] [--database-url URL]',
    'pgwarden repair MIGRATION --resume-from N --by NAME --reason TEXT [--env NAME] [--database-url URL]',
    'pgwarden repair MIGRATION --mark-applied --by NAME --reason TEXT [--env NAME] [--database-url URL]',
  ],
  about: `The audited ways out of a state migrate refuses, each logged in pgwarden.repair_log with who
and why (exactly one of --accept, --resume-from, --mark-applied). A repair that would change
nothing is refused.`,
  options: {
    accept: { type: 'string', value: 'MIGRATION', description: "the applied MIGRATION changed on disk: record its file's current checksum" },
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
  notes: `MIGRATION is the file's version (YYYY-MM-DD_NN) or, when several files share that version,
its file name (YYYY-MM-DD_NN_slug, .sql optional) or its path.`,
};

export async function run(argv: string[]): Promise<number> {
  const args = parseCommand(argv, spec);
  if (!args) return 0;
  const values = args.values as { accept?: string; 'resume-from'?: string; 'mark-applied'?: boolean; by?: string; reason?: string };
  const actions = [values.accept !== undefined, values['resume-from'] !== undefined, values['mark-applied'] === true].filter(Boolean).length;
  if (actions !== 1) throw new UsageError(`repair needs exactly one of --accept MIGRATION, --resume-from N or --mark-applied\n\n${commandHelp(spec)}`);
  const action: RepairAction = values.accept !== undefined ? 'accept' : values['resume-from'] !== undefined ? 'resume-from' : 'mark-applied';
  const named = action === 'accept' ? values.accept : args.positionals[0];
  if (action !== 'accept' && args.positionals.length !== 1) throw new UsageError(`repair --${action} needs exactly one MIGRATION\n\n${commandHelp(spec)}`);
  if (action === 'accept' && args.positionals.length > 0) throw new UsageError(`repair --accept takes the MIGRATION as its value, not ${args.positionals[0]}\n\n${commandHelp(spec)}`);
  let resumeFrom: number | undefined;
  if (action === 'resume-from') {
    resumeFrom = Number(values['resume-from']);
    if (!/^\d+$/.test(values['resume-from'] ?? '')) throw new UsageError(`--resume-from ${values['resume-from']}: expected a statement count (0, 1, 2, ...)`);
  }
  const { by, reason } = values;
  if (!named || !by || !reason) {
    const first = action === 'accept' ? '--accept MIGRATION' : `MIGRATION --${action}${action === 'resume-from' ? ' N' : ''}`;
    throw new UsageError(`repair needs ${first}, --by NAME and --reason TEXT\n\n${commandHelp(spec)}`);
  }
  const { target, history } = await prepareDatabaseCommand(args.values);
  const spell: Record<RepairAction, (name: string) => string> = {
    accept: (name) => `pgwarden repair --accept ${name}`,
    'resume-from': (name) => `pgwarden repair ${name} --resume-from ${resumeFrom}`,
    'mark-applied': (name) => `pgwarden repair ${name} --mark-applied`,
  };
  const migration = findMigration(history.migrations, named, { spell: spell[action] });
  const db = await openTarget(target);
  try {
    const result = await repair(db, { version: migration.name.version!, name: migration.name.baseName, by, reason, newChecksum: migration.checksum, action, resumeFrom, migration });
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
