import { relative } from 'node:path';
import { loadConfig } from '@pgwarden/core/config/index';
import { writeBaseline } from '@pgwarden/core/workspace/index';
import { commandHelp, parseCommand, UsageError, type CommandSpec } from '../command.js';

export const spec: CommandSpec = {
  usage: ['pgwarden baseline [VERSION] [--config FILE]'],
  about: `Adoption on an existing history: records the version of the last migration already executed as
"baseline" in pgwarden.config.json, changing nothing else in the file. Without VERSION it is the newest
migration whose header records an execution (an execution record, or every box closed plus a
MIGRATION EXECUTED section or an execution date); when the headers cannot tell (none records one, or
one marked "[ ] Not yet executed" comes before it), name VERSION (YYYY-MM-DD_NN). Migrations at or
before it are history: lint judges them only with the integrity rules (readable-file, syntax,
psql-meta-command, executed-immutable); the ones after it are linted in full.`,
  options: { config: { type: 'string', value: 'FILE', description: 'pgwarden.config.json to use (default: found upwards)' }, },
};

export async function run(argv: string[]): Promise<number> {
  const args = parseCommand(argv, spec);
  if (!args) return 0;
  if (args.positionals.length > 1) throw new UsageError(`unexpected argument "${args.positionals[1]}"\n\n${commandHelp(spec)}`);
  const config = loadConfig({ configPath: args.values.config as string | undefined });
  const result = await writeBaseline(config, { version: args.positionals[0] });
  const where = relative(process.cwd(), result.configPath) || result.configPath;
  const was = result.previous && result.previous !== result.version ? ` (was ${result.previous})` : '';
  const later = result.stillToRun > 0 ? `; ${result.stillToRun} after it still to run` : '';
  console.log(`baseline ${result.version}${was} written to ${where}: ${plural(result.migrations)} now count as executed${later}`);
  for (const path of result.markedNotExecuted) console.log(`  counted as executed although its header says not yet executed: ${path}`);
  for (const path of result.unversioned) console.log(`  not covered (no YYYY-MM-DD_NN_ name): ${relative(config.root, path)}`);
  return 0;
}

function plural(count: number): string {
  return `${count} migration${count === 1 ? '' : 's'}`;
}
