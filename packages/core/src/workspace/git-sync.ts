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

/**
 * Runs git without blocking, so that independent git calls (and the parser's loading) overlap it;
 * `input` goes to its stdin. Rejects with git's stderr on the error.
 */
export function gitAsync(args: readonly string[], options: Omit<ExecFileOptions, 'encoding'> & { input?: string }): Promise<Buffer> {
  const { input, ...execOptions } = options;
  return new Promise((resolve, reject) => {
    const child = process.getBuiltinModule('node:child_process').execFile('git', args, { ...execOptions, encoding: 'buffer' }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stderr }));
      else resolve(stdout);
    });
    // A git that exits before reading its input (not a repository, an unknown revision) closes the
    // pipe: the write fails with EPIPE, and git's own exit status and message, given to the callback,
    // are the error to report.
    child.stdin?.on('error', () => {});
    child.stdin?.end(input);
  });
}
