/**
 * Support for the CLI end-to-end suites (tests/cli): temporary workspaces built from the
 * repository's demo files, and a runner for the real built binary.
 *
 * The binary is the one `npm test` builds first (packages/cli/dist/bin.cjs). Each call spawns
 * `node bin.js ...` with a scrubbed environment: no colour, a fixed PGWARDEN_USER, and none
 * of the demo configuration's URL variables inherited from the caller.
 */

import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = join(REPO_ROOT, 'packages/cli/dist/bin.cjs');
export const DEMO_MIGRATIONS = join(REPO_ROOT, 'migration_history');

/** Who the runner records as having applied a migration (PGWARDEN_USER). */
export const TEST_USER = 'cli-tester';

/** Variables the demo configuration reads; never inherited from the caller's shell. */
const SCRUBBED = ['STAGING_DATABASE_URL', 'PRODUCTION_DATABASE_URL', 'FORCE_COLOR', 'PGPASSWORD'];

export function assertBuilt(): void {
  if (!existsSync(BIN)) {
    throw new Error(`${BIN} does not exist: build first (npx tsc -b packages/core packages/cli packages/nx, or npm test, which builds)`);
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout + stderr, for "never printed anywhere" assertions. */
  all: string;
}

export interface RunOptions {
  cwd: string;
  /** Extra environment variables (undefined removes one). */
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

/** Runs `node packages/cli/dist/bin.cjs ...args` and collects its output. */
export function runCli(args: string[], options: RunOptions): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', PGWARDEN_USER: TEST_USER };
  for (const name of SCRUBBED) delete env[name];
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr, all: stdout + stderr });
    });
  });
}

/** Lines of a stack trace, as Node prints them. */
export function stackLines(text: string): string[] {
  return text.split('\n').filter((line) => /^\s{4}at /.test(line));
}

/** Non-empty lines. */
export function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

export interface WorkspaceOptions {
  /** Copy the repository's migration_history/ (default true). */
  migrations?: boolean;
  /** Copy the repository's current_schema/ (default true). */
  schema?: boolean;
  /** The repository's pgwarden.config.json (true, default), none (false), or this object / raw text. */
  config?: boolean | object | string;
  /** Create an empty .git directory (marks the root for a workspace without config). */
  gitMarker?: boolean;
}

/** A temporary workspace; remove it with cleanup() (or cleanupWorkspaces()). */
export class CliWorkspace {
  readonly root: string;

  constructor(options: WorkspaceOptions = {}) {
    // realpath: the CLI prints resolved paths, and tmpdir() may be a symlink (macOS).
    this.root = realpathSync(mkdtempSync(join(tmpdir(), 'pgwarden-cli-')));
    if (options.migrations !== false) cpSync(DEMO_MIGRATIONS, join(this.root, 'migration_history'), { recursive: true });
    if (options.schema !== false) cpSync(join(REPO_ROOT, 'current_schema'), join(this.root, 'current_schema'), { recursive: true });
    const config = options.config ?? true;
    if (config === true) cpSync(join(REPO_ROOT, 'pgwarden.config.json'), this.configPath);
    else if (typeof config === 'string') writeFileSync(this.configPath, config);
    else if (typeof config === 'object') writeFileSync(this.configPath, JSON.stringify(config, null, 2));
    if (options.gitMarker) mkdirSync(join(this.root, '.git'));
    live.add(this);
  }

  get configPath(): string {
    return join(this.root, 'pgwarden.config.json');
  }

  path(rel: string): string {
    return join(this.root, rel);
  }

  read(rel: string): string {
    return readFileSync(this.path(rel), 'utf8');
  }

  write(rel: string, text: string): string {
    const path = this.path(rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return path;
  }

  /** Replaces `from` (must occur) in a file. */
  edit(rel: string, from: string | RegExp, to: string): void {
    const text = this.read(rel);
    const next = text.replace(from, to);
    if (next === text) throw new Error(`${rel}: ${String(from)} not found`);
    this.write(rel, next);
  }

  /** Base names of the .sql files directly under migration_history/. */
  migrationFiles(): string[] {
    return readdirSync(this.path('migration_history'))
      .filter((name) => name.endsWith('.sql'))
      .sort();
  }

  run(args: string[], options: Omit<RunOptions, 'cwd'> & { cwd?: string } = {}): Promise<CliResult> {
    return runCli(args, { ...options, cwd: options.cwd ?? this.root });
  }

  cleanup(): void {
    live.delete(this);
    rmSync(this.root, { recursive: true, force: true });
  }
}

const live = new Set<CliWorkspace>();

/** Removes every workspace not yet cleaned up (call from afterAll). */
export function cleanupWorkspaces(): void {
  for (const workspace of [...live]) workspace.cleanup();
}

/** The demo history's files, by sequence number (e.g. 19 -> 2025-09-09_19_...sql). */
export function demoFile(sequence: number): string {
  const suffix = `_${String(sequence).padStart(2, '0')}_`;
  const name = readdirSync(DEMO_MIGRATIONS).find((file) => file.slice(10, 10 + suffix.length) === suffix);
  if (!name) throw new Error(`no demo migration numbered ${sequence}`);
  return `migration_history/${name}`;
}

/** A file of the repository's demo workspace, e.g. readDemo(demoFile(19)). */
export function readDemo(rel: string): string {
  return readFileSync(join(REPO_ROOT, rel), 'utf8');
}

/** Splits a migration into its header comment block (through the closing rule line) and the body. */
export function splitHeader(text: string): { header: string; body: string } {
  const lines = text.split('\n');
  let rules = 0;
  for (let index = 0; index < lines.length; index++) {
    if (/^-- ={20,}\s*$/.test(lines[index]!)) rules++;
    if (rules === 2) return { header: lines.slice(0, index + 1).join('\n'), body: lines.slice(index + 1).join('\n') };
  }
  throw new Error('no header block');
}
