// Test helpers: load the realistic fixture migrations that sit beside this file.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseMigration } from '../parse-migration.js';
import type { Migration } from '../types.js';

export const EXECUTED_FIXTURE = '2025-10-08_18_add_processing_time_minutes.sql';
export const APPROVED_FIXTURE = '2025-10-09_19_index_encounter_documents_patient.sql';
export const NO_HEADER_FIXTURE = '2025-10-10_20_no_header.sql';
export const UNCLOSED_FIXTURE = '2025-10-11_21_unclosed_header.sql';

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`./${name}`, import.meta.url));
}

export function fixtureText(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}

export function toCrlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

export function parseText(text: string, name = EXECUTED_FIXTURE): Migration {
  return parseMigration({ path: `/repo/migration_history/${name}`, relPath: `migration_history/${name}`, text });
}

export function parseFixture(name: string): Migration {
  return parseText(fixtureText(name), name);
}
