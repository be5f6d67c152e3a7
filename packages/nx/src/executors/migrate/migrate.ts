import type { ExecutorContext } from '@nx/devkit';
import { loadHistory, migrateEventLine, migrateResultLines, migrateTarget, type ReportLine } from '@pgwarden/core/workspace/index';
import { databaseTarget, loadProjectConfig, pluginVersion, runExecutor, type ExecutorResult } from '../../utils/executor-support.js';
import type { MigrateExecutorSchema } from './schema.js';

/** `pgwarden migrate` through the same core function; never cached (the database is the state). */
export default async function migrateExecutor(options: MigrateExecutorSchema, context: ExecutorContext): Promise<ExecutorResult> {
  return runExecutor(async () => {
    const config = loadProjectConfig(options, context);
    const target = databaseTarget(config, options);
    const history = await loadHistory(config);
    for (const file of history.unreadable) console.error(`pgwarden: ${file.relPath}: ${file.message}`);
    if (history.unreadable.length > 0) return false;
    const dryRun = Boolean(options.dryRun);
    const result = await migrateTarget({
      config,
      target,
      migrations: history.migrations,
      preset: options.preset,
      dryRun,
      to: options.to,
      allowOutOfOrder: options.allowOutOfOrder,
      finalize: options.finalize ?? true,
      toolVersion: pluginVersion(),
      onOpen: (label) => console.log(`pgwarden: migrating ${label} (env ${target.envName})${dryRun ? ', dry run' : ''}`),
      onProgress: (event) => print(migrateEventLine(event)),
    });
    for (const line of migrateResultLines(result)) print(line);
    return result.ok;
  });
}

function print(line: ReportLine | undefined): void {
  if (!line) return;
  if (line.stream === 'err') console.error(line.text);
  else console.log(line.text);
}
