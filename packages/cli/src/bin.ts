#!/usr/bin/env node
import { run } from './main.js';

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Last resort: main() already turns known failures into messages; this is a bug, say so plainly.
    console.error(`pgwarden: internal error: ${(error as Error)?.stack ?? String(error)}`);
    process.exitCode = 1;
  },
);
