/** How a header's execution records read in messages. */
import type { ExecutionRecord } from '../../migration/types.js';

/** `on staging 2025-01-02, on 2025-01-03`: where and when the migration ran, as the header records it. */
export function describeExecutions(executions: readonly ExecutionRecord[]): string {
  return executions
    .map((execution) => (execution.env === 'unrecorded' ? `on ${execution.date}` : `on ${execution.env} ${execution.date}`))
    .join(', ');
}
