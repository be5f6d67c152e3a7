import type { ExecutorContext } from '@nx/devkit';
import { FORMATTERS, lint, sortFindings, workspaceText } from '@pgwarden/core/lint/index';
import { committedVersions } from '@pgwarden/core/workspace/lint-inputs';
import { loadProjectConfig, pluginVersion, runExecutor, type ExecutorResult } from '../../utils/executor-support.js';
import type { LintExecutorSchema } from './schema.js';

/**
 * `pgwarden lint` over the project's whole history, and with `deep` (the inferred target's
 * default) `lint --deep` on its pending migrations. Cacheable: it reads only the declared inputs
 * (the shadow is built from current_schema/; its on-disk cache is keyed by those files), and with
 * `since` the git objects of that revision (name a commit id for a cached run).
 */
export default async function lintExecutor(options: LintExecutorSchema, context: ExecutorContext): Promise<ExecutorResult> {
  return runExecutor(async () => {
    const config = loadProjectConfig(options, context);
    const format = FORMATTERS[options.format ?? 'stylish'];
    // The same reading of committed versions as `pgwarden lint --since`: executed migrations stay append-only.
    const previous = options.since ? await committedVersions(config.root, config.migrationsDir, options.since, []) : undefined;
    const result = await lint(config, previous ? { paths: previous.paths, previousText: previous.previousText, previousPath: previous.previousPath } : {});
    if (options.deep) {
      // Loaded only when asked: the shadow brings PGlite.
      const { deepLint, deepLintSummary } = await import('@pgwarden/core/impact/index');
      const deep = await deepLint(config, { engine: options.engine ?? 'auto' });
      result.findings = sortFindings([...result.findings, ...deep.findings]);
      console.error(deepLintSummary(deep, config.schemaDir));
    }
    process.stdout.write(
      format(result.findings, {
        source: workspaceText(config.root),
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
