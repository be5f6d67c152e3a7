/**
 * A failure the user can act on: the CLI prints `userMessage` as one line, without a stack, and exits
 * with `exitCode` (packages/cli/src/main.ts): 2 when the command line, the configuration or the
 * repository is the problem, 1 when the operation itself failed.
 */
export abstract class UserFacingError extends Error {
  abstract readonly exitCode: 1 | 2;

  get userMessage(): string {
    return this.message;
  }
}
