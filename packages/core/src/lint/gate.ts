import type { PgwardenConfig } from '../config/types.js';
import type { Migration } from '../migration/types.js';
import { lintWithVerdictCache } from './verdict-cache.js';

/** Error messages (`file:line:col message (rule)`) by workspace-relative path. */
export type LintVerdicts = Map<string, string[]>;

/**
 * The migrate gate: the commit hook's rules, run on the pending migrations only (applied ones
 * already ran), with cross-file rules seeing the whole parsed history. Verdicts are kept per set
 * of pending files, since a run may plan twice (a dry run first, then the real one); verdicts that
 * `pgwarden lint --cache` stored in `.pgwarden/cache/` are reused (see verdict-cache.ts: a stored
 * verdict is one for the same file, history, current_schema/, config and pgwarden, so it is exactly
 * what a fresh lint would say).
 */
export function pendingLintGate(config: PgwardenConfig, history: readonly Migration[]): (pending: readonly Migration[]) => Promise<LintVerdicts> {
  const verdicts = new Map<string, LintVerdicts>();
  return async (pending) => {
    const key = pending.map((migration) => migration.path).join('\n');
    const known = verdicts.get(key);
    if (known) return known;
    const errors: LintVerdicts = new Map();
    if (pending.length > 0) {
      // Reads verdicts `lint --cache` stored, never writes: migrate (a dry run too) changes nothing but the database.
      const { findings } = await lintWithVerdictCache(config, { paths: pending.map((migration) => migration.path), history }, { store: false });
      for (const finding of findings) {
        if (finding.severity !== 'error') continue;
        const messages = errors.get(finding.file) ?? [];
        messages.push(`${finding.file}:${finding.line}:${finding.column} ${finding.message} (${finding.rule})`);
        errors.set(finding.file, messages);
      }
    }
    verdicts.set(key, errors);
    return errors;
  };
}
