/*
 * Cost growth, counted in statements sent to the database (no clocks): a schema of 4n
 * statements costs at most about 4 times one of n, also in the worst orders for the tolerant
 * build (every view and every foreign key referring to an object defined later).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildShadow } from './build.js';

const root = mkdtempSync(join(tmpdir(), 'pgwarden-shadow-cost-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** n tables, each referencing the next one (defined later), and n views, each reading the next view. */
function reverseChains(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const next = i + 1 < n ? ` REFERENCES public.t${i + 1} (id)` : '';
    lines.push(`CREATE TABLE public.t${i} (id integer PRIMARY KEY, next_id integer${next});`);
  }
  for (let i = 0; i < n; i++) {
    lines.push(i + 1 < n ? `CREATE VIEW public.v${i} AS SELECT id FROM public.v${i + 1};` : `CREATE VIEW public.v${i} AS SELECT id FROM public.t0;`);
  }
  return lines.join('\n') + '\n';
}

async function executions(n: number): Promise<{ executions: number; statements: number; failed: number }> {
  const dir = `schema_${n}`;
  mkdirSync(join(root, dir));
  writeFileSync(join(root, dir, '01_chains.sql'), reverseChains(n));
  const shadow = await buildShadow({ root, schemaDir: dir, cache: false, preset: 'none' });
  await shadow.close();
  return { executions: shadow.stats.executions, statements: shadow.stats.statements, failed: shadow.stats.failedStatements };
}

describe('shadow build cost', () => {
  it('grows linearly: 4n statements cost at most 4.5 times n statements', async () => {
    const small = await executions(10);
    const large = await executions(40);
    expect(small).toMatchObject({ statements: 20, failed: 0 });
    expect(large).toMatchObject({ statements: 80, failed: 0 });
    // Each statement runs at most twice plus one deferred constraint per table: linear, not n².
    expect(large.executions).toBeLessThanOrEqual(4.5 * small.executions);
    expect(large.executions).toBeLessThanOrEqual(3 * large.statements);
  }, 300_000);
});
