import type { PgwardenConfig } from '../../config/types.js';
import { compareCodePoints } from '../identity.js';
import type { CatalogSnapshot } from '../types.js';
import { CATALOG_LINT_IDS, loadCatalogLint } from './registry.js';
import type { CatalogFinding } from './types.js';

/**
 * Runs every catalog lint the config does not turn off, each at its configured severity
 * (`rules: { "<id>": "warning" }`), over one snapshot. Findings are ordered by object key, then
 * by lint in registry order.
 */
export async function runCatalogLints(snapshot: CatalogSnapshot, config: Pick<PgwardenConfig, 'rules' | 'exposedSchemas'>): Promise<CatalogFinding[]> {
  const findings: CatalogFinding[] = [];
  const order = new Map<string, number>(CATALOG_LINT_IDS.map((id, index) => [id, index]));
  const major = Math.floor(snapshot.serverVersionNum / 10000);
  for (const id of CATALOG_LINT_IDS) {
    const setting = config.rules[id];
    if (setting === 'off') continue;
    const lint = await loadCatalogLint(id);
    const { min, max } = lint.meta.postgres ?? {};
    if ((min !== undefined && major < min) || (max !== undefined && major > max)) continue;
    const severity = setting ?? lint.meta.defaultSeverity;
    for (const result of lint.check(snapshot, { exposedSchemas: config.exposedSchemas })) findings.push({ rule: id, severity, ...result });
  }
  return findings.sort((a, b) => compareCodePoints(a.object.key, b.object.key) || order.get(a.rule)! - order.get(b.rule)!);
}
