import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseMigration, parseMigrationLazily } from './parse-migration.js';

const DEMO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../migration_history');
const demo = readdirSync(DEMO)
  .filter((name) => name.endsWith('.sql'))
  .map((name) => ({ path: join(DEMO, name), relPath: `migration_history/${name}`, text: readFileSync(join(DEMO, name), 'utf8') }));

describe('parseMigrationLazily', () => {
  it('gives what parseMigration gives, for every demo migration, whichever field is read first', () => {
    expect(demo.length).toBeGreaterThan(10);
    for (const [index, source] of demo.entries()) {
      const eager = parseMigration(source);
      const lazy = parseMigrationLazily(source);
      const first = (['header', 'checksum', 'body', 'directives'] as const)[index % 4];
      expect(lazy[first]).toEqual(eager[first]);
      expect(lazy).toEqual(eager);
      expect(Object.keys(lazy).sort()).toEqual(Object.keys(eager).sort());
    }
  });

  it('parses on first access only: name and text are there before, plain values after', () => {
    const lazy = parseMigrationLazily(demo[0]!);
    expect(lazy.name).toEqual(parseMigration(demo[0]!).name);
    expect(Object.getOwnPropertyDescriptor(lazy, 'header')?.get).toBeTypeOf('function');
    void lazy.checksum;
    expect(Object.getOwnPropertyDescriptor(lazy, 'header')?.get).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(lazy, 'header')?.value).toEqual(parseMigration(demo[0]!).header);
  });
});
