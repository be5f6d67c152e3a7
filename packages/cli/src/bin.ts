#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { reportInternalError, run } from './main.js';

// The SQL parser is WASM. By default V8 recompiles its hot functions with TurboFan in the
// background and the process then waits for those compiles before it can exit: about 65 ms of
// a 230 ms one-file lint (docs/benchmarks.md). The baseline compiler alone parses a migration
// history just as fast. Set before anything loads the parser; the flag exists in Node 20's V8.
setFlagsFromString('--liftoff-only');

// An error thrown outside the command's promise chain (a callback, an unawaited promise) is a bug too:
// one line, the stack only with --debug, exit 1, instead of Node's own stack dump.
const crash = (error: unknown) => {
  reportInternalError(error);
  exitAfterFlush(1);
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

run(process.argv.slice(2)).then(exitAfterFlush, (error: unknown) => {
  // Last resort: main() already turns known failures into messages; this is a bug, say so plainly.
  reportInternalError(error);
  exitAfterFlush(1);
});

/** Exits once the output is written; every command has awaited its own work (sessions closed, files renamed). */
function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
