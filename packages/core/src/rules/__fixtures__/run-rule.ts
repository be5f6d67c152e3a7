import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { defaultConfig } from '../../config/defaults.js';
import type { PgwardenConfig } from '../../config/types.js';
import { lintSource } from '../../lint/engine.js';
import { parseMigration } from '../../migration/index.js';
import type { Migration } from '../../migration/types.js';
import type { RuleId } from '../registry.js';
import type { Finding } from '../types.js';

export interface RunRuleOptions {
  /** File name inside migration_history/ (default: a valid one). */
  fileName?: string;
  config?: Partial<PgwardenConfig>;
  /** Other files of the history: name -> text. */
  history?: Record<string, string>;
  /** Files of the workspace (e.g. current_schema/01_foundations.sql) written to a temp root. */
  files?: Record<string, string>;
  previousText?: string;
  /** Where the previous text was (e.g. the file's name before a rename), relative to the workspace. */
  previousRelPath?: string;
}

export const DEFAULT_FILE_NAME = '2025-10-08_18_add_processing_time_minutes.sql';

/** Lints `text` with one rule through the real engine (parser, migration model, suppressions). */
export async function runRule(ruleIds: RuleId | RuleId[], text: string, options: RunRuleOptions = {}): Promise<Finding[]> {
  const root = mkdtempSync(join(tmpdir(), 'pgwarden-rule-'));
  try {
    for (const [relPath, content] of Object.entries(options.files ?? {})) {
      mkdirSync(dirname(join(root, relPath)), { recursive: true });
      writeFileSync(join(root, relPath), content);
    }
    const config: PgwardenConfig = { ...defaultConfig(root), ...options.config };
    const history: Migration[] = Object.entries(options.history ?? {}).map(([name, content]) =>
      parseMigration({ path: join(root, 'migration_history', name), relPath: `migration_history/${name}`, text: content }),
    );
    const relPath = `migration_history/${options.fileName ?? DEFAULT_FILE_NAME}`;
    const ids = Array.isArray(ruleIds) ? ruleIds : [ruleIds];
    const findings = await lintSource(config, { relPath, text, history, previousText: options.previousText, previousRelPath: options.previousRelPath }, ids);
    // Every suggested fix produced by a rule test is applied and linted again: the rule must then be silent there.
    for (const finding of findings) {
      if (!finding.suggestion) continue;
      const fixed = applySuggestion(text, finding);
      const again = await lintSource(config, { relPath, text: fixed.text, history, previousText: options.previousText, previousRelPath: options.previousRelPath }, [finding.rule as RuleId]);
      const still = again.filter((other) => other.line >= fixed.fromLine && other.line <= fixed.toLine);
      if (still.length > 0) {
        throw new Error(`the suggestion of ${finding.rule} at line ${finding.line} is reported again: ${JSON.stringify(finding.suggestion.sql)} -> ${still.map((other) => other.message).join('; ')}`);
      }
    }
    return findings;
  } finally {
    // One temp root per call: thousands of rule tests must not leave thousands of folders behind.
    rmSync(root, { recursive: true, force: true });
  }
}

/** `text` with the finding's range replaced by its suggestion, and the lines the suggestion now spans. */
export function applySuggestion(text: string, finding: Finding): { text: string; fromLine: number; toLine: number } {
  const lineStarts = [0];
  for (let index = 0; index < text.length; index++) if (text[index] === '\n') lineStarts.push(index + 1);
  const start = lineStarts[finding.line - 1]! + finding.column - 1;
  const end = lineStarts[finding.endLine - 1]! + finding.endColumn - 1;
  const sql = finding.suggestion!.sql;
  return { text: text.slice(0, start) + sql + text.slice(end), fromLine: finding.line, toLine: finding.line + sql.split('\n').length - 1 };
}

/** A complete, valid header for the default file name, for tests that care about the body. */
export function header(overrides: { date?: string; affected?: string; extra?: string } = {}): string {
  return `-- ============================================================================
-- Migration: Add processing time to documents
-- Date: ${overrides.date ?? '2025-10-08'}
-- Issue: Document processing durations are not tracked
--
-- PROBLEM: Operators cannot see how long documents take to process.
-- SOLUTION: Add a column and backfill it.
-- AFFECTED TABLES: ${overrides.affected ?? 'documents'}
--
-- SOURCE OF TRUTH SCHEMA UPDATED:
--   [X] current_schema/04_ai_processing.sql (Line 2: documents.processing_time_minutes added)
--
-- DOWNSTREAM UPDATES:
--   [X] Bridge schemas updated (if applicable)
--   [N/A] TypeScript types updated (if applicable)
--
-- MIGRATION EXECUTED:
--   [ ] Not yet executed
${overrides.extra ?? ''}-- ============================================================================
`;
}
