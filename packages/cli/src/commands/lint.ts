import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '@pgwarden/core/config/index';
import { readSourceFile } from '@pgwarden/core/migration/index';
import { FORMATTERS, lint } from '@pgwarden/core/lint/index';
import { changedMigrationFiles, committedVersions, requireMigrationsFolder, type CommittedVersions } from '@pgwarden/core/workspace/lint-inputs';
import { parseCommandArgs, UsageError } from '../command.js';
import { toolVersion } from '../main.js';

const USAGE = `Usage: pgwarden lint [paths...] [options]

Checks migration files against the convention. Without paths, lints the whole history;
with paths (as lint-staged passes them) lints those files, still checking cross-file rules
(sequence numbers) against the rest of the history.

Options:
  --format stylish|json|github|sarif   output format (default: stylish)
  --config FILE                        pgwarden.config.json to use (default: found upwards)
  --since REV                          compare with the committed version at REV: executed migrations are append-only
  --deep                               also apply the pending migrations (or the named files) to a shadow of current_schema/:
                                       failing statements, functions verified, overloads, idempotency and rollback proved
  --changed [REV]                      lint only the migration files added or modified since REV (default: the
                                       merge-base with the default branch: origin/HEAD, main or master), with the
                                       whole history as context
  --hook                               run as the commit hook: adds --deep when the config sets "hook": { "deep": true }
  --max-warnings N                     also fail when there are more than N warnings
  --no-color                           plain output`;

export async function run(argv: string[]): Promise<number> {
  const { rest, changed } = takeChanged(argv);
  const args = parseCommandArgs(
    rest,
    {
      format: { type: 'string', default: 'stylish' },
      config: { type: 'string' },
      since: { type: 'string' },
      deep: { type: 'boolean' },
      hook: { type: 'boolean' },
      'max-warnings': { type: 'string' },
      'no-color': { type: 'boolean' },
    },
    USAGE,
  );
  if (!args) return 0;
  const format = FORMATTERS[args.values.format as string];
  if (!format) throw new UsageError(`unknown format "${args.values.format}" (stylish, json, github, sarif)`);
  const maxWarnings = args.values['max-warnings'] === undefined ? Infinity : Number(args.values['max-warnings']);
  if (Number.isNaN(maxWarnings) || maxWarnings < 0) throw new UsageError('--max-warnings takes a non-negative number');

  const config = loadConfig({ configPath: args.values.config as string | undefined });
  requireMigrationsFolder(config);
  let paths = args.positionals.map((path) => resolve(path));
  let changedBase: string | undefined;
  if (changed) {
    if (paths.length > 0) throw new UsageError('--changed picks the files itself: give either paths or --changed');
    const found = changedMigrationFiles(config.root, config.migrationsDir, changed.rev);
    if (found.paths.length === 0) {
      // Nothing was checked: say so rather than "no problems".
      process.stderr.write(`pgwarden: no migration file added or modified since ${found.base}; nothing to lint\n`);
      return 0;
    }
    paths = found.paths;
    changedBase = found.commit;
  }
  let previous: CommittedVersions | undefined;
  // --changed compares with its base too: an executed migration modified since then is reported.
  const since = (args.values.since as string | undefined) ?? changedBase;
  if (since) {
    previous = await committedVersions(config.root, config.migrationsDir, since, paths);
    paths = previous.paths;
  }
  const result = await lint(config, { paths, previousText: previous?.previousText, previousPath: previous?.previousPath });
  if (args.values.deep || (args.values.hook && config.hook.deep)) {
    const { deepLint } = await import('@pgwarden/core/impact/index');
    const deep = await deepLint(config, { paths: args.positionals.map((path) => resolve(path)) });
    result.findings = sortByPosition([...result.findings, ...deep.findings]);
    process.stderr.write(
      deep.checked.length === 0
        ? 'deep: no pending migration to prove (every migration is executed); name files to prove them anyway\n'
        : `deep: ${deep.checked.length} migration(s) applied to a shadow of ${config.schemaDir} (cache: ${deep.cache}), ${deep.functionsVerified} function(s) verified\n`,
    );
  }

  const sources = new Map<string, string | undefined>();
  const output = format(result.findings, {
    source: (file) => {
      if (!sources.has(file)) sources.set(file, readTextOrUndefined(config.root, resolve(config.root, file)));
      return sources.get(file);
    },
    color: !args.values['no-color'] && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    filesLinted: result.filesLinted,
    toolVersion: await toolVersion(),
  });
  process.stdout.write(output);

  const errors = result.findings.filter((finding) => finding.severity === 'error').length;
  const warnings = result.findings.filter((finding) => finding.severity === 'warning').length;
  return errors > 0 || warnings > maxWarnings ? 1 : 0;
}


function sortByPosition<T extends { file: string; line: number; column: number }>(findings: T[]): T[] {
  return findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
}

/** The text for a code frame: the same checks as the lint itself, so nothing outside the workspace is ever shown. */
function readTextOrUndefined(root: string, path: string): string | undefined {
  const source = readSourceFile(path, { root });
  return source.ok ? source.text : undefined;
}

/**
 * `--changed` takes an optional revision, which node's parseArgs cannot express: `--changed=REV`,
 * or `--changed REV` when the next word is not an option and not a path that exists.
 */
function takeChanged(argv: string[]): { rest: string[]; changed?: { rev?: string } } {
  const rest: string[] = [];
  let changed: { rev?: string } | undefined;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg.startsWith('--changed=')) {
      changed = { rev: arg.slice('--changed='.length) || undefined };
    } else if (arg === '--changed') {
      const next = argv[index + 1];
      if (next !== undefined && !next.startsWith('-') && !existsSync(resolve(next))) {
        changed = { rev: next };
        index++;
      } else {
        changed = {};
      }
    } else {
      rest.push(arg);
    }
  }
  return changed ? { rest, changed } : { rest };
}
