import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../config/defaults.js';
import type { PgwardenConfig } from '../config/types.js';
import { lint } from './engine.js';
import { pendingLintGate } from './gate.js';
import { lintWithVerdictCache } from './verdict-cache.js';

const RULE = `-- ${'='.repeat(76)}`;

/** A convention-conforming migration creating `table`, whose header points at line `line` of current_schema/01_tables.sql. */
function migration(date: string, table: string, line: number, body = `CREATE TABLE IF NOT EXISTS public.${table} (id bigint PRIMARY KEY);\n-- pgwarden-ignore rls-on-new-table -- deny-all: internal table\nALTER TABLE public.${table} ENABLE ROW LEVEL SECURITY;\n`): string {
  return [
    RULE,
    `-- Migration: Create ${table}`,
    `-- Date: ${date}`,
    '-- Issue: the verdict cache test',
    '--',
    `-- PROBLEM: There is no ${table} table.`,
    `-- SOLUTION: Create ${table} with row level security enabled.`,
    `-- AFFECTED TABLES: ${table}`,
    '--',
    '-- SOURCE OF TRUTH SCHEMA UPDATED:',
    `--   [X] current_schema/01_tables.sql (Line ${line}: ${table} table)`,
    '--',
    '-- DOWNSTREAM UPDATES:',
    '--   [N/A] TypeScript types updated (if applicable)',
    '--',
    '-- MIGRATION EXECUTED:',
    '--   [ ] Not yet executed',
    RULE,
    '',
    body,
  ].join('\n');
}

const SCHEMA = ['-- Tables', 'CREATE TABLE IF NOT EXISTS public.alpha (id bigint PRIMARY KEY);', 'CREATE TABLE IF NOT EXISTS public.beta (id bigint PRIMARY KEY);', ''].join('\n');

describe('lint verdict cache', () => {
  let root: string;
  let config: PgwardenConfig;
  const historyDir = () => join(root, 'migration_history');
  const write = (name: string, text: string) => writeFileSync(join(historyDir(), name), text);
  const cacheFiles = () => readdirSync(join(root, '.pgwarden', 'cache')).filter((name) => name.startsWith('lint-'));

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pgwarden-verdict-cache-'));
    mkdirSync(historyDir());
    mkdirSync(join(root, 'current_schema'));
    writeFileSync(join(root, 'current_schema', '01_tables.sql'), SCHEMA);
    write('2025-01-01_01_create_alpha.sql', migration('2025-01-01', 'alpha', 2));
    write('2025-01-02_02_create_beta.sql', migration('2025-01-02', 'beta', 3));
    config = defaultConfig(root);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** The cached lint must equal a fresh lint, before and after the cache holds the verdicts. */
  async function expectSameAsFresh(expectedCached: number, options: Parameters<typeof lint>[1] = {}) {
    const fresh = await lint(config, options);
    const cached = await lintWithVerdictCache(config, options);
    expect(cached.cached).toBe(expectedCached);
    expect(cached.findings).toEqual(fresh.findings);
    expect(cached.filesLinted).toBe(fresh.filesLinted);
    const again = await lintWithVerdictCache(config, options);
    expect(again.cached).toBe(fresh.filesLinted);
    expect(again.findings).toEqual(fresh.findings);
    return fresh.findings;
  }

  it('stores each file verdict under .pgwarden/cache/ (gitignored) and answers a second run from it, with the same findings', async () => {
    write('2025-01-03_03_create_gamma.sql', migration('2025-01-03', 'gamma', 9, 'CREATE TABLE public.gamma (id bigint PRIMARY KEY);\n'));
    const findings = await expectSameAsFresh(0);
    // Not a vacuous comparison: the history has errors the cache must carry.
    expect(findings.filter((finding) => finding.severity === 'error').map((finding) => finding.rule)).toEqual(
      expect.arrayContaining(['idempotent-create', 'rls-on-new-table']),
    );
    expect(readFileSync(join(root, '.pgwarden', '.gitignore'), 'utf8')).toContain('*');
    expect(cacheFiles()).toHaveLength(1);
  });

  it('reads a stored verdict instead of linting: a verdict written into the entry is what the next run reports', async () => {
    await lintWithVerdictCache(config);
    const [entry] = cacheFiles();
    const path = join(root, '.pgwarden', 'cache', entry!);
    const stored = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown[]>;
    const alpha = Object.keys(stored).find((id) => id.startsWith('migration_history/2025-01-01_01_create_alpha.sql'))!;
    const marker = { file: 'migration_history/2025-01-01_01_create_alpha.sql', line: 1, column: 1, endLine: 1, endColumn: 1, rule: 'syntax', severity: 'error', message: 'stored' };
    stored[alpha] = [marker];
    writeFileSync(path, JSON.stringify(stored));
    expect((await lintWithVerdictCache(config)).findings).toContainEqual(marker);
  });

  it('lints again after an edit to the file itself', async () => {
    await expectSameAsFresh(0);
    write('2025-01-02_02_create_beta.sql', migration('2025-01-02', 'beta', 3, 'CREATE TABLE public.beta (id bigint PRIMARY KEY);\n'));
    const findings = await expectSameAsFresh(0);
    expect(findings.some((finding) => finding.rule === 'idempotent-create' && finding.file.endsWith('_beta.sql'))).toBe(true);
  });

  it('lints a file again when another file of the history changes (cross-file rules read it)', async () => {
    const paths = [join(historyDir(), '2025-01-02_02_create_beta.sql')];
    const before = await expectSameAsFresh(0, { paths });
    expect(before.filter((finding) => finding.rule === 'sequence-number')).toEqual([]);
    // A later file reusing beta's number makes beta's own verdict change, though beta's text did not.
    write('2025-01-05_02_create_delta.sql', migration('2025-01-05', 'delta', 3));
    const after = await expectSameAsFresh(0, { paths });
    expect(after.filter((finding) => finding.rule === 'sequence-number')).not.toEqual([]);
  });

  it('lints again when current_schema/ changes (header line references point into it)', async () => {
    const before = await expectSameAsFresh(0);
    expect(before.filter((finding) => finding.rule === 'source-of-truth-refs')).toEqual([]);
    writeFileSync(join(root, 'current_schema', '01_tables.sql'), `-- a new first line\n${SCHEMA}`);
    const after = await expectSameAsFresh(0);
    expect(after.filter((finding) => finding.rule === 'source-of-truth-refs')).not.toEqual([]);
    // A schema file removed is an edit too.
    unlinkSync(join(root, 'current_schema', '01_tables.sql'));
    await expectSameAsFresh(0);
  });

  it('lints again when the config changes', async () => {
    write('2025-01-03_03_create_gamma.sql', migration('2025-01-03', 'gamma', 9, 'CREATE TABLE public.gamma (id bigint PRIMARY KEY);\n'));
    const before = await expectSameAsFresh(0);
    expect(before.some((finding) => finding.rule === 'idempotent-create')).toBe(true);
    config = { ...config, rules: { ...config.rules, 'idempotent-create': 'off' } };
    const after = await expectSameAsFresh(0);
    expect(after.some((finding) => finding.rule === 'idempotent-create')).toBe(false);
  });

  it('keeps a verdict per previous text (--since): executed-immutable compares with it', async () => {
    const beta = join(historyDir(), '2025-01-02_02_create_beta.sql');
    const executed = migration('2025-01-02', 'beta', 3).replace('--   [ ] Not yet executed', '--   [X] Executed on production by ops at 2025-01-03 10:00 UTC');
    write('2025-01-02_02_create_beta.sql', executed);
    const same = await expectSameAsFresh(0, { paths: [beta], previousText: new Map([[beta, executed]]) });
    const edited = await expectSameAsFresh(0, { paths: [beta], previousText: new Map([[beta, executed.replace('PRIMARY KEY)', 'PRIMARY KEY, note text)')]]) });
    expect(edited).not.toEqual(same);
    expect(edited.some((finding) => finding.rule === 'executed-immutable')).toBe(true);
  });

  it('lints again when the stored entry is unreadable', async () => {
    await expectSameAsFresh(0);
    writeFileSync(join(root, '.pgwarden', 'cache', cacheFiles()[0]!), '{ not json');
    await expectSameAsFresh(0);
  });

  it('the migrate gate shares the cache: verdicts stored by lint are its verdicts, and an edit reaches the gate', async () => {
    const { discoverMigrations, readMigrationFile } = await import('../migration/index.js');
    const load = async () => (await discoverMigrations(historyDir())).map((path) => readMigrationFile(root, path)).filter((entry) => 'checksum' in entry);
    await lintWithVerdictCache(config);
    let history = await load();
    const stored = JSON.parse(readFileSync(join(root, '.pgwarden', 'cache', cacheFiles()[0]!), 'utf8')) as Record<string, unknown>;
    expect((await pendingLintGate(config, history)(history)).size).toBe(0);
    // The gate found every verdict stored: the entry gained none.
    expect(Object.keys(JSON.parse(readFileSync(join(root, '.pgwarden', 'cache', cacheFiles()[0]!), 'utf8')) as object)).toEqual(Object.keys(stored));

    write('2025-01-02_02_create_beta.sql', migration('2025-01-02', 'beta', 3, 'CREATE TABLE public.beta (id bigint PRIMARY KEY);\n'));
    history = await load();
    const verdicts = await pendingLintGate(config, history)(history);
    expect([...verdicts.keys()]).toEqual(['migration_history/2025-01-02_02_create_beta.sql']);
    expect(verdicts.get('migration_history/2025-01-02_02_create_beta.sql')!.some((message) => message.endsWith('(idempotent-create)'))).toBe(true);
    // The gate only reads: migrate (a dry run too) writes nothing but the database.
    expect(cacheFiles()).toHaveLength(1);
  });

  it('the migrate gate writes no cache of its own', async () => {
    const { discoverMigrations, readMigrationFile } = await import('../migration/index.js');
    const history = (await discoverMigrations(historyDir())).map((path) => readMigrationFile(root, path)).filter((entry) => 'checksum' in entry);
    expect((await pendingLintGate(config, history)(history)).size).toBe(0);
    expect(existsSync(join(root, '.pgwarden'))).toBe(false);
  });
});
