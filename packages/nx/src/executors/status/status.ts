import type { ExecutorContext } from '@nx/devkit';
import { loadHistory, statusNeedsAttention, statusReport, targetStatus } from '@pgwarden/core/workspace/index';
import { databaseTarget, loadProjectConfig, runExecutor, type ExecutorResult } from '../../utils/executor-support.js';
import type { StatusExecutorSchema } from './schema.js';

/** `pgwarden status`; never cached. */
export default async function statusExecutor(options: StatusExecutorSchema, context: ExecutorContext): Promise<ExecutorResult> {
  return runExecutor(async () => {
    const config = loadProjectConfig(options, context);
    const target = databaseTarget(config, options);
    const history = await loadHistory(config);
    const { label, note, rows } = await targetStatus(target, history, config);
    console.log(options.json ? JSON.stringify(rows, null, 2) : statusReport(rows, label, target.envName, note));
    return !statusNeedsAttention(rows);
  });
}
