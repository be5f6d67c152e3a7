#!/usr/bin/env node
/*
 * Generates docs/rules/README.md, the index of all lint rules, from the rule sources, so that it
 * cannot drift from the code:
 *
 *   node tools/docs/rules-index.mjs           write docs/rules/README.md
 *   node tools/docs/rules-index.mjs --check   exit 1 when the file is out of date
 *
 * Rule ids come from RULE_IDS in packages/core/src/rules/registry.ts (their order is the index
 * order); each rule's meta is read from the defineRule({ ... }) of packages/core/src/rules/<id>.ts with a small literal reader,
 * so no build is needed. packages/core/src/rules/registry.test.ts checks that what this script reads
 * equals the meta the rule module really exports. Catalog lints (`pgwarden check`) are listed the
 * same way from CATALOG_LINT_IDS in packages/core/src/catalog/lints/registry.ts and
 * packages/core/src/catalog/lints/<id>.ts (checked by catalog/lints/registry.test.ts).
 *
 * The function verifier's rules (check, lint --deep) are listed from VERIFY_RULES in
 * packages/core/src/verify/rules.ts, read the same way, in a section of their own.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const RULES_DIR = join(ROOT, 'packages/core/src/rules');
const CATALOG_LINTS_DIR = join(ROOT, 'packages/core/src/catalog/lints');
const VERIFY_RULES_PATH = join(ROOT, 'packages/core/src/verify/rules.ts');
const CHECK_RULES_PATH = join(ROOT, 'packages/core/src/check/rules.ts');
const DEEP_RULES_PATH = join(ROOT, 'packages/core/src/impact/rules.ts');
export const INDEX_PATH = join(ROOT, 'docs/rules/README.md');


/** Rule ids in registry order, each with the `// group` comment written above it in RULE_IDS. */
export function readRegistry(rulesDir = RULES_DIR, listName = 'RULE_IDS') {
  const source = readFileSync(join(rulesDir, 'registry.ts'), 'utf8');
  const list = new RegExp(`${listName}\\s*=\\s*(?:\\w+\\()?\\[([\\s\\S]*?)\\]\\s*as const`).exec(source);
  if (!list) throw new Error(`${listName} not found in registry.ts`);
  const entries = [];
  let group = 'rules';
  for (const match of list[1].matchAll(/\/\/\s*(.*)$|'([^']+)'|"([^"]+)"/gm)) {
    if (match[1] !== undefined) group = match[1].trim();
    else entries.push({ id: match[2] ?? match[3], group });
  }
  return entries;
}

export function readRuleIds(rulesDir = RULES_DIR) {
  return readRegistry(rulesDir).map((entry) => entry.id);
}

/** Catalog lint ids in registry order (CATALOG_LINT_IDS of catalog/lints/registry.ts). */
export function readCatalogLintIds(lintsDir = CATALOG_LINTS_DIR) {
  return readRegistry(lintsDir, 'CATALOG_LINT_IDS').map((entry) => entry.id);
}

/** The meta of `catalog/lints/<id>.ts` as written in its source. */
export function readCatalogLintMeta(id, lintsDir = CATALOG_LINTS_DIR) {
  return readRuleMeta(id, lintsDir);
}

/** Reads a string literal ('...', "..." or a `...` without interpolation) that starts at `source[start]`. */
function readString(source, start) {
  const quote = source[start];
  let value = '';
  for (let index = start + 1; index < source.length; index++) {
    const char = source[index];
    if (char === '\\') {
      const next = source[++index];
      value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
    } else if (char === quote) {
      return value;
    } else if (quote === '`' && char === '$' && source[index + 1] === '{') {
      return undefined;
    } else {
      value += char;
    }
  }
  return undefined;
}

/** One literal field of the `meta` object; undefined when it is missing or not a literal. */
function metaField(meta, name) {
  const match = new RegExp(`\\b${name}\\s*:\\s*(['"\`])`).exec(meta);
  return match ? readString(meta, match.index + match[0].length - 1) : undefined;
}

/** The id a rule file declares: a literal, or a `const NAME = '...'` of the same file. */
function declaredId(source, meta) {
  const literal = metaField(meta, 'id');
  if (literal !== undefined) return literal;
  const name = /\bid\s*:\s*([A-Za-z_$][\w$]*)/.exec(meta)?.[1];
  const constant = name && new RegExp(`\\bconst\\s+${name}\\s*=\\s*(['"])`).exec(source);
  return constant ? readString(source, constant.index + constant[0].length - 1) : undefined;
}

/** The meta of `rules/<id>.ts` as written in its source, or undefined when the file does not exist. */
export function readRuleMeta(id, rulesDir = RULES_DIR) {
  const path = join(rulesDir, `${id}.ts`);
  if (!existsSync(path)) return undefined;
  const source = readFileSync(path, 'utf8');
  const start = source.search(/\bdefine(?:Rule|CatalogLint)\(\s*\{/); // the literal fields of defineRule({ id, category, ... })
  const meta = start >= 0 ? source.slice(start) : source;
  const postgres = /\bpostgres\s*:\s*\{([^}]*)\}/.exec(meta);
  const bound = (name) => {
    const match = postgres && new RegExp(`\\b${name}\\s*:\\s*(\\d+)`).exec(postgres[1]);
    return match ? Number(match[1]) : undefined;
  };
  return {
    id,
    declaredId: declaredId(source, meta),
    category: metaField(meta, 'category'),
    defaultSeverity: metaField(meta, 'defaultSeverity'),
    description: metaField(meta, 'description'),
    postgres: postgres ? { min: bound('min'), max: bound('max') } : undefined,
  };
}

/** The function verifier's rules, in VERIFY_RULES order, each as written in verify/rules.ts. */
export function readVerifyRules(path = VERIFY_RULES_PATH, listName = 'VERIFY_RULES') {
  if (!existsSync(path)) return [];
  const source = readFileSync(path, 'utf8');
  const list = new RegExp(`${listName}\\s*=\\s*(?:\\w+\\()?\\[([\\s\\S]*?)\\]\\s*as const`).exec(source);
  if (!list) throw new Error(`${listName} not found in ${path}`);
  return [...list[1].matchAll(/\{([^{}]*)\}/g)].map((entry) => ({
    id: metaField(entry[1], 'id'),
    category: metaField(entry[1], 'category'),
    defaultSeverity: metaField(entry[1], 'defaultSeverity'),
    description: metaField(entry[1], 'description'),
  }));
}

/** `all`, `14+`, `up to 13`, `12-14`: the Postgres versions a rule applies to, as docs pages write them. */
export function postgresLabel(range) {
  if (!range || (range.min === undefined && range.max === undefined)) return 'all';
  if (range.max === undefined) return `${range.min}+`;
  if (range.min === undefined) return `up to ${range.max}`;
  return `${range.min}-${range.max}`;
}

const cell = (text) => String(text ?? '?').replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

/** One table row per id; `missing` metas (no module yet) say so. */
function tableRows(metas) {
  const lines = [];
  for (const meta of metas) {
    if (meta.missing) {
      lines.push(`| \`${meta.id}\` | ? | ? | ? | (not implemented yet) |`);
      continue;
    }
    const name = existsSync(join(dirname(INDEX_PATH), `${meta.id}.md`)) ? `[\`${meta.id}\`](${meta.id}.md)` : `\`${meta.id}\``;
    lines.push(`| ${name} | ${cell(meta.category)} | ${cell(meta.defaultSeverity)} | ${postgresLabel(meta.postgres)} | ${cell(meta.description)} |`);
  }
  return lines;
}

export function renderIndex(rulesDir = RULES_DIR, lintsDir = CATALOG_LINTS_DIR) {
  const registry = readRegistry(rulesDir);
  const ids = registry.map((entry) => entry.id);
  const metas = registry.map(({ id, group }) => ({ ...(readRuleMeta(id, rulesDir) ?? { id, missing: true }), group }));
  const lines = [
    '# Rules',
    '',
    '<!-- Generated by tools/docs/rules-index.mjs from packages/core/src/rules; do not edit by hand. -->',
    '',
    `pgwarden has ${ids.length} rules. Each has a page here (what it checks, why, how to fix, examples, options),`,
    'a source file `packages/core/src/rules/<id>.ts` and tests beside it.',
    '',
    'Change a severity or turn a rule off in `pgwarden.config.json`:',
    '',
    '```json',
    '{ "rules": { "verification-query": "off", "access-exclusive-lock": "warning" } }',
    '```',
    '',
    'Silence one statement with `-- pgwarden-ignore <id>, <id> -- reason` on the line above it, or the whole',
    'file with `-- pgwarden-ignore-file <id> -- reason`. An unknown id, or an ignore that silences nothing, is',
    'reported by `unused-ignore`.',
    '',
  ];
  for (const group of [...new Set(metas.map((meta) => meta.group))]) {
    lines.push(`## ${group[0].toUpperCase()}${group.slice(1)}`, '');
    lines.push('| Rule | Category | Default severity | Postgres | Description |', '| --- | --- | --- | --- | --- |');
    lines.push(...tableRows(metas.filter((entry) => entry.group === group)));
    lines.push('');
  }
  const lintIds = readCatalogLintIds(lintsDir);
  lines.push(
    '## Catalog lints',
    '',
    `\`pgwarden check\` also lints the schema itself: the database that \`current_schema/\` builds, introspected into a`,
    'catalog snapshot, in the spirit of Supabase splinter. These are the ' + lintIds.length + ' catalog lints; their sources are',
    '`packages/core/src/catalog/lints/<id>.ts` with tests beside them, and they take severities and `"off"` from the same',
    '`rules` map. A finding names the object (table, view, function, constraint) rather than a migration line.',
    '',
    '| Lint | Category | Default severity | Postgres | Description |',
    '| --- | --- | --- | --- | --- |',
    ...tableRows(lintIds.map((id) => readCatalogLintMeta(id, lintsDir) ?? { id, missing: true })),
    '',
  );
  const checkRules = readVerifyRules(CHECK_RULES_PATH, 'CHECK_RULE_LIST');
  lines.push(
    '## Source of truth',
    '',
    "`pgwarden check`'s own proofs (besides the shadow build's findings, listed in [../shadow.md](../shadow.md)): source",
    '`packages/core/src/check/rules.ts`.',
    '',
    '| Rule | Category | Default severity | Postgres | Description |',
    '| --- | --- | --- | --- | --- |',
    ...tableRows(checkRules),
    '',
  );
  const deepRules = readVerifyRules(DEEP_RULES_PATH, 'DEEP_RULE_LIST');
  lines.push(
    '## Deep lint',
    '',
    '`pgwarden lint --deep` applies each pending migration to a shadow of `current_schema/` and proves what only a database can:',
    'source `packages/core/src/impact/rules.ts`. It also reports the function verifier and catalog lint findings below for',
    'what the migration creates or changes.',
    '',
    '| Rule | Category | Default severity | Postgres | Description |',
    '| --- | --- | --- | --- | --- |',
    ...tableRows(deepRules),
    '',
  );
  const verifyRules = readVerifyRules();
  if (verifyRules.length) {
    lines.push(
      '## Function verification',
      '',
      'Reported by `pgwarden check` and `lint --deep` for the functions in a built database (source:',
      '`packages/core/src/verify/`, rules listed in `verify/rules.ts`). Silence one statement of a function',
      'body with `-- pgwarden-ignore <id> -- reason` inside the body, directly above it.',
      '',
      '| Rule | Category | Default severity | Postgres | Description |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const meta of verifyRules) {
      const name = existsSync(join(dirname(INDEX_PATH), `${meta.id}.md`)) ? `[\`${meta.id}\`](${meta.id}.md)` : `\`${meta.id}\``;
      lines.push(`| ${name} | ${cell(meta.category)} | ${cell(meta.defaultSeverity)} | all | ${cell(meta.description)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = renderIndex();
  if (process.argv.includes('--check')) {
    const current = existsSync(INDEX_PATH) ? readFileSync(INDEX_PATH, 'utf8') : '';
    if (current !== text) {
      console.error('docs/rules/README.md is out of date: run node tools/docs/rules-index.mjs');
      process.exit(1);
    }
  } else {
    writeFileSync(INDEX_PATH, text);
    console.log(`wrote ${INDEX_PATH}`);
  }
}
