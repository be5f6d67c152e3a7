import { resolve } from 'node:path';
import { loadConfig } from '@pgwarden/core/config/index';
import { lint, toRelPath } from '@pgwarden/core/lint/index';
import { addApproval, parseMigration, readSourceFile, withByteOrderMark, writeFileAtomically } from '@pgwarden/core/migration/index';
import { approvalFileName, approvalState } from '@pgwarden/core/runner/index';
import { requireMigrationsFolder } from '@pgwarden/core/workspace/index';
import { commandHelp, parseCommand, UsageError, type CommandSpec } from '../command.js';
import { requireOne, today } from './shared.js';

export const spec: CommandSpec = {
  usage: ['pgwarden approve <file> --by NAME [--config FILE]'],
  about: `Records a review in the header: "-- APPROVED: NAME DATE sha256:CHECKSUM for FILE", bound to the
SQL body and the file's version and name. Any later change to the body voids the approval; header
edits do not; a copy under another name is not approved. NAME is a person (alice) or a review bot
(bot:review-assistant). A file with lint errors cannot be approved, and a reviewer approves a
version once. Where an environment verifies approvals against git, commit the line as NAME.`,
  options: {
    by: { type: 'string', value: 'NAME', description: 'the reviewer: a person (alice) or a review bot (bot:review-assistant)' },
    config: { type: 'string', value: 'FILE', description: 'pgwarden.config.json to use (default: found upwards)' },
  },
};

export async function run(argv: string[]): Promise<number> {
  const args = parseCommand(argv, spec);
  if (!args) return 0;
  const by = (args.values.by as string | undefined)?.trim();
  if (!by || /\s/.test(by)) throw new UsageError(`approve needs --by NAME (one word, e.g. alice, dr.smith or bot:review-assistant)\n\n${commandHelp(spec)}`);
  if (/^bot:$/i.test(by) || (by.includes(':') && !/^bot:[^:]+$/i.test(by))) throw new UsageError(`--by ${by}: a reviewer is NAME (a person) or bot:NAME (a review bot)\n\n${commandHelp(spec)}`);
  const path = resolve(requireOne(args.positionals, 'migration file', spec));
  const config = loadConfig({ configPath: args.values.config as string | undefined });
  requireMigrationsFolder(config);

  const { findings } = await lint(config, { paths: [path] });
  const errors = findings.filter((finding) => finding.severity === 'error');
  if (errors.length > 0) {
    for (const error of errors) console.error(`${error.file}:${error.line}:${error.column}  ${error.message}  (${error.rule})`);
    console.error(`pgwarden: not approved: fix the ${errors.length} lint error${errors.length === 1 ? '' : 's'} first`);
    return 1;
  }

  // Read with the lint's checks, also when readable-file is configured off: never write outside the workspace.
  const source = readSourceFile(path, { root: config.root });
  if (!source.ok) {
    console.error(`pgwarden: not approved: ${toRelPath(config.root, path)} ${source.message}`);
    return 1;
  }
  const text = source.text;
  const migration = parseMigration({ path, relPath: toRelPath(config.root, path), text });
  const fileName = approvalFileName(migration);
  // A second approval by the same reviewer of the same version would count once anyway: say so.
  // An approval in the earlier format (not bound to the file name) is replaced by a bound one.
  const existing = approvalState(migration, 0).valid.find((a) => a.boundTo !== undefined && a.by.toLowerCase() === by.toLowerCase());
  if (existing) {
    console.error(`pgwarden: not approved: ${migration.relPath} is already approved by ${existing.by} (${existing.date}, line ${existing.line}) for this version; a second reviewer must approve it`);
    return 1;
  }
  const updated = addApproval(text, { by, date: today(), checksum: migration.checksum, fileName });
  // readSourceFile dropped a byte order mark; the file keeps its own.
  await writeFileAtomically(path, withByteOrderMark(updated, source.byteOrderMark));
  console.log(`pgwarden: ${migration.relPath} approved by ${by} (sha256:${migration.checksum.slice(0, 12)}...)`);
  return 0;
}
