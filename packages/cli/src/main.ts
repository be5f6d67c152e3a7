import { UsageError, type CommandModule } from './command.js';

const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  lint: () => import('./commands/lint.js'),
  new: () => import('./commands/new.js'),
  approve: () => import('./commands/approve.js'),
  migrate: () => import('./commands/migrate.js'),
  status: () => import('./commands/status.js'),
  repair: () => import('./commands/repair.js'),
  check: () => import('./commands/check.js'),
  plan: () => import('./commands/plan.js'),
};

const USAGE = `Usage: pgwarden <command> [options]

Commands:
  lint [paths...]            check migrations against the convention (default: the whole history)
  new <slug>                 create the next migration from the template
  approve <file> --by NAME   record a review bound to the SQL body's checksum
  migrate                    apply pending approved migrations
  status                     applied / pending / approved / tampered, as a table
  repair --accept VERSION    accept an edited applied migration, audited
  check                      prove current_schema/ builds, matches the history, passes catalog lints, functions verify
  plan <file>                impact analysis of a migration (locks, dependents, proofs, current_schema/ edits); --write fills the header

Run 'pgwarden <command> --help' for a command's options.
Exit codes: 0 clean, 1 findings or a failed operation, 2 usage or configuration error.`;

export async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    console.log(await toolVersion());
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(`pgwarden: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  const command = await load();
  try {
    return await command.run(rest);
  } catch (error) {
    return reportFailure(error);
  }
}

/** Known failures become one line and an exit code; anything else is a bug and keeps its stack. */
export function reportFailure(error: unknown): number {
  if (error instanceof UsageError) {
    console.error(`pgwarden: ${error.message}`);
    return 2;
  }
  const err = error as { name?: string; message?: string; userMessage?: string; exitCode?: number };
  if (err?.name === 'ConfigError') {
    console.error(`pgwarden: configuration error: ${err.message}`);
    return 2;
  }
  if (err?.userMessage) {
    console.error(`pgwarden: ${err.userMessage}`);
    return err.exitCode ?? 1;
  }
  throw error;
}

export async function toolVersion(): Promise<string> {
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
