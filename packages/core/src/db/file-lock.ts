/**
 * Cross-process lock for a PGlite data directory. An embedded database is single-process:
 * two processes opening the same directory corrupt it. The lock is a file next to the data
 * directory (`<parent>/<name>.lock`), created with O_EXCL and holding the owner's pid.
 * A lock whose pid is dead on this host is stale and taken over.
 */

import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DatabaseError } from './errors.js';

export interface DirectoryLock {
  readonly path: string;
  release(): void;
}

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

/** A lock file that exists but is still empty may be mid-write; after this long it is garbage. */
const UNREADABLE_GRACE_MS = 5_000;

const held = new Set<string>();
let exitHookInstalled = false;

export function lockPathFor(dataDir: string): string {
  return join(dirname(dataDir), `${basename(dataDir)}.lock`);
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string') {
      return { pid: parsed.pid, host: parsed.host, since: String(parsed.since ?? '') };
    }
  } catch {
    // missing, empty or half-written
  }
  return undefined;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryCreate(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    writeSync(fd, JSON.stringify(owner) + '\n');
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Moves a stale lock aside. The rename is atomic, so of two processes taking over the same
 * stale lock only one moves it; if what we moved turns out to be a fresh lock (someone took
 * over between our read and our rename), it is put back.
 */
function removeStale(path: string, staleContent: string): void {
  const aside = `${path}.stale-${process.pid}-${Date.now()}`;
  try {
    renameSync(path, aside);
  } catch {
    return; // someone else moved it first
  }
  let moved = '';
  try {
    moved = readFileSync(aside, 'utf8');
  } catch {
    // ignore
  }
  if (moved !== staleContent) {
    try {
      linkSync(aside, path);
    } catch {
      // a third process already created a lock: theirs wins
    }
  }
  try {
    unlinkSync(aside);
  } catch {
    // ignore
  }
}

function releaser(path: string): DirectoryLock {
  held.add(path);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const p of held) releaseIfOurs(p);
    });
  }
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      held.delete(path);
      releaseIfOurs(path);
    },
  };
}

function releaseIfOurs(path: string): void {
  const owner = readOwner(path);
  if (owner && owner.pid === process.pid && owner.host === hostname()) {
    try {
      unlinkSync(path);
    } catch {
      // ignore
    }
  }
}

/** Waits up to `timeoutMs` for the data directory's lock; throws a DatabaseError naming the holder. */
export async function acquireDirectoryLock(dataDir: string, options: { timeoutMs: number }): Promise<DirectoryLock> {
  const path = lockPathFor(dataDir);
  mkdirSync(dirname(path), { recursive: true });
  if (held.has(path)) {
    throw new DatabaseError(
      'embedded-in-use',
      `embedded database ${dataDir} is already open in this process: close the other Database first`,
    );
  }
  const deadline = Date.now() + options.timeoutMs;
  let delay = 50;
  for (;;) {
    if (tryCreate(path)) return releaser(path);

    let content = '';
    try {
      content = readFileSync(path, 'utf8');
    } catch {
      continue; // vanished between create and read: try again at once
    }
    const owner = readOwner(path);
    if (!owner) {
      let age = 0;
      try {
        age = Date.now() - statSync(path).mtimeMs;
      } catch {
        continue;
      }
      if (age > UNREADABLE_GRACE_MS) {
        removeStale(path, content);
        continue;
      }
    } else if (owner.host === hostname() && owner.pid !== process.pid && !processAlive(owner.pid)) {
      removeStale(path, content);
      continue;
    }

    if (Date.now() >= deadline) {
      const who = owner
        ? `pid ${owner.pid}${owner.host === hostname() ? '' : ` on host ${owner.host}`}${owner.since ? `, since ${owner.since}` : ''}`
        : 'a process that is still writing its lock file';
      throw new DatabaseError(
        'embedded-in-use',
        `embedded database ${dataDir} is in use by another process (${who}): wait for it to finish, or delete ${path} if that process is gone`,
      );
    }
    await sleep(Math.min(delay, Math.max(1, deadline - Date.now())));
    delay = Math.min(delay * 2, 500);
  }
}
