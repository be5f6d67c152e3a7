import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseError } from './errors.js';
import { acquireDirectoryLock, lockPathFor } from './file-lock.js';

const root = mkdtempSync(join(tmpdir(), 'pgwarden-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('data directory lock', () => {
  it('creates <parent>/<name>.lock with our pid and removes it on release', async () => {
    const dir = join(root, 'a', 'data');
    const lock = await acquireDirectoryLock(dir, { timeoutMs: 100 });
    expect(lock.path).toBe(join(root, 'a', 'data.lock'));
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  it('refuses a second open of the same directory in this process', async () => {
    const dir = join(root, 'b', 'data');
    const lock = await acquireDirectoryLock(dir, { timeoutMs: 100 });
    const error = await acquireDirectoryLock(dir, { timeoutMs: 100 }).catch((e: unknown) => e);
    expect((error as DatabaseError).reason).toBe('embedded-in-use');
    lock.release();
  });

  it('takes over the stale lock of a dead process', async () => {
    const dir = join(root, 'c', 'data');
    const path = lockPathFor(dir);
    const pid = deadPid();
    await acquireDirectoryLock(dir, { timeoutMs: 100 }).then((l) => l.release());
    writeFileSync(path, JSON.stringify({ pid, host: hostname(), since: '2020-01-01T00:00:00Z' }));
    const lock = await acquireDirectoryLock(dir, { timeoutMs: 100 });
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('waits for a live holder, then names it', async () => {
    const dir = join(root, 'd', 'data');
    const path = lockPathFor(dir);
    await acquireDirectoryLock(dir, { timeoutMs: 100 }).then((l) => l.release());
    writeFileSync(path, JSON.stringify({ pid: process.ppid, host: hostname(), since: '2020-01-01T00:00:00Z' }));
    const started = Date.now();
    const error = (await acquireDirectoryLock(dir, { timeoutMs: 300 }).catch((e: unknown) => e)) as DatabaseError;
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(error.userMessage).toBe(
      `embedded database ${dir} is in use by another process (pid ${process.ppid}, since 2020-01-01T00:00:00Z): wait for it to finish, or delete ${path} if that process is gone`,
    );
    rmSync(path);
  });
});
