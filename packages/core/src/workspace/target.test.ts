import { isAbsolute, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../config/defaults.js';
import { ConfigError } from '../config/load.js';
import type { PgwardenConfig } from '../config/types.js';
import { resolveTarget } from './target.js';

const ROOT = '/work/clinic';
const CONFIG_PATH = join(ROOT, 'pgwarden.config.json');

function config(): PgwardenConfig {
  return {
    ...defaultConfig(ROOT),
    configPath: CONFIG_PATH,
    environments: {
      local: { approvals: 0 },
      staging: { urlEnv: 'STAGING_DATABASE_URL' },
      production: { urlEnv: 'PROD_DATABASE_URL', approvals: 2, requires: ['staging'] },
    },
  };
}

function thrown(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveTarget', () => {
  it('the default environment without a URL variable is the embedded database, at an absolute directory', () => {
    const target = resolveTarget(config(), {}, {});
    expect(target).toEqual({ envName: 'local', environment: { approvals: 0 }, url: undefined, embeddedDir: join(ROOT, '.pgwarden/local') });
    expect(isAbsolute(target.embeddedDir)).toBe(true);
  });

  it('embeddedDir is resolved against the root; an absolute setting inside the workspace stays as it is', () => {
    expect(resolveTarget({ ...config(), embeddedDir: 'var/../db/pglite' }, {}, {}).embeddedDir).toBe(join(ROOT, 'db/pglite'));
    expect(resolveTarget({ ...config(), embeddedDir: join(ROOT, 'data/pglite') }, {}, {}).embeddedDir).toBe(join(ROOT, 'data/pglite'));
  });

  it('an embeddedDir outside the workspace (or the root itself) is a configuration error naming the setting', () => {
    for (const dir of ['/etc/pgwarden', '../elsewhere', 'db/../../clinic-sibling', '.']) {
      const error = thrown(() => resolveTarget({ ...config(), embeddedDir: dir }, {}, {}));
      expect(error.key).toBe('embeddedDir');
      expect(error.message).toMatch(new RegExp(`^${CONFIG_PATH}: embeddedDir "${dir.replace(/\./g, '\\.')}" is (outside the workspace|the workspace root itself)`));
    }
    // A server target never touches the embedded directory.
    const variables = { STAGING_DATABASE_URL: 'postgres://app@staging.internal/clinic' };
    expect(resolveTarget({ ...config(), embeddedDir: '/etc/pgwarden' }, { env: 'staging' }, variables).url).toBe('postgres://app@staging.internal/clinic');
  });

  it("reads the environment's URL from the variables object it is given", () => {
    const variables = { STAGING_DATABASE_URL: 'postgres://app:secret@staging.internal:5432/clinic' };
    const target = resolveTarget(config(), { env: 'staging' }, variables);
    expect(target.envName).toBe('staging');
    expect(target.url).toBe('postgres://app:secret@staging.internal:5432/clinic');
    expect(target.environment).toEqual({ urlEnv: 'STAGING_DATABASE_URL' });
  });

  it('does not read process.env when a variables object is given', () => {
    const previous = process.env.STAGING_DATABASE_URL;
    process.env.STAGING_DATABASE_URL = 'postgres://from-process-env/clinic';
    try {
      expect(() => resolveTarget(config(), { env: 'staging' }, {})).toThrow(ConfigError);
      expect(resolveTarget(config(), { env: 'staging' }).url).toBe('postgres://from-process-env/clinic');
    } finally {
      if (previous === undefined) delete process.env.STAGING_DATABASE_URL;
      else process.env.STAGING_DATABASE_URL = previous;
    }
  });

  it('--database-url wins over the variable, and over the embedded database', () => {
    const url = 'postgres://postgres@127.0.0.1:5432/override';
    expect(resolveTarget(config(), { env: 'staging', databaseUrl: url }, { STAGING_DATABASE_URL: 'postgres://other/db' }).url).toBe(url);
    // Also when the variable is unset: no error.
    expect(resolveTarget(config(), { env: 'production', databaseUrl: url }, {}).url).toBe(url);
    expect(resolveTarget(config(), { databaseUrl: url }, {})).toMatchObject({ envName: 'local', url });
  });

  it('an unset (or empty) URL variable is a ConfigError naming the variable and the environment', () => {
    const error = thrown(() => resolveTarget(config(), { env: 'production' }, {}));
    expect(error.message).toBe(
      `${CONFIG_PATH}: environment "production" reads its database URL from PROD_DATABASE_URL, which is not set: set PROD_DATABASE_URL (or pass --database-url)`,
    );
    expect(error.file).toBe(CONFIG_PATH);
    expect(error.key).toBe('environments.production.urlEnv');
    expect(thrown(() => resolveTarget(config(), { env: 'production' }, { PROD_DATABASE_URL: '' })).message).toContain('PROD_DATABASE_URL');
  });

  it('the target decides the gates: a bare --database-url equal to another environment\'s database is refused; near misses pass', () => {
    const variables = { PROD_DATABASE_URL: 'postgres://app:secret@db.internal:5432/clinic', STAGING_DATABASE_URL: 'postgres://app@localhost/clinic' };
    for (const same of ['postgres://other@db.internal/clinic', 'postgresql://app:secret@DB.internal:5432/clinic?sslmode=require']) {
      const error = thrown(() => resolveTarget(config(), { databaseUrl: same }, variables));
      expect(error.message).toBe('--database-url points at the database of environment "production" (PROD_DATABASE_URL): pass --env production so that its gates apply');
      expect(error.message).not.toContain('secret');
    }
    // localhost, 127.0.0.1 and ::1 are one host.
    expect(thrown(() => resolveTarget(config(), { databaseUrl: 'postgres://postgres@127.0.0.1:5432/clinic' }, variables)).message).toContain('environment "staging"');
    // Near misses: another database, another port, another host.
    for (const other of ['postgres://app@db.internal:5432/clinic_copy', 'postgres://app@db.internal:6543/clinic', 'postgres://app@db2.internal:5432/clinic']) {
      expect(resolveTarget(config(), { databaseUrl: other }, variables).url).toBe(other);
    }
    // With --env the user chose the gates; the default environment's own URL is no other environment.
    expect(resolveTarget(config(), { env: 'production', databaseUrl: variables.PROD_DATABASE_URL }, variables).envName).toBe('production');
    // An unset variable of the other environment compares with nothing.
    expect(resolveTarget(config(), { databaseUrl: 'postgres://app@db.internal/clinic' }, {}).envName).toBe('local');
  });

  it('an empty --database-url is an error, never the embedded database', () => {
    for (const empty of ['', ' ']) expect(thrown(() => resolveTarget(config(), { databaseUrl: empty }, {})).message).toContain('--database-url is empty (an unset variable?)');
  });

  it('an unknown environment is a ConfigError listing the configured ones', () => {
    const error = thrown(() => resolveTarget(config(), { env: 'prod' }, {}));
    expect(error.message).toBe(`${CONFIG_PATH}: unknown environment "prod" (configured: local, staging, production)`);
    expect(error.key).toBe('environments');
  });

  it('the configured defaultEnv is used when no env is given', () => {
    const target = resolveTarget({ ...config(), defaultEnv: 'staging' }, {}, { STAGING_DATABASE_URL: 'postgres://s/db' });
    expect(target.envName).toBe('staging');
    expect(target.url).toBe('postgres://s/db');
  });

  it('without a config file the error has no file prefix', () => {
    const error = thrown(() => resolveTarget(defaultConfig(ROOT), { env: 'staging' }, {}));
    expect(error.message).toBe('unknown environment "staging" (configured: local)');
    expect(error.file).toBeUndefined();
  });
});
