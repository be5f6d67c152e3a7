import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../config/defaults.js';
import { requireMigrationsFolder } from './migrations-folder.js';

const root = mkdtempSync(join(tmpdir(), 'pgw-folder-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('requireMigrationsFolder', () => {
  it('returns the absolute folder when it exists', () => {
    mkdirSync(join(root, 'migration_history'));
    expect(requireMigrationsFolder(defaultConfig(root))).toBe(join(root, 'migration_history'));
  });

  it('a missing folder is a configuration error naming the folder and the config file', () => {
    const config = { ...defaultConfig(root), migrationsDir: 'db/history', configPath: join(root, 'pgwarden.config.json') };
    expect(() => requireMigrationsFolder(config)).toThrow(
      `no migrations folder at ${join(root, 'db/history')} (migrationsDir "db/history"; config ${join(root, 'pgwarden.config.json')})`,
    );
    try {
      requireMigrationsFolder(config);
    } catch (error) {
      expect((error as Error).name).toBe('ConfigError');
    }
  });

  it('without a config file it says the defaults were used; a file in place of the folder is refused too', () => {
    writeFileSync(join(root, 'history.sql'), '');
    expect(() => requireMigrationsFolder({ ...defaultConfig(root), migrationsDir: 'history.sql' })).toThrow(`no pgwarden.config.json found from ${root} upwards, defaults used`);
  });
});
