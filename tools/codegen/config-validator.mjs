#!/usr/bin/env node
/**
 * Compiles packages/core/pgwarden.schema.json into a standalone ajv validator,
 * packages/core/src/config/schema-validator.generated.ts, so the CLI validates its config from
 * the shipped schema without loading or compiling ajv at start-up. The generated code imports
 * nothing: ajv stays a devDependency. `npm run generate` rewrites it; a test fails while it is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

export const SCHEMA_PATH = fileURLToPath(new URL('../../packages/core/pgwarden.schema.json', import.meta.url));
export const OUTPUT_PATH = fileURLToPath(new URL('../../packages/core/src/config/schema-validator.generated.ts', import.meta.url));

/** The text of the generated module for `schema` (the parsed pgwarden.schema.json). */
export function configValidatorSource(schema) {
  const ajv = new Ajv.default({
    code: { source: true, esm: true },
    // .length instead of ajv's ucs2length helper, which the module would have to import at run
    // time; the schema only asks for minLength 1, where both agree.
    unicode: false,
    strict: true,
    // Only the unicode option's deprecation notice is silenced.
    logger: { log: console.log, warn: (message) => (String(message).includes('option unicode') ? undefined : console.warn(message)), error: console.error },
  });
  // The message shown for a value the schema refuses (also shown by VS Code's JSON support).
  ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
  const code = standaloneCode.default(ajv, ajv.compile(schema));
  if (/\brequire\(|^\s*import\s/m.test(code)) throw new Error('the generated validator imports a module: it must stand alone');
  // ajv embeds the schema it compiled; exported, error messages read the failing keyword's schema
  // from the very schema the validator checks.
  const embedded = /^"use strict";.*?const (schema\d+) = /.exec(code)?.[1];
  if (!embedded) throw new Error('the generated validator does not embed its schema where expected');
  return [
    '// @ts-nocheck',
    '// Generated from packages/core/pgwarden.schema.json by tools/codegen/config-validator.mjs (npm run generate): do not edit.',
    code,
    `export { ${embedded} as schema };`,
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(OUTPUT_PATH, configValidatorSource(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8'))));
  console.log(`wrote ${OUTPUT_PATH}`);
}
