import { randomBytes } from 'node:crypto';
import { readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces a file's text so that a killed process never leaves half a header: a temporary file
 * in the same directory (same file system), flushed, with the original's mode, renamed over it.
 */
export async function writeFileAtomically(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const mode = (await stat(path)).mode & 0o777;
    await writeFile(temp, text, { encoding: 'utf8', mode, flush: true });
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
}

/** `.<name>.sql.<pid>.<8 hex>.tmp`, as writeFileAtomically names its temporary files. */
const TEMP_FILE = /^\..+\.sql\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/** True while a process with this id exists (EPERM: it exists but belongs to another user). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files that a killed writer left in `dir` (a kill between writing the
 * temporary file and renaming it). Only files whose writer process is gone: a live writer is
 * still about to rename its file. Returns the removed names.
 */
export async function removeStaleTempFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMP_FILE.exec(name);
    if (!match || processAlive(Number(match[1]))) continue;
    try {
      await unlink(join(dir, name));
      removed.push(name);
    } catch {
      // gone already, or not ours to remove: leave it
    }
  }
  return removed;
}
