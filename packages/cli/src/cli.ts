import { reportInternalError, run } from './main.js';

/** Runs the command line and exits with its code: the whole CLI from dist/, or `lint` alone from its bundle (bin.ts picks). */
export function start(argv: string[]): void {
  // An error thrown outside the command's promise chain (a callback, an unawaited promise) is a bug too:
  // one line, the stack only with --debug, exit 1, instead of Node's own stack dump.
  const crash = (error: unknown) => {
    reportInternalError(error);
    exitAfterFlush(1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);

  run(argv).then(exitAfterFlush, (error: unknown) => {
    // Last resort: main() already turns known failures into messages; this is a bug, say so plainly.
    reportInternalError(error);
    exitAfterFlush(1);
  });
}

/** Exits once the output is written; every command has awaited its own work (sessions closed, files renamed). */
function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
