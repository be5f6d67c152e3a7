/**
 * Catalog lint tests: real SQL applied (after the supabase preset) to a PGlite database, introspected
 * and linted. Each case runs in a transaction that is rolled back, so one database serves a file.
 */
import { afterAll, beforeAll } from 'vitest';
import { presetSql } from '../../../shadow/presets.js';
import { pgliteDatabase, type FixtureDatabase } from '../../__fixtures__/databases.js';
import { introspectCatalog, PRESET_SCHEMAS } from '../../introspect.js';
import { CATALOG_LINT_IDS, type CatalogLintId } from '../registry.js';
import { runCatalogLints } from '../run.js';
import type { CatalogFinding } from '../types.js';
import type { RuleSetting } from '../../../config/types.js';

export interface LintOptions {
  exposedSchemas?: string[];
  severity?: RuleSetting;
}

/** Registers the database hooks of a test file; `lint(sql)` gives the findings of lint `id`. */
export function lintDatabase(id: CatalogLintId): { lint(sql: string, options?: LintOptions): Promise<CatalogFinding[]> } {
  let db: FixtureDatabase;
  beforeAll(async () => {
    db = await pgliteDatabase();
    await db.exec(presetSql('supabase'));
  }, 120_000);
  afterAll(async () => db?.close());
  return {
    async lint(sql, options = {}) {
      await db.exec('BEGIN');
      try {
        await db.exec(sql);
        const snapshot = await introspectCatalog(db.session, { excludeSchemas: [...PRESET_SCHEMAS.supabase, 'pgwarden'] });
        const rules: Record<string, RuleSetting> = Object.fromEntries(CATALOG_LINT_IDS.map((other) => [other, 'off' as const]));
        if (options.severity) rules[id] = options.severity;
        else delete rules[id];
        return await runCatalogLints(snapshot, { rules, exposedSchemas: options.exposedSchemas ?? ['public'] });
      } finally {
        await db.exec('ROLLBACK');
      }
    },
  };
}
