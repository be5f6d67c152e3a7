/**
 * Overlays verified against the fixture catalog: each kind of drift is reported with the
 * overlay file, the line of its key and the key; entries that agree with the database (the
 * near misses) stay clean; unknown keys are kept and reach the outputs.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverAvailable } from '../runner/__fixtures__/test-db.js';
import { createFixtureDatabase, FIXTURE_SCHEMAS, FIXTURE_SQL, type FixtureDatabase } from './__fixtures__/fixture-db.js';
import { generateJsonSchemas } from './json-schema.js';
import { checkOverlays, closest, loadOverlays, overlayAnnotations, parseOverlay, resolveOverlayTables } from './overlays.js';
import { tableModels, type TableModel } from './table-model.js';
import { generateZod } from './zod.js';

const enabled = await serverAvailable('typegen/overlays.test.ts');

describe('overlay parsing', () => {
  it('reads key lines, the short string form and keeps unknown keys', () => {
    const overlay = parseOverlay(
      ['{', '  "table": "users",', '  "team": "extraction",', '  "columns": {', '    "mood": "sad|ok|happy (default: ok)",', '    "login_count": "integer? (default: 1)",', '    "status": { "type": "text", "stage": 2 }', '  }', '}'].join('\n'),
      'overlays/users.json',
    );
    expect(overlay.table).toBe('public.users');
    expect(overlay.tableKeyLine).toBe(2);
    expect(overlay.extra).toEqual({ team: 'extraction' });
    const [mood, count, status] = overlay.columns;
    expect(mood).toMatchObject({ name: 'mood', line: 5, allowedValues: ['sad', 'ok', 'happy'], hasDefault: true, default: 'ok' });
    expect(count).toMatchObject({ name: 'login_count', line: 6, type: 'integer', required: false, default: 1 });
    expect(status).toMatchObject({ type: 'text', extra: { stage: 2 }, line: 7 });
  });

  it('names the table by file name when there is no table key; a schema prefix counts when that table exists', () => {
    const plain = parseOverlay('{"columns": {}}', 'o/users.extract.json');
    const qualified = parseOverlay('{"columns": {}}', 'o/billing.accounts.json');
    resolveOverlayTables([plain, qualified], new Set(['public.users', 'billing.accounts']));
    expect(plain.table).toBe('public.users');
    expect(qualified.table).toBe('billing.accounts');
  });

  it('reports invalid JSON with its line, and a missing folder, as findings', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pgw-overlays-'));
    writeFileSync(path.join(dir, 'broken.json'), '{\n  "table": "users",\n  "columns": {,}\n}');
    const { overlays, findings } = loadOverlays(dir, path.dirname(dir));
    expect(overlays).toEqual([]);
    expect(findings).toEqual([{ file: `${path.basename(dir)}/broken.json`, line: 3, key: '', message: expect.stringContaining('not valid overlay JSON') }]);
    expect(loadOverlays(path.join(dir, 'nope'), dir).findings[0]!.message).toBe('the overlays folder does not exist');
  });

  it('closest name: renamed columns are found, unrelated names are not guessed', () => {
    expect(closest('display_nam', ['id', 'display_name', 'email'])).toBe('display_name');
    expect(closest('author', ['id', 'author_id', 'title'])).toBe('author_id');
    expect(closest('zzz', ['id', 'display_name', 'email'])).toBeUndefined();
  });
});

describe.skipIf(!enabled)('overlays against the catalog', () => {
  let fixture: FixtureDatabase;
  let models: TableModel[];
  let root: string;

  beforeAll(async () => {
    fixture = await createFixtureDatabase('typegen_overlays');
    models = tableModels(fixture.snapshot, FIXTURE_SCHEMAS);
    root = mkdtempSync(path.join(tmpdir(), 'pgw-overlay-root-'));
    mkdirSync(path.join(root, 'current_schema'));
    writeFileSync(path.join(root, 'current_schema/01_all.sql'), FIXTURE_SQL);
  });
  afterAll(async () => {
    await fixture?.db.drop();
  });

  const usersLine = () => FIXTURE_SQL.split('\n').findIndex((line) => line.startsWith('CREATE TABLE public.users')) + 1;

  const check = async (text: string, file = 'overlays/users.json') => {
    const overlay = parseOverlay(text, file);
    resolveOverlayTables([overlay], new Set(models.map((m) => m.key)));
    return checkOverlays([overlay], models, root);
  };

  it('an overlay that agrees with the database has no findings (near misses)', async () => {
    const line = usersLine();
    const findings = await check(
      JSON.stringify(
        {
          table: 'public.users',
          source: `current_schema/01_all.sql:${line}-${line + 30}`,
          columns: {
            email: { type: 'text', required: true },
            display_name: { type: 'varchar(80)', required: false, description: 'Shown in the header.' },
            mood: 'sad|ok|happy (default: ok)',
            status: { allowed_values: ['deleted', 'active', 'suspended'], default: 'active' },
            login_count: 'integer? (default: 1)',
            settings: { type: 'jsonb' },
            created_at: { type: 'timestamptz', required: false },
            nicknames: { type: 'text[]' },
            home: { type: 'address' },
            score: { type: 'number' },
            id: { type: 'uuid', required: false },
          },
        },
        null,
        2,
      ),
    );
    expect(findings).toEqual([]);
  });

  it('reports each drift with file, line of the key and key', async () => {
    const text = [
      '{',
      '  "table": "public.users",',
      '  "source": { "file": "current_schema/01_all.sql", "lines": [1, 5] },',
      '  "columns": {',
      '    "display_nam": { "description": "renamed" },',
      '    "mood": { "allowed_values": ["sad", "ok", "ecstatic"] },',
      '    "status": "active|suspended (default: active)",',
      '    "email": {',
      '      "required": false',
      '    },',
      '    "display_name": { "required": true },',
      '    "born": { "type": "integer" },',
      '    "flag": { "allowed_values": [true, false] },',
      '    "login_count": { "default": 5 },',
      '    "bio": "text"',
      '  }',
      '}',
    ].join('\n');
    const findings = await check(text);
    expect(findings).toEqual([
      { file: 'overlays/users.json', line: 3, key: 'source', message: `points at current_schema/01_all.sql:1-5, but CREATE TABLE public.users is at line ${usersLine()}` },
      { file: 'overlays/users.json', line: 5, key: 'columns.display_nam', message: 'column display_nam does not exist in public.users (did you mean display_name?)' },
      { file: 'overlays/users.json', line: 6, key: 'columns.mood.allowed_values', message: 'allowed values differ from enum public.mood (sad, ok, happy) (missing happy; not allowed by the database: ecstatic)' },
      { file: 'overlays/users.json', line: 7, key: 'columns.status', message: 'allowed values differ from the CHECK list (active, suspended, deleted) (missing deleted)' },
      { file: 'overlays/users.json', line: 9, key: 'columns.email.required', message: 'marked optional, but the column is NOT NULL without a default: every insert must set it' },
      { file: 'overlays/users.json', line: 11, key: 'columns.display_name.required', message: 'marked required, but the column is nullable' },
      { file: 'overlays/users.json', line: 12, key: 'columns.born.type', message: "type integer does not match the column's type date" },
      { file: 'overlays/users.json', line: 13, key: 'columns.flag.allowed_values', message: 'lists allowed values but public.users.flag (boolean) has no enum type or CHECK list to hold them' },
      { file: 'overlays/users.json', line: 14, key: 'columns.login_count.default', message: "default 5 differs from the column's default 1" },
      { file: 'overlays/users.json', line: 15, key: 'columns.bio', message: 'column bio does not exist in public.users' },
    ]);
  });

  it('an unknown table, a missing pointer file and a file that does not create the table', async () => {
    expect(await check('{"table": "public.user", "columns": {}}')).toEqual([
      { file: 'overlays/users.json', line: 1, key: 'table', message: 'table public.user does not exist (did you mean public.users?)' },
    ]);
    expect((await check('{"table": "users", "source": "current_schema/09_gone.sql:1-9"}'))[0]!.message).toBe('points at current_schema/09_gone.sql, which does not exist');
    writeFileSync(path.join(root, 'current_schema/02_other.sql'), 'CREATE TABLE public.elsewhere (id int);\n');
    expect((await check('{"table": "users", "source": "current_schema/02_other.sql:1"}'))[0]!.message).toBe('points at current_schema/02_other.sql, which does not create public.users');
  });

  it('descriptions, examples, guidance and unknown keys reach json-schema and zod', () => {
    const overlay = parseOverlay(
      JSON.stringify({ table: 'posts', description: 'Blog posts.', stage: 'draft', columns: { title: { description: 'Headline.', examples: ['Hi'], guidance: 'Keep it short.', tone: 'plain' } } }),
      'overlays/posts.json',
    );
    const annotations = overlayAnnotations([overlay]);
    const document = generateJsonSchemas(models, annotations).find((f) => f.path === 'public/posts.schema.json')!.document as any;
    expect(document.description).toBe('Blog posts.');
    expect(document['x-stage']).toBe('draft');
    expect(document.$defs.Row.properties.title).toEqual({ type: 'string', description: 'Headline.', examples: ['Hi'], 'x-guidance': 'Keep it short.', 'x-tone': 'plain' });
    const zod = generateZod(models, annotations);
    expect(zod).toContain('title: z.string().describe("Headline.\\n\\nKeep it short.").meta({"examples":["Hi"],"tone":"plain"}),');
  });
});
