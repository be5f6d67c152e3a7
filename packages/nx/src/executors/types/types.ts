import type { ExecutorContext } from '@nx/devkit';
import { runTypes } from '@pgwarden/core/typegen/index';
import { loadProjectConfig, runExecutor, type ExecutorResult } from '../../utils/executor-support.js';
import type { TypesExecutorSchema } from './schema.js';

/**
 * `pgwarden types` from the shadow of current_schema/ (never a live database: a cached target reads
 * only its declared inputs). Its outputs are the generated files, so Nx restores them from the cache.
 */
export default async function typesExecutor(options: TypesExecutorSchema, context: ExecutorContext): Promise<ExecutorResult> {
  return runExecutor(async () => {
    const config = loadProjectConfig(options, context);
    const result = await runTypes(config, { check: Boolean(options.check) });
    for (const finding of result.findings) console.error(`${finding.file}:${finding.line}: ${finding.key ? `${finding.key}: ` : ''}${finding.message}`);
    const count = (status: string) => result.files.filter((file) => file.status === status).length;
    if (options.check) {
      for (const file of result.files.filter((file) => file.status === 'stale')) console.error(`${file.path}: stale`);
      if (count('stale') > 0) console.error(`pgwarden: ${count('stale')} generated file(s) are stale; run: nx run ${context.projectName}:types`);
      else console.log(`pgwarden: ${result.files.length} generated file(s) up to date`);
      return count('stale') === 0 && result.findings.length === 0;
    }
    console.log(`pgwarden: ${count('written')} written, ${count('removed')} removed, ${count('unchanged')} unchanged`);
    return result.findings.length === 0;
  });
}
