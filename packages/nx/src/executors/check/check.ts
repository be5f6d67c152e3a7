import type { ExecutorContext } from '@nx/devkit';
import { runCheck } from '@pgwarden/core/check/index';
import { FORMATTERS, workspaceText } from '@pgwarden/core/lint/index';
import { loadProjectConfig, pluginVersion, runExecutor, type ExecutorResult } from '../../utils/executor-support.js';
import type { CheckExecutorSchema } from './schema.js';

/**
 * `pgwarden check` (without --fix: a cached target writes nothing). Cacheable: it reads the declared
 * inputs and, for the history comparison, the git revision the plugin declares as a runtime input.
 */
export default async function checkExecutor(options: CheckExecutorSchema, context: ExecutorContext): Promise<ExecutorResult> {
  return runExecutor(async () => {
    const config = loadProjectConfig(options, context);
    const report = await runCheck({ config, base: options.base, engine: options.engine ?? 'auto' });
    const format = FORMATTERS[options.format ?? 'stylish'];
    process.stdout.write(
      format(report.findings, {
        source: workspaceText(config.root),
        color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
        filesLinted: report.files.length,
        toolVersion: pluginVersion(),
      }),
    );
    return !report.findings.some((finding) => finding.severity === 'error');
  });
}
