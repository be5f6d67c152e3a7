/*
 * The meta-test of catalog lints, as rules/registry.test.ts is for migration rules: every lint is a
 * module with its docs page and its tests, every lint module is registered, ids do not collide with
 * migration rule ids (they share the config's rules map), and the docs index lists them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isRuleId } from '../../rules/registry.js';
import { CATALOG_LINT_IDS, isCatalogLintId, loadCatalogLint } from './registry.js';

const LINTS_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(LINTS_DIR, '../../../../..');
const DOCS_DIR = join(ROOT, 'docs/rules');
const INDEX_SCRIPT = join(ROOT, 'tools/docs/rules-index.mjs');
const SCHEMA_PATH = join(ROOT, 'packages/core/pgwarden.schema.json');

const CATEGORIES = ['security', 'performance'];
const SEVERITIES = ['error', 'warning', 'info'];
const SECTIONS = ['## What it checks', '## Why', '## How to fix', '## Examples', '### Invalid', '### Valid', '## Options'];
/** Files in catalog/lints/ that are not lints. */
const SUPPORT = new Set(['types.ts', 'registry.ts', 'run.ts', 'sql-names.ts']);

interface IndexScript {
  readCatalogLintIds(): string[];
  readCatalogLintMeta(id: string): { declaredId?: string; category?: string; defaultSeverity?: string; description?: string; postgres?: { min?: number; max?: number } } | undefined;
  postgresLabel(range?: { min?: number; max?: number }): string;
}
const indexScript = (): Promise<IndexScript> => import(INDEX_SCRIPT) as Promise<IndexScript>;

describe('catalog lint registry', () => {
  it('lists each id once, in kebab-case, none of them a migration rule id', () => {
    expect(new Set(CATALOG_LINT_IDS).size).toBe(CATALOG_LINT_IDS.length);
    for (const id of CATALOG_LINT_IDS) {
      expect(id).toMatch(/^[a-z]+(?:-[a-z]+)*$/);
      expect(isRuleId(id), `${id} is also a migration rule id`).toBe(false);
    }
  });

  it('registers every lint module in catalog/lints/', () => {
    const modules = readdirSync(LINTS_DIR)
      .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !SUPPORT.has(name) && statSync(join(LINTS_DIR, name)).isFile())
      .map((name) => name.slice(0, -'.ts'.length));
    expect(modules.filter((name) => !isCatalogLintId(name))).toEqual([]);
  });

  it('is read the same way by the docs index script', async () => {
    expect((await indexScript()).readCatalogLintIds()).toEqual([...CATALOG_LINT_IDS]);
  });

  it('lists every id in pgwarden.schema.json, so editors accept it in "rules"', () => {
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as { properties: { rules: { propertyNames: { enum: string[] } } } };
    expect(schema.properties.rules.propertyNames.enum).toEqual(expect.arrayContaining([...CATALOG_LINT_IDS]));
  });
});

describe.each(CATALOG_LINT_IDS.map((id) => [id]))('catalog lint %s', (id) => {
  it('has a module exporting `lint` with matching meta', async () => {
    const lint = await loadCatalogLint(id);
    expect(lint.meta.id).toBe(id);
    expect(lint.meta.docs).toBe(`docs/rules/${id}.md`);
    expect(CATEGORIES).toContain(lint.meta.category);
    expect(SEVERITIES).toContain(lint.meta.defaultSeverity);
    expect(lint.meta.description.trim()).toMatch(/^[^\n]+$/);
    const read = (await indexScript()).readCatalogLintMeta(id)!;
    expect(read.declaredId, `catalog/lints/${id}.ts must declare defineCatalogLint({ id: '${id}', ... })`).toBe(id);
    expect({ category: read.category, defaultSeverity: read.defaultSeverity, description: read.description }).toEqual({
      category: lint.meta.category,
      defaultSeverity: lint.meta.defaultSeverity,
      description: lint.meta.description,
    });
    expect(read.postgres?.min).toBe(lint.meta.postgres?.min);
  });

  it('has tests beside it', () => {
    const path = join(LINTS_DIR, `${id}.test.ts`);
    expect(existsSync(path), `catalog/lints/${id}.test.ts is missing`).toBe(true);
    const source = readFileSync(path, 'utf8');
    expect(source).toMatch(new RegExp(`['"]${id}['"]`));
    expect(source).toMatch(/stays clean/);
  });

  it('has a docs page with every section', async () => {
    const path = join(DOCS_DIR, `${id}.md`);
    expect(existsSync(path), `docs/rules/${id}.md is missing`).toBe(true);
    const lines = readFileSync(path, 'utf8').split(/\r?\n/);
    expect(lines[0]).toBe(`# ${id}`);
    const lint = await loadCatalogLint(id);
    const script = await indexScript();
    expect(lines.find((line) => line.startsWith('Category:'))).toBe(
      `Category: ${lint.meta.category} · Default severity: ${lint.meta.defaultSeverity} · Postgres: ${script.postgresLabel(lint.meta.postgres)}`,
    );
    let from = 0;
    for (const section of SECTIONS) {
      const at = lines.findIndex((line, index) => index >= from && line.trim() === section);
      expect(at, `docs/rules/${id}.md needs "${section}"`).toBeGreaterThanOrEqual(0);
      from = at + 1;
    }
    const text = lines.join('\n');
    expect(text).toMatch(/### Invalid\n+```sql\n[\s\S]+?\n```/);
    expect(text).toMatch(/### Valid\n+```sql\n[\s\S]+?\n```/);
    expect(text.slice(text.indexOf('## Options'))).toContain(`"${id}"`);
  });
});
