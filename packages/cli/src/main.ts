import { readFileSync } from 'node:fs';
import { showInvisible } from '@pgwarden/core/config/index';
import { UsageError, type CommandModule } from './command.js';

export const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  lint: () => import('./commands/lint.js'),
  new: () => import('./commands/new.js'),
  approve: () => import('./commands/approve.js'),
  migrate: () => import('./commands/migrate.js'),
  status: () => import('./commands/status.js'),
  repair: () => import('./commands/repair.js'),
  rollback: () => import('./commands/rollback.js'),
  check: () => import('./commands/check.js'),
  baseline: () => import('./commands/baseline.js'),
  types: () => import('./commands/types.js'),
  plan: () => import('./commands/plan.js'),
};

const USAGE = `Usage: pgwarden <command> [options]

Commands:
  lint [paths...]            check migrations against the convention (default: the whole history)
  new <slug>                 create the next migration from the template
  approve <file> --by NAME   record a review (NAME or bot:NAME) bound to the SQL body's checksum and file name
  migrate                    apply pending approved migrations
  status                     applied / pending / approved / tampered, as a table
  repair --accept MIGRATION  accept an edited applied migration, audited
  rollback MIGRATION         run an applied migration's rollback script, where the environment allows it
  check                      prove current_schema/ builds, matches the history, passes catalog lints, functions verify
  baseline [VERSION]         record the last migration already executed (adoption on an existing history)
  types [--check]            regenerate (or verify) downstream types and bridge schemas
  plan <file>                impact analysis of a migration (locks, dependents, proofs, current_schema/ edits); --write fills the header

Run 'pgwarden <command> --help' for a command's options.
--debug (any command) prints the stack trace of an internal error.
Exit codes: 0 clean, 1 findings or a failed operation, 2 usage or configuration error.`;

/** Set by `--debug` (anywhere before `--`) or PGWARDEN_DEBUG=1: internal errors then print their stack. */
let debug = false;

export function debugEnabled(): boolean {
  return debug || process.env.PGWARDEN_DEBUG === '1';
}

/** Removes the global `--debug` flag (not after a `--` terminator) so that commands never see it. */
function takeDebugFlag(argv: string[]): string[] {
  const end = argv.indexOf('--');
  const head = end === -1 ? argv : argv.slice(0, end);
  if (!head.includes('--debug')) return argv;
  debug = true;
  return [...head.filter((arg) => arg !== '--debug'), ...(end === -1 ? [] : argv.slice(end))];
}

export async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = takeDebugFlag(argv);
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
  try {
    const command = await load();
    // Internal test hook: proves that an unexpected error is reported as a bug (tests/cli/internal-error.test.ts).
    if (process.env.PGWARDEN_TEST_INTERNAL_ERROR === '1') throw new TypeError('forced internal error (PGWARDEN_TEST_INTERNAL_ERROR)');
    return await command.run(rest);
  } catch (error) {
    return reportFailure(error);
  }
}

/**
 * Known failures become one line and an exit code. Anything else is a bug in pgwarden: one line that
 * says so, with the message; the stack only with --debug.
 */
export function reportFailure(error: unknown): number {
  const code = reportKnownFailure(error);
  if (code !== undefined) return code;
  reportInternalError(error);
  return 1;
}

/** The one line (and, with --debug, the stack) for an error pgwarden did not expect. */
export function reportInternalError(error: unknown): void {
  const message = oneLine(error instanceof Error ? error.message : String(error));
  console.error(
    `pgwarden: internal error (a bug in pgwarden, please report it): ${message}` +
      (debugEnabled() ? '' : ' (run again with --debug for the stack trace)'),
  );
  if (debugEnabled() && error instanceof Error && error.stack) console.error(error.stack);
}

function oneLine(text: string): string {
  return showInvisible(text.replace(/\s*[\r\n]+\s*/g, ' ').trim()) || '(no message)';
}

/** The exit code of a failure the user can cause, after printing its one line; undefined for anything else. */
function reportKnownFailure(error: unknown): number | undefined {
  if (error instanceof UsageError) {
    console.error(`pgwarden: ${showInvisible(error.message)}`);
    return 2;
  }
  const err = error as { name?: string; message?: string; userMessage?: string; exitCode?: number };
  if (err?.name === 'ConfigError') {
    console.error(`pgwarden: configuration error: ${showInvisible(err.message ?? '')}`);
    return 2;
  }
  if (err?.userMessage) {
    console.error(`pgwarden: ${showInvisible(err.userMessage)}`);
    return err.exitCode ?? 1;
  }
  return undefined;
}

export async function toolVersion(): Promise<string> {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
