import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { impactMarkdown, impactReport, isExecutedMigration, writeImpactIntoFile, type ImpactReport } from '@pgwarden/core/impact/index';
import type { PgwardenConfig } from '@pgwarden/core/config/index';
import { readMigrationFile, type Migration } from '@pgwarden/core/migration/index';
import { loadHistory } from '@pgwarden/core/workspace/index';
import { ExecutorUsageError, loadProjectConfig, runExecutor, type ExecutorResult } from '../../utils/executor-support.js';
import type { PlanExecutorSchema } from './schema.js';

/**
 * `pgwarden plan` through the same core functions: the impact report of the named migrations, or
 * of every pending one (not executed, as lint --deep chooses them), in version order.
 *
 * Cacheable while it only reads: the report is a function of the migrations, current_schema/ and
 * the config (the shadow is built from them). `write` edits the headers, which a replay from the
 * cache would not redo, so it runs only under a target that is not cached (the inferred `plan-write`).
 */
export default async function planExecutor(options: PlanExecutorSchema, context: ExecutorContext): Promise<ExecutorResult> {
  return runExecutor(async () => {
    if (options.write && context.target?.cache) throw new ExecutorUsageError(cachedWriteMessage(context));
    const config = loadProjectConfig(options, context);
    const migrations = options.files?.length ? options.files.map((file) => namedMigration(config.root, context.root, file)) : await pendingMigrations(config);
    if (migrations.length === 0) {
      console.log('pgwarden: no pending migration to plan (every migration is executed); name files to plan them anyway');
      return true;
    }
    // Before any work: a write that would stop at the second file must not have changed the first.
    const headerless = options.write ? migrations.find((migration) => !migration.header) : undefined;
    if (headerless) throw new ExecutorUsageError(noHeader(headerless.relPath));

    const reports: ImpactReport[] = [];
    for (const migration of migrations) reports.push(await impactReport(config, migration.path));
    process.stdout.write(options.format === 'json' ? `${JSON.stringify(reports, null, 2)}\n` : reports.map(impactMarkdown).join('\n'));

    if (options.write) {
      for (const report of reports) {
        const written = await writeImpactIntoFile(config, report.file, report);
        if (written === 'no-header') throw new ExecutorUsageError(noHeader(report.file));
        console.error(`pgwarden: ${report.file}: ${written === 'updated' ? 'header updated (AFFECTED TABLES, SOURCE OF TRUTH SCHEMA UPDATED)' : 'header already up to date'}`);
      }
    }
    return !reports.some((report) => report.findings.some((finding) => finding.severity === 'error'));
  });
}

const noHeader = (relPath: string) => `${relPath}: no header block to fill (start the file with the template's '-- ====' header); nothing was written`;

/** A named file, resolved against the workspace root as Nx options are, read as lint reads it. */
function namedMigration(configRoot: string, workspaceRoot: string, file: string): Migration {
  const path = resolve(workspaceRoot, file);
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    // reported below
  }
  if (!isFile) throw new ExecutorUsageError(`${file}: no such file (files are relative to the workspace root)`);
  const migration = readMigrationFile(configRoot, path);
  if ('readError' in migration) throw new ExecutorUsageError(`${file}: ${migration.readError.message}`);
  return migration;
}

async function pendingMigrations(config: PgwardenConfig): Promise<Migration[]> {
  const history = await loadHistory(config);
  // A file that cannot be read cannot be planned: say so rather than plan the others as if it were not there.
  if (history.unreadable.length > 0) throw new ExecutorUsageError(history.unreadable.map((file) => `${file.relPath}: ${file.message}`).join('\n'));
  return history.migrations.filter((migration) => !isExecutedMigration(migration, config));
}

/** The project's targets of this executor that Nx does not cache: where a write run belongs. */
function cachedWriteMessage(context: ExecutorContext): string {
  const project = context.projectName ?? '';
  const targets = context.projectsConfigurations?.projects[project]?.targets ?? {};
  const uncached = Object.entries(targets).filter(([, target]) => target.executor === '@pgwarden/nx:plan' && target.cache === false).map(([name]) => `nx run ${project}:${name}`);
  return `write edits the migration headers, and ${context.targetName ?? 'this target'} is cached: Nx would replay its output from the cache without writing them. ${
    uncached.length ? `Run ${uncached.join(' or ')}` : 'Run it from a target of @pgwarden/nx:plan with "cache": false'
  }.`;
}
