import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { FORMATTERS, lint } from '@pgwarden/core/lint/index';
import { committedVersions } from '@pgwarden/core/workspace/lint-inputs';
import { loadProjectConfig, pluginVersion, runExecutor, type ExecutorResult } from '../../utils/executor-support.js';
import type { LintExecutorSchema } from './schema.js';

/**
 * `pgwarden lint` over the project's whole history; cacheable: it reads only the declared inputs, and
 * with `since` the git objects of that revision (name a commit id for a cached run).
 */
export default async function lintExecutor(options: LintExecutorSchema, context: ExecutorContext): Promise<ExecutorResult> {
  return runExecutor(async () => {
    const config = loadProjectConfig(options, context);
    const format = FORMATTERS[options.format ?? 'stylish'];
    // The same reading of committed versions as `pgwarden lint --since`: executed migrations stay append-only.
    const previous = options.since ? await committedVersions(config.root, config.migrationsDir, options.since, []) : undefined;
    const result = await lint(config, previous ? { paths: previous.paths, previousText: previous.previousText, previousPath: previous.previousPath } : {});
    process.stdout.write(
      format(result.findings, {
        source: (file) => readText(resolve(config.root, file)),
        color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
        filesLinted: result.filesLinted,
        toolVersion: pluginVersion(),
      }),
    );
    const errors = result.findings.filter((finding) => finding.severity === 'error').length;
    const warnings = result.findings.filter((finding) => finding.severity === 'warning').length;
    return errors === 0 && warnings <= (options.maxWarnings ?? Infinity);
  });
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
