/*
 * The meta-test: every rule is a module with its docs page and its tests, and every rule module is
 * registered. A rule without docs or tests fails here, by name.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isCatalogLintId } from '../catalog/lints/registry.js';
import { RULE_IDS, isRuleId, loadRule } from './registry.js';
import { VERIFY_RULES, isVerifyRuleId } from '../verify/rules.js';
import { CHECK_RULES } from '../check/rules.js';
import { DEEP_RULES } from '../impact/rules.js';
import type { RuleCategory, Severity } from './types.js';

const RULES_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(RULES_DIR, '../../../..');
const DOCS_DIR = join(ROOT, 'docs/rules');
const INDEX_SCRIPT = join(ROOT, 'tools/docs/rules-index.mjs');

const CATEGORIES: RuleCategory[] = ['convention', 'idempotency', 'locking', 'security', 'meta'];
const SEVERITIES: Severity[] = ['error', 'warning', 'info'];
/** Sections every docs page has, in this order. */
const SECTIONS = ['## What it checks', '## Why', '## How to fix', '## Examples', '### Invalid', '### Valid', '## Options'];

interface IndexScript {
  readRuleIds(): string[];
  readRuleMeta(id: string): { id: string; declaredId?: string; category?: string; defaultSeverity?: string; description?: string; postgres?: { min?: number; max?: number } } | undefined;
  postgresLabel(range?: { min?: number; max?: number }): string;
  renderIndex(): string;
  readVerifyRules(): { id?: string; category?: string; defaultSeverity?: string; description?: string }[];
  INDEX_PATH: string;
}
const indexScript = (): Promise<IndexScript> => import(INDEX_SCRIPT) as Promise<IndexScript>;

/** Rule module files: rules/*.ts without the registry, the contract, tests, support/ and __fixtures__/. */
function ruleFiles(): string[] {
  return readdirSync(RULES_DIR)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts'))
    .filter((name) => name !== 'types.ts' && name !== 'registry.ts')
    .filter((name) => statSync(join(RULES_DIR, name)).isFile())
    .map((name) => name.slice(0, -'.ts'.length))
    .sort();
}

describe('rule registry', () => {
  it('lists each id once, in kebab-case', () => {
    expect(new Set(RULE_IDS).size).toBe(RULE_IDS.length);
    for (const id of RULE_IDS) expect(id).toMatch(/^[a-z]+(?:-[a-z]+)*$/);
  });

  it('registers every rule module in rules/', () => {
    const unregistered = ruleFiles().filter((name) => !isRuleId(name));
    expect(unregistered, 'rules/<id>.ts files missing from RULE_IDS in registry.ts').toEqual([]);
  });

  it('has no docs page without a rule', () => {
    const pages = existsSync(DOCS_DIR) ? readdirSync(DOCS_DIR).filter((name) => name.endsWith('.md') && name !== 'README.md') : [];
    // Catalog lints and function verifier rules have their pages here too, checked by their own meta-tests.
    const orphans = pages.map((name) => name.slice(0, -'.md'.length)).filter((id) => !isRuleId(id) && !isCatalogLintId(id) && !isVerifyRuleId(id) && !(id in CHECK_RULES) && !(id in DEEP_RULES));
    expect(orphans, 'docs/rules/<id>.md pages whose id is not in RULE_IDS, CATALOG_LINT_IDS, VERIFY_RULES or CHECK_RULES').toEqual([]);
  });

  it('keeps lint, catalog lint and function verifier ids apart', () => {
    expect(VERIFY_RULES.map((rule) => rule.id).filter((id) => isRuleId(id) || isCatalogLintId(id))).toEqual([]);
  });

  it('has no test file without a rule', () => {
    const tests = readdirSync(RULES_DIR)
      .filter((name) => name.endsWith('.test.ts') && name !== 'registry.test.ts')
      .map((name) => name.slice(0, -'.test.ts'.length));
    expect(tests.filter((id) => !isRuleId(id)), 'rules/<id>.test.ts files whose id is not in RULE_IDS').toEqual([]);
  });
});

describe.each(RULE_IDS.map((id) => [id]))('rule %s', (id) => {
  it('has a module exporting `rule` with matching meta', async () => {
    expect(existsSync(join(RULES_DIR, `${id}.ts`)), `packages/core/src/rules/${id}.ts is missing`).toBe(true);
    const rule = await loadRule(id);
    expect(rule, `rules/${id}.ts must export const rule = defineRule({ ... })`).toBeDefined();
    expect(rule.meta.id).toBe(id);
    expect(rule.meta.docs).toBe(`docs/rules/${id}.md`);
    expect(CATEGORIES).toContain(rule.meta.category);
    expect(SEVERITIES).toContain(rule.meta.defaultSeverity);
    expect(rule.meta.description.trim(), 'meta.description is one non-empty line').toMatch(/^[^\n]+$/);
    expect(typeof rule.check).toBe('function');
  });

  it('has tests beside it', () => {
    const path = join(RULES_DIR, `${id}.test.ts`);
    expect(existsSync(path), `packages/core/src/rules/${id}.test.ts is missing`).toBe(true);
    const source = readFileSync(path, 'utf8');
    expect(source, `${id}.test.ts must name the rule it tests`).toMatch(new RegExp(`['"]${id}['"]|\\./${id}\\.js`));
    expect(source, `${id}.test.ts has no test case`).toMatch(/\b(?:it|test)(?:\.each\([^)]*\))?\(/);
  });

  it('has a docs page with every section', async () => {
    const rule = await loadRule(id);
    const script = await indexScript();
    expectDocsPage(id, `Category: ${rule.meta.category} · Default severity: ${rule.meta.defaultSeverity} · Postgres: ${script.postgresLabel(rule.meta.postgres)}`);
  });

  it('is described the same way by the docs index script', async () => {
    const rule = await loadRule(id);
    const read = (await indexScript()).readRuleMeta(id);
    expect(read).toBeDefined();
    expect(read!.declaredId, `rules/${id}.ts must declare defineRule({ id: '${id}', ... }): the id is the file's base name`).toBe(id);
    expect({ category: read!.category, defaultSeverity: read!.defaultSeverity, description: read!.description }).toEqual({
      category: rule.meta.category,
      defaultSeverity: rule.meta.defaultSeverity,
      description: rule.meta.description,
    });
    expect(read!.postgres?.min).toBe(rule.meta.postgres?.min);
    expect(read!.postgres?.max).toBe(rule.meta.postgres?.max);
  });
});

/** docs/rules/<id>.md: title, the meta line, every section in order, examples and options. */
function expectDocsPage(id: string, expectedMetaLine: string): void {
  const path = join(DOCS_DIR, `${id}.md`);
  expect(existsSync(path), `docs/rules/${id}.md is missing`).toBe(true);
  const text = readFileSync(path, 'utf8');
  const lines = text.split(/\r?\n/);
  expect(lines[0]).toBe(`# ${id}`);
  const metaLine = lines.find((line) => line.startsWith('Category:'));
  expect(metaLine, 'a "Category: ... · Default severity: ... · Postgres: ..." line').toBeDefined();
  expect(metaLine).toBe(expectedMetaLine);

  let from = 0;
  for (const section of SECTIONS) {
    const at = lines.findIndex((line, index) => index >= from && line.trim() === section);
    expect(at, `docs/rules/${id}.md needs "${section}" (in order: ${SECTIONS.join(', ')})`).toBeGreaterThanOrEqual(0);
    from = at + 1;
  }
  const section = (title: string) => {
    const start = lines.findIndex((line) => line.trim() === title);
    const end = lines.findIndex((line, index) => index > start && /^#{2,3} /.test(line));
    return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
  };
  for (const title of ['## What it checks', '## Why', '## How to fix']) {
    expect(section(title).trim().length, `"${title}" of docs/rules/${id}.md is empty`).toBeGreaterThan(20);
  }
  expect(section('### Invalid'), 'Invalid examples in a ```sql fence').toMatch(/```sql\n[\s\S]+?\n```/);
  expect(section('### Valid'), 'Valid examples in a ```sql fence').toMatch(/```sql\n[\s\S]+?\n```/);
  const options = section('## Options');
  expect(options, 'Options shows how to set the severity').toContain(`"${id}"`);
  expect(options, 'Options shows how to suppress').toContain('pgwarden-ignore');
}

/** The function verifier's tests and fixtures: every verifier rule id must be exercised there. */
function verifierTestSources(): string {
  const dir = resolve(RULES_DIR, '../verify');
  const files = [
    ...readdirSync(dir).filter((name) => name.endsWith('.test.ts')).map((name) => join(dir, name)),
    ...readdirSync(join(dir, '__fixtures__')).map((name) => join(dir, '__fixtures__', name)),
  ];
  return files.map((path) => readFileSync(path, 'utf8')).join('\n');
}

describe.each(VERIFY_RULES.map((rule) => [rule.id, rule] as const))('function verifier rule %s', (id, rule) => {
  it('has a one-line description, a severity and its docs path', () => {
    expect(id).toMatch(/^function(?:-[a-z]+)+$/);
    expect(rule.docs).toBe(`docs/rules/${id}.md`);
    expect(SEVERITIES).toContain(rule.defaultSeverity);
    expect(rule.description.trim()).toMatch(/^[^\n]+$/);
  });

  it('has a docs page with every section', () => {
    expectDocsPage(id, `Category: function · Default severity: ${rule.defaultSeverity} · Postgres: all`);
  });

  it('is exercised by the verifier tests', () => {
    expect(verifierTestSources(), `no verify test or fixture names ${id}`).toContain(`'${id}'`);
  });

  it('is described the same way by the docs index script', async () => {
    const read = (await indexScript()).readVerifyRules().find((entry) => entry.id === id);
    expect(read).toEqual({ id, category: rule.category, defaultSeverity: rule.defaultSeverity, description: rule.description });
  });
});

describe('docs/rules/README.md', () => {
  it('reads the same ids as the registry', async () => {
    expect((await indexScript()).readRuleIds()).toEqual([...RULE_IDS]);
  });

  it('is up to date (node tools/docs/rules-index.mjs)', async () => {
    const script = await indexScript();
    expect(existsSync(script.INDEX_PATH), 'run node tools/docs/rules-index.mjs').toBe(true);
    expect(readFileSync(script.INDEX_PATH, 'utf8')).toBe(script.renderIndex());
  });
});
