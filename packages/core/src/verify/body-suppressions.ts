import { collectSuppressions, isSuppressed, type Suppression } from '../lint/suppressions.js';
import { isRuleId } from '../rules/registry.js';
import type { SourceRange } from '../sql/types.js';
import { lineStartsOf } from './body.js';
import { isVerifyRuleId, verifyRule } from './rules.js';
import type { FunctionDefect } from './types.js';

/**
 * `-- pgwarden-ignore <rule> -- reason` inside a function body, with lint's syntax and parser: a
 * statement-scope comment silences the verifier's defects of the next statement of the body.
 * Lint rule ids are accepted silently (lint reads the same comments in migration files).
 */
export class BodySuppressions {
  private readonly suppressions: Suppression[];

  constructor(
    private readonly functionKey: string,
    source: string,
    statementLines: readonly number[],
  ) {
    const starts = lineStartsOf(source);
    const ranges = statementLines.map((line): { range: SourceRange } => {
      const position = { line, column: 1, offset: starts[line - 1] ?? source.length };
      return { range: { start: position, end: position } };
    });
    this.suppressions = collectSuppressions(source, ranges);
  }

  /** Defects minus the suppressed ones, plus a defect for each malformed comment. */
  apply(defects: FunctionDefect[], statementLineOf: (defect: FunctionDefect) => number | undefined): FunctionDefect[] {
    const kept = defects.filter((defect) => {
      const line = statementLineOf(defect);
      return line === undefined || !isSuppressed(this.suppressions, defect.rule, line);
    });
    const rule = verifyRule('function-ignore');
    const report = (suppression: Suppression, message: string, hint: string) =>
      kept.push({
        function: this.functionKey,
        rule: 'function-ignore',
        severity: rule.defaultSeverity,
        message,
        hint,
        bodyLine: suppression.line,
        column: suppression.column,
      });
    for (const suppression of this.suppressions) {
      if (suppression.rules.length === 0) report(suppression, 'pgwarden-ignore names no rule', 'write "-- pgwarden-ignore rule-id -- reason"');
      for (const id of suppression.rules) {
        if (!isVerifyRuleId(id) && !isRuleId(id)) {
          report(suppression, `pgwarden-ignore names unknown rule "${id}"`, 'use a rule id listed in docs/rules/');
        }
      }
      if (suppression.rules.some(isVerifyRuleId) && !suppression.reason) {
        report(suppression, 'pgwarden-ignore gives no reason', 'add the reason after a second "--": -- pgwarden-ignore rule-id -- why this is safe');
      }
    }
    return kept;
  }
}
