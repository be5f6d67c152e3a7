/*
 * `pgwarden lint` from its bundle, and the other commands from theirs, end to end: a copy of the built packages in a temporary folder,
 * bundled with the real build script (tools/build/bundles.mjs), then run. The bundle gives the
 * same output as dist/, with or without a code cache V8 takes; once a dist/ file it was built from is
 * rewritten (a `tsc -b` without a new bundle), the bin runs dist/ again. Which code ran shows in the
 * stack of a forced internal error.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, REPO_ROOT } from '../support/cli-workspace.js';

let root: string;
let bin: string;

beforeAll(() => {
  assertBuilt();
  root = mkdtempSync(join(tmpdir(), 'pgwarden-bundle-e2e-'));
  for (const pkg of ['core', 'cli']) {
    cpSync(join(REPO_ROOT, 'packages', pkg, 'dist'), join(root, 'packages', pkg, 'dist'), { recursive: true, filter: (source) => !source.endsWith('.map') && !source.includes('lint.bundle') });
    cpSync(join(REPO_ROOT, 'packages', pkg, 'package.json'), join(root, 'packages', pkg, 'package.json'));
  }
  // The config validator generated from the JSON Schema and the database presets sit beside core's dist/.
  for (const beside of ['generated', 'presets']) cpSync(join(REPO_ROOT, 'packages/core', beside), join(root, 'packages/core', beside), { recursive: true });
  mkdirSync(join(root, 'node_modules/@pgwarden'), { recursive: true });
  symlinkSync(join(root, 'packages/core'), join(root, 'node_modules/@pgwarden/core'));
  // The npm packages the bundles leave outside (libpg-query, pg, ...), as an install would have them;
  // PGlite under core only, as an install that does not hoist core's dependencies leaves it.
  for (const name of readdirSync(join(REPO_ROOT, 'node_modules'))) {
    if (name !== '@pgwarden' && name !== '@electric-sql' && name !== '.bin' && !name.startsWith('.')) symlinkSync(join(REPO_ROOT, 'node_modules', name), join(root, 'node_modules', name));
  }
  mkdirSync(join(root, 'packages/core/node_modules'));
  symlinkSync(join(REPO_ROOT, 'node_modules/@electric-sql'), join(root, 'packages/core/node_modules/@electric-sql'));
  for (const entry of ['migration_history', 'current_schema', 'pgwarden.config.json']) cpSync(join(REPO_ROOT, entry), join(root, 'demo', entry), { recursive: true });
  bin = join(root, 'packages/cli/dist/bin.cjs');
  const build = spawnSync(process.execPath, [join(REPO_ROOT, 'tools/build/bundles.mjs'), '--root', root, '--workspace', join(root, 'demo')], { encoding: 'utf8' });
  expect(build.status, build.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

function lint(args: string[], env: Record<string, string> = {}) {
  return pgwarden(['lint', ...args], env);
}

function pgwarden(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: join(root, 'demo'), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The file whose `run` dispatched the command, from the stack of a forced internal error. */
function dispatchedFrom(command: string[] = ['lint']): string {
  const result = pgwarden([...command, '--debug'], { PGWARDEN_TEST_INTERNAL_ERROR: '1' });
  expect(result.code).toBe(1);
  return /at run \((?:file:\/\/)?\/.*\/packages\/cli\/dist\/([\w.]+\.c?js):\d+/.exec(result.stderr)?.[1] ?? result.stderr;
}

/** Replaces a file's text by another of the same length and keeps its time, so that the bin's guard (sizes, times) still passes it. */
function replaceKeepingSizeAndTime(path: string, text: string): () => void {
  const before = readFileSync(path);
  const { atime, mtime } = statSync(path);
  expect(Buffer.byteLength(text)).toBe(before.length);
  writeFileSync(path, text);
  utimesSync(path, atime, mtime);
  return () => {
    writeFileSync(path, before);
    utimesSync(path, atime, mtime);
  };
}

describe('pgwarden lint from its bundle', () => {
  it('runs the bundle when it is fresh, with the same findings and exit code as dist/', () => {
    expect(dispatchedFrom()).toBe('lint.bundle.cjs');
    const bundled = lint(['--format', 'json']);
    const unbundled = lint(['--format', 'json'], { PGWARDEN_NO_BUNDLE: '1' });
    expect(JSON.parse(bundled.stdout).length).toBeGreaterThan(0);
    expect(bundled.stdout).toBe(unbundled.stdout);
    expect(bundled.code).toBe(unbundled.code);
  });

  it('runs dist/ when the bundle itself cannot load (broken text its guard does not see)', () => {
    const bundle = join(root, 'packages/cli/dist/lint.bundle.cjs');
    const restore = replaceKeepingSizeAndTime(bundle, `)${' '.repeat(statSync(bundle).size - 1)}`);
    try {
      expect(dispatchedFrom()).toBe('main.js');
      expect(lint(['--format', 'json']).code).toBe(lint(['--format', 'json'], { PGWARDEN_NO_BUNDLE: '1' }).code);
    } finally {
      restore();
    }
  });

  it('runs the bundle from source, with the same output, when V8 rejects its code cache', () => {
    const cache = join(root, 'packages/cli/dist/lint.bundle.v8cache');
    const restore = replaceKeepingSizeAndTime(cache, 'x'.repeat(statSync(cache).size));
    try {
      expect(dispatchedFrom()).toBe('lint.bundle.cjs');
      expect(lint(['--format', 'json']).stdout).toBe(lint(['--format', 'json'], { PGWARDEN_NO_BUNDLE: '1' }).stdout);
    } finally {
      restore();
    }
  });

  it('stores lint verdicts under the key dist/ computes, so the migrate gate (core from dist/) reuses what lint --cache stored', () => {
    const cacheDir = join(root, 'demo/.pgwarden/cache');
    rmSync(cacheDir, { recursive: true, force: true });
    const entries = () => readdirSync(cacheDir).filter((name) => name.startsWith('lint-'));
    const bundled = lint(['--cache', '--format', 'json']);
    expect(entries()).toHaveLength(1);
    const unbundled = lint(['--cache', '--format', 'json'], { PGWARDEN_NO_BUNDLE: '1' });
    expect(unbundled.stdout).toBe(bundled.stdout);
    // A second key would mean dist/ linted every file again instead of reading the bundle's verdicts.
    expect(entries()).toHaveLength(1);
  });

  it('runs every other command, and lint --deep, from the commands bundle, with the same output as dist/', () => {
    expect(dispatchedFrom(['status'])).toBe('cli.bundle.cjs');
    expect(dispatchedFrom(['lint', '--deep'])).toBe('cli.bundle.cjs');
    expect(dispatchedFrom(['lint'])).toBe('lint.bundle.cjs');
    // new writes the next-numbered file from the template: the config, the history and the template come from core.
    const created = () => readdirSync(join(root, 'demo/migration_history')).filter((name) => name.includes('add_notes'));
    const once = (env: Record<string, string>) => {
      const result = pgwarden(['new', 'add_notes', '--date', '2025-12-01'], env);
      const [name] = created();
      const path = join(root, 'demo/migration_history', name!);
      const text = readFileSync(path, 'utf8');
      rmSync(path);
      return { ...result, name, text };
    };
    const bundled = once({});
    expect(bundled.code, bundled.stderr).toBe(0);
    expect(bundled.text).toContain('-- Migration: Add notes');
    expect(bundled).toEqual(once({ PGWARDEN_NO_BUNDLE: '1' }));
  });

  it("lint --deep from the commands bundle finds PGlite where only core's folder has it (an install that does not hoist it), as dist/ does", () => {
    const file = 'migration_history/2025-09-09_19_restrict_clinical_notes_update_policy.sql';
    const bundled = pgwarden(['lint', '--deep', '--format', 'json', file]);
    expect(bundled.code, bundled.stderr).toBe(0);
    expect(bundled.stderr).not.toMatch(/internal error|Cannot find/);
    expect(bundled.stdout).toBe(pgwarden(['lint', '--deep', '--format', 'json', file], { PGWARDEN_NO_BUNDLE: '1' }).stdout);
  });

  it('a rewritten file that only the commands bundle holds sends the other commands to dist/, and lint keeps its bundle', () => {
    const migrate = join(root, 'packages/core/dist/runner/migrate.js');
    const text = readFileSync(migrate, 'utf8');
    writeFileSync(migrate, `${text}\n// edited\n`);
    try {
      expect(dispatchedFrom(['status'])).toBe('main.js');
      expect(dispatchedFrom(['lint'])).toBe('lint.bundle.cjs');
    } finally {
      writeFileSync(migrate, text);
    }
  });

  it('runs dist/ once tsc rewrites a file the bundle was built from', () => {
    const engine = join(root, 'packages/core/dist/lint/engine.js');
    // A changed message in core, as an edited rule or engine would be after `tsc -b`.
    const text = readFileSync(engine, 'utf8');
    const edited = text.replace('internal error in rule ${rule.meta.id}', 'internal error (edited) in rule ${rule.meta.id}');
    expect(edited).not.toBe(text);
    writeFileSync(engine, edited);
    const later = statSync(join(root, 'packages/cli/dist/lint.bundle.json')).mtimeMs / 1000 + 5;
    utimesSync(engine, later, later);
    expect(dispatchedFrom()).toBe('main.js');
  });
});
