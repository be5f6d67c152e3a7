import type { ExecFileSyncOptions } from 'node:child_process';

/**
 * Runs git and returns its stdout; throws as execFileSync does (status, stderr). child_process is
 * loaded on first use: `pgwarden lint` without --since or --changed never runs git, and loading that
 * module is a measurable part of the one-file lint's start-up.
 */
export function gitSync(args: readonly string[], options: Omit<ExecFileSyncOptions, 'encoding'>): Buffer {
  // Without an encoding execFileSync returns a Buffer.
  return process.getBuiltinModule('node:child_process').execFileSync('git', args, options) as Buffer;
}
