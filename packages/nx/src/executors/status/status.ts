import type { ExecutorContext } from '@nx/devkit';
import { status } from '@pgwarden/core/runner/index';
import { loadHistory, openTarget, statusNeedsAttention, statusReport } from '@pgwarden/core/workspace/index';
import { databaseTarget, loadProjectConfig, runExecutor, type ExecutorResult } from '../../utils/executor-support.js';
import type { StatusExecutorSchema } from './schema.js';

/** `pgwarden status`; never cached. */
export default async function statusExecutor(options: StatusExecutorSchema, context: ExecutorContext): Promise<ExecutorResult> {
  return runExecutor(async () => {
    const config = loadProjectConfig(options, context);
    const target = databaseTarget(config, options);
    const history = await loadHistory(config);
    const db = await openTarget(target);
    try {
      const rows = await status(db, history.migrations, { name: target.envName, config: target.environment });
      console.log(options.json ? JSON.stringify(rows, null, 2) : statusReport(rows, db.label, target.envName));
      return !statusNeedsAttention(rows);
    } finally {
      await db.close();
    }
  });
}
