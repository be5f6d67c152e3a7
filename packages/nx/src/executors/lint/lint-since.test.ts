/**
 * The Nx lint executor with `since`: the same committed-version reading as `pgwarden lint --since`
 * (core's committedVersions), in a real temporary git repository holding the demo history.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import lintExecutor from './lint.js';

const REPO = resolve(import.meta.dirname, '../../../../..');
const FILE = 'migration_history/2025-02-10_09_add_vital_signs_bmi.sql';
const roots: string[] = [];

afterEach(() => {
  vi.restoreAllMocks();
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A repository whose committed file 09 records an execution on staging, then edited in its SQL body. */
function executedThenEdited(): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'pgwarden-nx-lint-')));
  roots.push(root);
  for (const entry of ['migration_history', 'current_schema', 'pgwarden.config.json']) cpSync(join(REPO, entry), join(root, entry), { recursive: true });
  const edit = (from: string, to: string) => {
    const text = readFileSync(join(root, FILE), 'utf8');
    expect(text).toContain(from);
    writeFileSync(join(root, FILE), text.replace(from, to));
  };
  edit('--   [ ] Not yet executed', '--   [X] staging 2025-02-11 by ops (7012 ms)');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: root, stdio: 'pipe' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'history');
  edit('(height_cm / 100.0)), 2)', '(height_cm / 100.0)), 1)');
  return root;
}

function context(root: string): ExecutorContext {
  return { root, cwd: root, isVerbose: false, projectName: 'db', projectsConfigurations: { version: 2, projects: { db: { root: '.' } } } } as unknown as ExecutorContext;
}

async function runLint(root: string, since?: string): Promise<{ success: boolean; rules: [string, string][] }> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const { success } = await lintExecutor({ format: 'json', ...(since ? { since } : {}) }, context(root));
  vi.restoreAllMocks();
  const findings = JSON.parse(out) as { file: string; rule: string; severity: string }[];
  return { success, rules: findings.filter((finding) => finding.severity === 'error').map((finding) => [finding.file, finding.rule]) };
}

describe('Nx lint executor: since', () => {
  it('an edit to an executed migration since the revision fails, as pgwarden lint --since reports it', async () => {
    const root = executedThenEdited();
    expect(await runLint(root, 'HEAD')).toEqual({ success: false, rules: [[FILE, 'executed-immutable']] });
    // Near miss: without since there is nothing to compare with.
    expect(await runLint(root)).toEqual({ success: true, rules: [] });
  });

  it('an unknown revision is a one-line failure, not a crash', async () => {
    const root = executedThenEdited();
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
    const result = await lintExecutor({ since: 'no-such-branch' }, context(root));
    expect(result).toEqual({ success: false });
    expect(errors).toEqual([`pgwarden: --since no-such-branch: no such revision in the repository at ${root}`]);
  });
});
