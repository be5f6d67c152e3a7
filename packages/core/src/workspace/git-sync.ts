import type { ExecFileOptions, ExecFileSyncOptions } from 'node:child_process';

/*
 * child_process is loaded on first use: `pgwarden lint` without --since or --changed never runs git,
 * and loading that module is a measurable part of the one-file lint's start-up.
 */

/** Runs git and returns its stdout; throws as execFileSync does (status, stderr). */
export function gitSync(args: readonly string[], options: Omit<ExecFileSyncOptions, 'encoding'>): Buffer {
  // Without an encoding execFileSync returns a Buffer.
  return process.getBuiltinModule('node:child_process').execFileSync('git', args, options) as Buffer;
}

/** Runs git without blocking, so that independent git calls overlap; rejects with git's stderr on the error. */
export function gitAsync(args: readonly string[], options: Omit<ExecFileOptions, 'encoding'>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    process.getBuiltinModule('node:child_process').execFile('git', args, { ...options, encoding: 'buffer' }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stderr }));
      else resolve(stdout);
    });
  });
}
