/*
 * applyToShadow: pending migrations on a built shadow, statement by statement, each failure with
 * file:line, the Postgres message, hint and SQLSTATE; the statements around a failure still run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyToShadow } from './apply.js';
import { buildShadow } from './build.js';
import type { ShadowDatabase } from './types.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__');
let shadow: ShadowDatabase;

beforeAll(async () => {
  shadow = await buildShadow({ root: ROOT, schemaDir: 'forward-same-file', cache: false });
}, 300_000);

afterAll(async () => {
  await shadow?.close();
});

describe('applyToShadow', () => {
  it('lists every failing statement with file:line:column, message, hint and SQLSTATE, and applies the rest', async () => {
    const result = await applyToShadow(shadow, {
      root: ROOT,
      files: ['migrations/2026-02-01_01_add_note_fields.sql', 'migrations/2026-02-02_02_more.sql'],
    });
    expect(result.failures).toEqual([
      {
        file: 'migrations/2026-02-01_01_add_note_fields.sql',
        line: 11,
        column: 16,
        message: 'function public.note_title(text) does not exist',
        hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
        sqlState: '42883',
      },
      {
        file: 'migrations/2026-02-02_02_more.sql',
        line: 4,
        column: 1,
        message: 'column "pinned" of relation "notes" already exists',
        sqlState: '42701',
      },
    ]);
    // ADD COLUMN title, ADD COLUMN pinned, CREATE INDEX on title: BEGIN/COMMIT skipped.
    expect(result.applied).toBe(3);
    const session = await shadow.database.session();
    const { rows } = await session.query<{ name: string }>(
      "SELECT attname AS name FROM pg_attribute WHERE attrelid = 'public.notes'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
    );
    expect(rows.map((row) => row.name)).toEqual(['id', 'owner_id', 'body', 'title', 'pinned']);
  });

  it('applies in-memory sources (a git revision) and names them as given', async () => {
    const result = await applyToShadow(shadow, {
      root: ROOT,
      sources: [{ relPath: 'migration_history/at-rev.sql', text: 'CREATE TABLE public.rev_table (id integer);\nSELECT public.missing_helper();\n' }],
    });
    expect(result.applied).toBe(1);
    expect(result.failures).toMatchObject([{ file: 'migration_history/at-rev.sql', line: 2, column: 8, sqlState: '42883' }]);
  });

  it('a file that cannot be read is one line naming it', async () => {
    await expect(applyToShadow(shadow, { root: ROOT, files: ['migrations/missing.sql'] })).rejects.toThrow('migrations/missing.sql does not exist');
  });
});
