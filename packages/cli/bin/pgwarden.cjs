#!/usr/bin/env node
// Committed entry point: npm links bins at install time, before `prepare` builds dist/,
// so the link must point at a file that exists in a fresh clone. CommonJS, as dist/bin.cjs is.
require('../dist/bin.cjs');
