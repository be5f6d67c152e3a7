import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitAsync } from './git-sync.js';

const outside = mkdtempSync(join(tmpdir(), 'pgwarden-git-sync-'));
afterAll(() => rmSync(outside, { recursive: true, force: true }));

describe('gitAsync', () => {
  it("rejects with git's own message when git exits before reading its input (the write to its stdin fails)", async () => {
    // Far more than a pipe holds, so the write is still pending when git (outside any repository) exits.
    const input = 'HEAD:migration_history/file.sql\n'.repeat(64 * 1024);
    const failure = gitAsync(['cat-file', '--batch'], { cwd: outside, input, env: { ...process.env, GIT_CEILING_DIRECTORIES: tmpdir() } });
    await expect(failure).rejects.toThrow(/not a git repository/);
  });

  it('gives stdout of a git that read its input', async () => {
    const stdout = await gitAsync(['hash-object', '--stdin'], { cwd: outside, input: 'hello\n' });
    expect(stdout.toString().trim()).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });
});
