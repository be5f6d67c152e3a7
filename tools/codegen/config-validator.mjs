#!/usr/bin/env node
/**
 * Compiles packages/core/pgwarden.schema.json into a standalone ajv validator,
 * packages/core/generated/config-validator.js (with its .d.ts), so the CLI validates its config
 * from the shipped schema without loading or compiling ajv at start-up. The generated code imports
 * nothing: ajv stays a devDependency. It is plain JavaScript outside src/ because tsc would
 * re-print the one-line module three times larger; load.ts reaches it by the same relative path
 * from src/ and dist/. `npm run generate` rewrites it; a test fails while it is stale.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

export const SCHEMA_PATH = fileURLToPath(new URL('../../packages/core/pgwarden.schema.json', import.meta.url));
export const OUTPUT_PATH = fileURLToPath(new URL('../../packages/core/generated/config-validator.js', import.meta.url));
export const DECLARATION_PATH = fileURLToPath(new URL('../../packages/core/generated/config-validator.d.ts', import.meta.url));

const HEADER = '// Generated from packages/core/pgwarden.schema.json by tools/codegen/config-validator.mjs (npm run generate): do not edit.';

/** The types of the generated module, written beside it. */
export const CONFIG_VALIDATOR_DECLARATION = `${HEADER}
export interface SchemaError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  propertyName?: string;
}
/** True when the value matches pgwarden.schema.json; otherwise \`validate.errors\` says where it does not. */
export declare const validate: ((data: unknown) => boolean) & { errors?: SchemaError[] | null };
/** The schema it was compiled from. */
export declare const schema: unknown;
`;

/** The text of the generated module for `schema` (the parsed pgwarden.schema.json). */
export function configValidatorSource(schema) {
  const ajv = new Ajv.default({
    code: { source: true, esm: true },
    // .length instead of ajv's ucs2length helper, which the module would have to import at run
    // time; the schema only asks for minLength 1, where both agree.
    unicode: false,
    // pgwarden words its own messages from the schema (config/load.ts).
    messages: false,
    strict: true,
    // Only the unicode option's deprecation notice is silenced.
    logger: { log: console.log, warn: (message) => (String(message).includes('option unicode') ? undefined : console.warn(message)), error: console.error },
  });
  // The message shown for a value the schema refuses (also shown by VS Code's JSON support).
  ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
  const code = standaloneCode.default(ajv, ajv.compile(schema));
  if (/\brequire\(|^\s*import\s/m.test(code)) throw new Error('the generated validator imports a module: it must stand alone');
  // ajv embeds the schema it compiled (its errors point into it); exported, config/load.ts words
  // its messages from the very schema the validator checks.
  const embedded = /^"use strict";.*?const (schema\d+) = /.exec(code)?.[1];
  if (!embedded) throw new Error('the generated validator does not embed its schema where expected');
  return [HEADER, code, `export { ${embedded} as schema };`, ''].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  mkdirSync(dirname(OUTPUT_PATH), { recursive: true });
  writeFileSync(OUTPUT_PATH, configValidatorSource(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8'))));
  writeFileSync(DECLARATION_PATH, CONFIG_VALIDATOR_DECLARATION);
  console.log(`wrote ${OUTPUT_PATH} and ${DECLARATION_PATH}`);
}
