/**
 * Bridge schemas against real data: rows read back from the fixture database as PostgREST
 * serves them (row_to_json) validate against the generated JSON Schemas (ajv, 2020-12) and
 * zod validators; values the database would refuse do not.
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type pg from 'pg';
import { serverAvailable } from '../runner/__fixtures__/test-db.js';
import { createFixtureDatabase, FIXTURE_SCHEMAS, type FixtureDatabase } from './__fixtures__/fixture-db.js';
import { generateJsonSchemas } from './json-schema.js';
import { tableModels, type TableModel } from './table-model.js';
import { generateZod } from './zod.js';

const enabled = await serverAvailable('typegen/json-schema.test.ts');

const SAMPLE_ROWS = `
INSERT INTO public.users (id, email, display_name, mood, moods, home, settings, extra, score, login_count, status, born, wake_up, nicknames, matrix, avatar, during, ip, balance, ratio, small, big, flag)
VALUES ('6f1c0d3e-2b7a-4c55-9d7e-1a2b3c4d5e6f', 'ada@example.org', 'Ada', 'happy', '{sad,happy}', ROW('1 Main St', 'Oslo', '0150', '{a,b}'),
        '{"theme": "dark"}', '[1, "two", null]', 999.99, 3, 'suspended', '1990-05-01', '07:30', '{ada}', '{{1,2},{3,4}}', '\\x00ff',
        '[2024-01-01,2024-02-01)', '10.0.0.1', 12.5, 0.25, -32768, 9007199254740991, true);
INSERT INTO public.users (email) VALUES ('min@example.org');
INSERT INTO public.posts (author_id, title) SELECT id, 'Hello' FROM public.users;
INSERT INTO public.tags (name) VALUES ('news');
INSERT INTO billing.accounts (owner_id) SELECT id FROM public.users WHERE email = 'ada@example.org';
INSERT INTO billing.invoices (account_id, amount_cents) SELECT id, 1200 FROM billing.accounts;
`;

describe.skipIf(!enabled)('json-schema and zod against rows read back from the database', () => {
  let fixture: FixtureDatabase;
  let client: pg.Client;
  let models: TableModel[];
  const rows = new Map<string, Record<string, unknown>[]>();
  let ajv: Ajv2020;

  beforeAll(async () => {
    fixture = await createFixtureDatabase('typegen_bridge');
    client = await fixture.db.admin();
    await client.query(SAMPLE_ROWS);
    models = tableModels(fixture.snapshot, FIXTURE_SCHEMAS);
    for (const table of models) {
      const result = await client.query(`SELECT row_to_json(t) AS row FROM ${table.schema}.${table.name} t`);
      rows.set(table.key, result.rows.map((r) => r.row as Record<string, unknown>));
    }
    ajv = new Ajv2020({ allErrors: true, strict: true, keywords: ['x-guidance'] });
    addFormats.default(ajv);
    for (const file of generateJsonSchemas(models)) ajv.addSchema(file.document);
  });
  afterAll(async () => {
    await fixture?.db.drop();
  });

  const validate = (table: string, def: string, value: unknown) => {
    const check = ajv.getSchema(`pgwarden:${table}#/$defs/${def}`)!;
    const ok = check(value) as boolean;
    return ok ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };

  it('every row of every table validates against its Row schema', () => {
    let checked = 0;
    for (const [table, tableRows] of rows) {
      for (const row of tableRows) {
        expect(validate(table, 'Row', row), `${table} ${JSON.stringify(Object.keys(row))}`).toEqual([]);
        checked++;
      }
    }
    expect(checked).toBe(7);
  });

  it('values the database refuses are refused: enum, CHECK list, varchar length, numeric precision, nulls', () => {
    const row = rows.get('public.users')![0]!;
    expect(validate('public.users', 'Row', { ...row, mood: 'angry' })).not.toEqual([]);
    expect(validate('public.users', 'Row', { ...row, status: 'archived' })).not.toEqual([]);
    expect(validate('public.users', 'Row', { ...row, display_name: 'x'.repeat(81) })).not.toEqual([]);
    expect(validate('public.users', 'Row', { ...row, display_name: 'x'.repeat(80) })).toEqual([]);
    expect(validate('public.users', 'Row', { ...row, score: 1000 })).not.toEqual([]);
    expect(validate('public.users', 'Row', { ...row, score: -1 })).not.toEqual([]);
    expect(validate('public.users', 'Row', { ...row, small: -32769 })).not.toEqual([]);
    expect(validate('public.users', 'Row', { ...row, email: null })).not.toEqual([]);
    expect(validate('public.users', 'Row', { ...row, settings: null })).not.toEqual([]);
    expect(validate('public.users', 'Row', { ...row, id: 'not-a-uuid' })).not.toEqual([]);
    expect(validate('public.users', 'Row', { ...row, created_at: 'yesterday' })).not.toEqual([]);
    expect(validate('public.users', 'Row', { ...row, unknown_column: 1 })).not.toEqual([]);
  });

  it('Insert: required columns are the NOT NULL ones without default; identity ALWAYS and generated are refused', () => {
    expect(validate('public.posts', 'Insert', { author_id: '6f1c0d3e-2b7a-4c55-9d7e-1a2b3c4d5e6f', title: 'x' })).toEqual([]);
    expect(validate('public.posts', 'Insert', { title: 'x' })).not.toEqual([]);
    expect(validate('public.posts', 'Insert', { author_id: '6f1c0d3e-2b7a-4c55-9d7e-1a2b3c4d5e6f', title: 'x', id: 5 })).not.toEqual([]);
    expect(validate('public.posts', 'Insert', { author_id: '6f1c0d3e-2b7a-4c55-9d7e-1a2b3c4d5e6f', title: 'x', title_length: 1 })).not.toEqual([]);
    // identity BY DEFAULT may be set
    expect(validate('public.posts', 'Insert', { author_id: '6f1c0d3e-2b7a-4c55-9d7e-1a2b3c4d5e6f', title: 'x', seq: 7 })).toEqual([]);
    expect(validate('public.posts', 'Update', {})).toEqual([]);
    expect(validate('public.posts', 'Update', { id: 1 })).not.toEqual([]);
  });

  it('Insert defaults, enums from enum types and CHECK lists, maxLength, descriptions', () => {
    const users = generateJsonSchemas(models).find((f) => f.path === 'public/users.schema.json')!.document as any;
    expect(users.description).toBe('People who sign in.');
    const insert = users.$defs.Insert.properties;
    expect(insert.mood).toMatchObject({ enum: ['sad', 'ok', 'happy'], default: 'ok' });
    expect(insert.status).toMatchObject({ type: 'string', enum: ['active', 'suspended', 'deleted'], default: 'active' });
    expect(insert.settings.default).toEqual({});
    expect(insert.login_count.default).toBe(1);
    expect(insert.created_at).toEqual({ type: 'string', format: 'date-time' }); // now() is no literal default
    expect(insert.display_name).toMatchObject({ maxLength: 80, description: 'Shown in the header.' });
    expect(insert.id.format).toBe('uuid');
    expect(users.$defs.Insert.required).toEqual(['email']);
  });

  it('llm-strict: every property required, nullability as type arrays, no additional properties', () => {
    const strict = generateJsonSchemas(models).find((f) => f.path === 'public/posts.llm-strict.schema.json')!.document as any;
    expect(strict.additionalProperties).toBe(false);
    expect(strict.required).toEqual(Object.keys(strict.properties));
    expect(strict.properties.id).toBeUndefined(); // identity ALWAYS: not for the model to write
    expect(strict.properties.body.type).toEqual(['string', 'null']);
    expect(strict.properties.title.type).toBe('string');
    const validateStrict = new Ajv2020({ strict: true }).compile(strict);
    expect(validateStrict({ author_id: 'a', editor_id: null, title: 't', body: null, published: false, seq: 1 })).toBe(true);
    expect(validateStrict({ author_id: 'a', editor_id: null, title: 't', body: null, published: false })).toBe(false);
  });

  it('zod validators parse the same rows and refuse the same near misses', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pgw-zod-'));
    const file = path.join(dir, 'zod.ts');
    const text = generateZod(models).replace("from 'zod'", `from ${JSON.stringify(import.meta.resolve('zod'))}`);
    writeFileSync(file, text);
    const { Tables } = (await import(pathToFileURL(file).href)) as { Tables: any };
    let parsed = 0;
    for (const [table, tableRows] of rows) {
      const [schema, name] = table.split('.') as [string, string];
      for (const row of tableRows) {
        const result = Tables[schema][name].Row.safeParse(row);
        expect(result.success, `${table}: ${JSON.stringify(result.error?.issues)}`).toBe(true);
        parsed++;
      }
    }
    expect(parsed).toBe(7);
    const user = rows.get('public.users')![0]!;
    expect(Tables.public.users.Row.safeParse({ ...user, mood: 'angry' }).success).toBe(false);
    expect(Tables.public.users.Row.safeParse({ ...user, status: 'archived' }).success).toBe(false);
    expect(Tables.public.users.Row.safeParse({ ...user, settings: null }).success).toBe(false);
    expect(Tables.public.users.Row.safeParse({ ...user, small: 40000 }).success).toBe(false);
    expect(Tables.public.posts.Insert.safeParse({ author_id: user.id, title: 'x' }).success).toBe(true);
    expect(Tables.public.posts.Insert.safeParse({ author_id: user.id, title: 'x', id: 3 }).success).toBe(false);
    expect(Tables.public.posts.Insert.safeParse({ title: 'x' }).success).toBe(false);
  });
});
