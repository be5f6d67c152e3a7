import type { Finding } from '../../rules/types.js';
import type { StatementLocation } from '../../shadow/types.js';

/**
 * The statements a shadow root cause counts under itself (they failed only because of it), or
 * undefined for a finding that is not a root cause. Shadow findings (shadow/types.ts ShadowFinding)
 * reach the formatters as lint findings; the count is in their message, the places are here.
 */
export function countedStatements(finding: Finding): readonly StatementLocation[] | undefined {
  const statements = (finding as Finding & { statements?: unknown }).statements;
  if (!Array.isArray(statements)) return undefined;
  return statements.filter(
    (statement): statement is StatementLocation =>
      typeof statement?.file === 'string' && Number.isInteger(statement.line) && Number.isInteger(statement.column),
  );
}
