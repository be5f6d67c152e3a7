import { randomBytes } from 'node:crypto';
import { rename, stat, unlink, writeFile } from 'node:fs/promises';
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
