import { beforeAll, describe, expect, it } from 'vitest';
import { createdExtensions, mayCreateExtension, writtenExtensionNames } from './extensions.js';
import { loadParser, parseSql } from './parser.js';

beforeAll(loadParser);

const SQL = `CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA extensions;
create extension
  pg_trgm;
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') THEN CREATE EXTENSION IF NOT EXISTS vector; END IF;
END $$;
-- CREATE EXTENSION postgis; (not yet)
`;

describe('extensions a file creates', () => {
  it('the parser: top level and inside DO blocks, with their lines; a comment is not one', () => {
    expect(createdExtensions(parseSql(SQL))).toEqual([
      { name: 'uuid-ossp', line: 1, nested: false },
      { name: 'pg_trgm', line: 2, nested: false },
      { name: 'vector', line: 5, nested: true },
    ]);
  });

  it('the cheap reading names every one as written, comments included (never fewer than the parser)', () => {
    expect(mayCreateExtension(SQL)).toBe(true);
    expect(writtenExtensionNames(SQL)).toEqual(['uuid-ossp', 'pg_trgm', 'vector', 'postgis']);
    // Near miss: a text that only mentions extensions creates none.
    expect(mayCreateExtension('SELECT * FROM pg_extension; -- extension list')).toBe(false);
    expect(writtenExtensionNames('DROP EXTENSION IF EXISTS vector;')).toEqual([]);
  });
});
