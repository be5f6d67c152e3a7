import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_FILE_NAME, defaultConfig } from './defaults.js';
import { applyConfig, ConfigError, findWorkspaceRoot, loadConfig, requiredApprovals } from './load.js';
import { CATALOG_LINT_IDS } from '../catalog/lints/registry.js';
import { CHECK_RULES } from '../check/rules.js';
import { DEEP_RULES } from '../impact/rules.js';
import { RULE_IDS } from '../rules/registry.js';
import { SHADOW_RULE_IDS } from '../shadow/types.js';
import { VERIFY_RULE_IDS } from '../verify/rules.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

let base: string;

beforeEach(() => {
  // realpath: on some systems tmpdir() is a symlink; the loader resolves paths, it does not follow links.
  base = realpathSync(mkdtempSync(join(tmpdir(), 'pgwarden-config-')));
});

afterEach(() => {
  rmSync(base, { recursive: true, force: true });
});

function write(relPath: string, content: string): string {
  const path = join(base, relPath);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

function writeConfig(value: unknown, relPath = CONFIG_FILE_NAME): string {
  return write(relPath, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
}

/** Loads `value` as the workspace's config file and returns the ConfigError it raises. */
function configError(value: unknown): ConfigError {
  const path = writeConfig(value);
  let caught: unknown;
  try {
    loadConfig({ cwd: base });
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a ConfigError for ${JSON.stringify(value)}`).toBeInstanceOf(ConfigError);
  const error = caught as ConfigError;
  expect(error.file).toBe(path);
  expect(error.message.startsWith(`${path}: `)).toBe(true);
  return error;
}

describe('loadConfig: where the configuration comes from', () => {
  it('without a config file: the defaults, rooted at the nearest folder holding .git', () => {
    mkdirSync(join(base, '.git'));
    mkdirSync(join(base, 'packages', 'app', 'src'), { recursive: true });
    const config = loadConfig({ cwd: join(base, 'packages', 'app', 'src') });
    expect(config).toEqual(defaultConfig(base));
    expect(config.root).toBe(base);
    expect(config.configPath).toBeUndefined();
    expect(config.migrationsDir).toBe('migration_history');
    expect(config.schemaDir).toBe('current_schema');
    expect(config.postgresVersion).toBe(15);
  });

  it('a .git file (worktree, submodule) marks the root too', () => {
    writeFileSync(join(base, '.git'), 'gitdir: /elsewhere/.git/worktrees/x\n');
    mkdirSync(join(base, 'sub'));
    expect(loadConfig({ cwd: join(base, 'sub') }).root).toBe(base);
  });

  it('without a config file or a git folder: rooted at the working directory', () => {
    const cwd = join(base, 'a', 'b');
    mkdirSync(cwd, { recursive: true });
    const config = loadConfig({ cwd });
    expect(config.root).toBe(cwd);
    expect(config).toEqual(defaultConfig(cwd));
  });

  it('finds the config file upwards from a nested directory, and the config folder is the root', () => {
    mkdirSync(join(base, '.git'));
    const path = writeConfig({ postgresVersion: 16, migrationsDir: 'db/migrations' }, `workspace/${CONFIG_FILE_NAME}`);
    const cwd = join(base, 'workspace', 'packages', 'x');
    mkdirSync(cwd, { recursive: true });
    const config = loadConfig({ cwd });
    expect(config.root).toBe(join(base, 'workspace'));
    expect(config.postgresVersion).toBe(16);
    expect(config.migrationsDir).toBe('db/migrations');
    expect(config.schemaDir).toBe('current_schema');
    expect(findWorkspaceRoot(cwd)).toEqual({ root: join(base, 'workspace'), configPath: path });
  });

  it('the nearest config file wins over one higher up', () => {
    writeConfig({ postgresVersion: 13 });
    writeConfig({ postgresVersion: 17 }, `inner/${CONFIG_FILE_NAME}`);
    expect(loadConfig({ cwd: join(base, 'inner') }).postgresVersion).toBe(17);
    expect(loadConfig({ cwd: base }).postgresVersion).toBe(13);
  });

  it('--config: an explicit path, relative to cwd; its folder is the root', () => {
    writeConfig({ postgresVersion: 14 });
    const path = writeConfig({ postgresVersion: 12 }, 'configs/ci.json');
    const config = loadConfig({ cwd: base, configPath: 'configs/ci.json' });
    expect(config.postgresVersion).toBe(12);
    expect(config.root).toBe(join(base, 'configs'));
    expect(loadConfig({ cwd: '/', configPath: path }).postgresVersion).toBe(12);
  });

  it('--config naming a missing file or a folder: ConfigError with the resolved path', () => {
    expect(() => loadConfig({ cwd: base, configPath: 'nope.json' })).toThrow(ConfigError);
    expect(() => loadConfig({ cwd: base, configPath: 'nope.json' })).toThrow(`config file not found: ${join(base, 'nope.json')}`);
    mkdirSync(join(base, 'dir.json'));
    expect(() => loadConfig({ cwd: base, configPath: 'dir.json' })).toThrow(`config file not found: ${join(base, 'dir.json')}`);
  });

  it('an empty object is the defaults, and the config records where it came from', () => {
    const path = writeConfig({});
    expect(loadConfig({ cwd: base })).toEqual({ ...defaultConfig(base), configPath: path });
    const explicit = writeConfig({}, 'other/pgwarden.json');
    expect(loadConfig({ cwd: base, configPath: 'other/pgwarden.json' }).configPath).toBe(explicit);
  });
});

describe('loadConfig: validation errors name the file and the key', () => {
  it('invalid JSON', () => {
    const error = configError('{ "postgresVersion": 15, }');
    expect(error.message).toContain('is not valid JSON');
    expect(error.key).toBeUndefined();
  });

  it('a UTF-8 byte order mark is accepted', () => {
    writeConfig('\uFEFF{ "postgresVersion": 14, "migrate": { "lockTimeout": "2s" } }');
    expect(loadConfig({ cwd: base })).toMatchObject({ postgresVersion: 14, lockTimeout: '2s' });
  });

  it('no message contains an invisible character: they are spelled out as <U+XXXX>', () => {
    const key = configError('{ "lock\u200bTimeout": "5s" }');
    expect(key.message).toContain('"lock<U+200B>Timeout" is not a known setting');
    const json = configError('\uFEFF{ "postgresVersion": 15,\u00a0\u202e }');
    expect(json.message).toContain('is not valid JSON');
    const value = configError({ migrate: { lockTimeout: '5s\u0007' } });
    expect(value.message).toContain("is '5s<U+0007>', which is not a duration");
    for (const error of [key, json, value]) expect(error.message).not.toMatch(/[\p{Cc}\p{Cf}\u00a0\u2000-\u200b\u202e\ufeff]/u);
  });

  it('a config that is not an object', () => {
    expect(configError('[]').message).toContain('must be an object');
    expect(configError('null').message).toContain('must be an object');
  });

  it('an unknown top-level key', () => {
    const error = configError({ migrationDir: 'x' });
    expect(error.key).toBe('migrationDir');
    expect(error.message).toContain('"migrationDir" is not a known setting');
  });

  it('a bad rule setting', () => {
    const error = configError({ rules: { 'idempotent-create': 'fatal' } });
    expect(error.key).toBe('rules.idempotent-create');
    expect(error.message).toContain('"rules.idempotent-create" must be one of "error", "warning", "info", "off"');
  });

  it('an unknown rule id (a typo would otherwise silently do nothing)', () => {
    const error = configError({ rules: { x: 'fatal' } });
    expect(error.key).toBe('rules.x');
    expect(error.message).toContain('"rules.x" is not a known rule id');
    expect(configError({ rules: { 'idempotant-create': 'off' } }).key).toBe('rules.idempotant-create');
  });

  it('catalog lint ids share the rules map', () => {
    const config = applyConfig(defaultConfig('/r'), { rules: { 'no-primary-key': 'off', 'unindexed-foreign-key': 'error' } }, 'c.json');
    expect(config.rules).toEqual({ 'no-primary-key': 'off', 'unindexed-foreign-key': 'error' });
    expect(configError({ rules: { 'no-primary-keys': 'off' } }).key).toBe('rules.no-primary-keys');
  });

  it('rules that is not an object', () => {
    expect(configError({ rules: ['syntax'] }).key).toBe('rules');
  });

  it.each([9, 19, 15.5, '15', null])('postgresVersion %j', (value) => {
    const error = configError({ postgresVersion: value });
    expect(error.key).toBe('postgresVersion');
    expect(error.message).toContain('"postgresVersion" must be a Postgres major version from 12 to 18');
  });

  it.each([12, 18])('postgresVersion %j is accepted', (value) => {
    writeConfig({ postgresVersion: value });
    expect(loadConfig({ cwd: base }).postgresVersion).toBe(value);
  });

  it('a bad duration', () => {
    const error = configError({ migrate: { lockTimeout: 'soon' } });
    expect(error.key).toBe('migrate.lockTimeout');
    expect(error.message).toContain(
      `"migrate.lockTimeout" is 'soon', which is not a duration: use a number with an optional unit us, ms, s, min, h or d (a bare number is milliseconds), such as 500ms, 5s or 2min, or 0 to disable the timeout`,
    );
    expect(configError({ migrate: { statementTimeout: '10 minutes' } }).key).toBe('migrate.statementTimeout');
    expect(configError({ migrate: { lockTimeout: 5 } }).key).toBe('migrate.lockTimeout');
  });

  it('a duration larger than Postgres accepts, or one that rounds to 0 ms, is refused with the reason', () => {
    const huge = configError({ migrate: { lockTimeout: '99999999999999999999h' } });
    expect(huge.key).toBe('migrate.lockTimeout');
    expect(huge.message).toContain(`"migrate.lockTimeout" is '99999999999999999999h', which is more than Postgres accepts for a timeout: at most 2147483647 ms (about 24.8 days)`);
    expect(configError({ migrate: { statementTimeout: '25d' } }).key).toBe('migrate.statementTimeout');
    const tiny = configError({ migrate: { statementTimeout: '0.5us' } });
    expect(tiny.key).toBe('migrate.statementTimeout');
    expect(tiny.message).toContain(
      `"migrate.statementTimeout" is '0.5us', which rounds to 0 ms, and 0 disables the timeout (Postgres counts it in whole milliseconds): use at least 1ms, or write 0 to disable it on purpose`,
    );
    expect(configError({ migrate: { lockTimeout: '0.4' } }).key).toBe('migrate.lockTimeout');
    writeConfig({ migrate: { lockTimeout: '2147483647', statementTimeout: '0' } });
    expect(loadConfig({ cwd: base })).toMatchObject({ lockTimeout: '2147483647', statementTimeout: '0' });
    writeConfig({ migrate: { lockTimeout: '24d', statementTimeout: '0ms' } });
    expect(loadConfig({ cwd: base })).toMatchObject({ lockTimeout: '24d', statementTimeout: '0ms' });
  });

  it('durations in Postgres units are accepted', () => {
    writeConfig({ migrate: { lockTimeout: '500ms', statementTimeout: '1.5 h', lockRetries: 0, advisoryLockTimeoutMs: 10 } });
    const config = loadConfig({ cwd: base });
    expect(config).toMatchObject({ lockTimeout: '500ms', statementTimeout: '1.5 h', lockRetries: 0, advisoryLockTimeoutMs: 10 });
  });

  it('an unknown or invalid migrate setting', () => {
    const error = configError({ migrate: { retries: 3 } });
    expect(error.key).toBe('migrate.retries');
    expect(error.message).toContain('"migrate.retries" is not a known setting');
    expect(configError({ migrate: { lockRetries: -1 } }).key).toBe('migrate.lockRetries');
    expect(configError({ migrate: { advisoryLockTimeoutMs: 1.5 } }).key).toBe('migrate.advisoryLockTimeoutMs');
  });

  it('an environment with an unknown key', () => {
    const error = configError({ environments: { local: {}, staging: { url: 'postgres://x' } } });
    expect(error.key).toBe('environments.staging.url');
    expect(error.message).toContain('"environments.staging.url" is not a known setting (urlEnv, approvals, requires, production, record, recordKeyEnv, allowRollback)');
  });

  it('an environment with a bad urlEnv or approvals', () => {
    expect(configError({ environments: { local: { urlEnv: 'postgres://x' } } }).key).toBe('environments.local.urlEnv');
    expect(configError({ environments: { local: { approvals: -1 } } }).key).toBe('environments.local.approvals');
    expect(configError({ environments: { local: 'embedded' } }).key).toBe('environments.local');
  });

  it('requires naming an environment that does not record; record on the embedded database; bad approvals objects', () => {
    const local = configError({ environments: { local: {}, staging: { urlEnv: 'S_URL', requires: ['local'] } } });
    expect(local.key).toBe('environments.staging.requires');
    expect(local.message).toContain('names "local", which does not record executions in the headers: set "record": true (or "production": true) on it, or leave it out');
    // A production environment records by default, so it may be required.
    expect(() => applyConfig(defaultConfig('/r'), { environments: { local: {}, prod: { urlEnv: 'P', production: true }, dr: { urlEnv: 'D', requires: ['prod'] } } }, 'c.json')).not.toThrow();
    const staging = configError({ environments: { local: {}, staging: { urlEnv: 'S', record: false }, production: { urlEnv: 'P', requires: ['staging'] } } });
    expect(staging.message).toContain('names "staging", which does not record');
    expect(configError({ environments: { local: { record: true } } }).message).toContain('"environments.local.record" is true on an environment without urlEnv');
    expect(configError({ environments: { local: { approvals: { human: 1, robots: 1 } } } }).key).toBe('environments.local.approvals.robots');
    expect(configError({ environments: { local: { approvals: { verify: 'gpg' } } } }).message).toContain('"environments.local.approvals.verify" must be one of "none", "git", "git-signed"');
    expect(configError({ environments: { local: { approvals: { human: -1 } } } }).key).toBe('environments.local.approvals.human');
    expect(configError({ environments: { local: { production: 'yes' } } }).message).toContain('must be true or false');
    expect(configError({ reviewers: { 'dr smith': ['x'] } }).key).toBe('reviewers.dr smith');
    expect(configError({ reviewers: { alice: 'alice@example.com' } }).key).toBe('reviewers.alice');
  });

  it('requires naming an unknown environment', () => {
    const error = configError({ environments: { local: {}, production: { urlEnv: 'PROD_URL', requires: ['staging'] } } });
    expect(error.key).toBe('environments.production.requires');
    expect(error.message).toContain('names unknown environment "staging"');
  });

  it('defaultEnv not in environments (set explicitly, or the default "local" dropped)', () => {
    const error = configError({ defaultEnv: 'dev', environments: { local: {} } });
    expect(error.key).toBe('defaultEnv');
    expect(error.message).toContain('"defaultEnv" names "dev", which is not in "environments"');
    expect(configError({ environments: { staging: { urlEnv: 'STAGING_URL' } } }).message).toContain('names "local"');
  });

  it('unknown types and preset settings', () => {
    expect(configError({ types: { out: 'x' } }).key).toBe('types.out');
    expect(configError({ types: { schemas: 'public' } }).key).toBe('types.schemas');
    expect(configError({ preset: 'firebase' }).key).toBe('preset');
    expect(configError({ exposedSchemas: ['public', ''] })).toMatchObject({ key: 'exposedSchemas[1]', message: expect.stringContaining('"exposedSchemas[1]" must be a non-empty string') });
    expect(configError({ migrationsDir: '' }).key).toBe('migrationsDir');
  });

  it('shadow settings: bad url, urlEnv, preset or an unknown key', () => {
    expect(configError({ shadow: { url: 'mysql://x' } }).key).toBe('shadow.url');
    expect(configError({ shadow: { urlEnv: 'postgres://x' } }).key).toBe('shadow.urlEnv');
    expect(configError({ shadow: { preset: 'firebase' } }).key).toBe('shadow.preset');
    const error = configError({ shadow: { server: 'x' } });
    expect(error.key).toBe('shadow.server');
    expect(error.message).toContain('"shadow.server" is not a known setting (url, urlEnv, preset)');
    expect(configError({ shadow: 'pglite' }).key).toBe('shadow');
  });

  it('hook.deep: off by default, true or false, nothing else', () => {
    expect(defaultConfig('/repo').hook).toEqual({ deep: false });
    expect(applyConfig(defaultConfig('/repo'), { hook: { deep: true } }, '/repo/pgwarden.config.json').hook).toEqual({ deep: true });
    expect(configError({ hook: { deep: 'yes' } }).message).toContain('"hook.deep" must be true or false');
    expect(configError({ hook: { shallow: true } }).key).toBe('hook.shallow');
    expect(configError({ hook: true }).key).toBe('hook');
  });

  it('applyConfig reports the file it is given', () => {
    const error = (() => {
      try {
        applyConfig(defaultConfig('/repo'), { nope: 1 }, '/repo/custom.json');
      } catch (caught) {
        return caught as ConfigError;
      }
      throw new Error('no error');
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe('/repo/custom.json: "nope" is not a known setting; see pgwarden.schema.json');
    expect(error.file).toBe('/repo/custom.json');
    expect(error.key).toBe('nope');
  });
});

describe('loadConfig: merge semantics', () => {
  it('shadow: absent means PGlite with the top-level preset; set keys are kept', () => {
    writeConfig({});
    expect(loadConfig({ cwd: base }).shadow).toEqual({});
    writeConfig({ preset: 'none', shadow: { urlEnv: 'SHADOW_DATABASE_URL', preset: 'supabase' } });
    expect(loadConfig({ cwd: base }).shadow).toEqual({ urlEnv: 'SHADOW_DATABASE_URL', preset: 'supabase' });
    writeConfig({ shadow: { url: 'postgres://postgres@127.0.0.1:5432/postgres' } });
    expect(loadConfig({ cwd: base }).shadow.url).toBe('postgres://postgres@127.0.0.1:5432/postgres');
  });

  it('types: only outDir set keeps the default schemas', () => {
    writeConfig({ types: { outDir: 'libs/types/src' } });
    expect(loadConfig({ cwd: base }).types).toEqual({ outDir: 'libs/types/src', schemas: ['public'] });
  });

  it('types: only schemas set keeps the default outDir', () => {
    writeConfig({ types: { schemas: ['public', 'billing'] } });
    expect(loadConfig({ cwd: base }).types).toEqual({ outDir: 'packages/db-types/src/generated', schemas: ['public', 'billing'] });
  });

  it('migrate: one setting leaves the others at their defaults', () => {
    writeConfig({ migrate: { lockTimeout: '2s' } });
    expect(loadConfig({ cwd: base })).toMatchObject({ lockTimeout: '2s', statementTimeout: '30min', lockRetries: 3, advisoryLockTimeoutMs: 60_000 });
  });

  it('environments replace the default set; rules and other keys keep their defaults', () => {
    writeConfig({
      defaultEnv: 'dev',
      environments: { dev: {}, staging: { urlEnv: 'STAGING_URL', record: true }, production: { urlEnv: 'PROD_URL', approvals: 2, requires: ['staging'], production: true } },
      rules: { 'no-emoji': 'off', 'access-exclusive-lock': 'warning' },
    });
    const config = loadConfig({ cwd: base });
    expect(config.environments).toEqual({
      dev: {},
      staging: { urlEnv: 'STAGING_URL', record: true },
      production: { urlEnv: 'PROD_URL', approvals: 2, requires: ['staging'], production: true },
    });
    expect(config.defaultEnv).toBe('dev');
    expect(config.rules).toEqual({ 'no-emoji': 'off', 'access-exclusive-lock': 'warning' });
    expect(config.exposedSchemas).toEqual(['public']);
    expect(config.embeddedDir).toBe('.pgwarden/local');
  });

  it('does not mutate the base config it merges over', () => {
    const before = defaultConfig('/repo');
    const snapshot = structuredClone(before);
    applyConfig(before, { types: { outDir: 'x' }, environments: { local: { approvals: 3 } }, postgresVersion: 17 }, '/repo/pgwarden.config.json');
    expect(before).toEqual(snapshot);
  });

  it('$schema is allowed', () => {
    writeConfig({ $schema: './node_modules/@pgwarden/core/pgwarden.schema.json' });
    expect(() => loadConfig({ cwd: base })).not.toThrow();
  });
});

describe('requiredApprovals', () => {
  it('an explicit setting wins, else 1 for a server and 0 for the embedded database', () => {
    expect(requiredApprovals({})).toBe(0);
    expect(requiredApprovals({ urlEnv: 'DATABASE_URL' })).toBe(1);
    expect(requiredApprovals({ urlEnv: 'DATABASE_URL', approvals: 0 })).toBe(0);
    expect(requiredApprovals({ urlEnv: 'DATABASE_URL', approvals: 3 })).toBe(3);
    expect(requiredApprovals({ approvals: 2 })).toBe(2);
    // By kind: the total of both kinds; an unset kind asks for none.
    expect(requiredApprovals({ urlEnv: 'DATABASE_URL', approvals: { human: 1, bot: 1, verify: 'git' } })).toBe(2);
    expect(requiredApprovals({ urlEnv: 'DATABASE_URL', approvals: { human: 2 } })).toBe(2);
  });
});

describe('pgwarden.schema.json, its generated validator and the loader', () => {
  const schemaPath = fileURLToPath(new URL('../../pgwarden.schema.json', import.meta.url));
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as {
    additionalProperties: boolean;
    properties: Record<string, { default?: unknown; type?: string; enum?: unknown[]; properties?: Record<string, { default?: unknown }>; additionalProperties?: unknown }>;
  };

  /** A valid value for a schema property: its default, else one of its enum, else an empty object. */
  function sample(name: string): unknown {
    const property = schema.properties[name]!;
    if (property.default !== undefined) return property.default;
    if (property.enum) return property.enum[0];
    if (name === '$schema') return 'pgwarden.schema.json';
    if (name === 'environments') return { local: {} };
    if (name === 'baseline') return '2025-10-08_18';
    if (property.type === 'object') return {};
    throw new Error(`no sample for ${name}`);
  }

  it('the committed validator is the one the schema compiles to today (npm run generate rewrites it)', async () => {
    const generator = (await import(pathToFileURL(join(REPO_ROOT, 'tools/codegen/config-validator.mjs')).href)) as {
      configValidatorSource(schema: unknown): string;
      CONFIG_VALIDATOR_DECLARATION: string;
    };
    const committed = readFileSync(join(REPO_ROOT, 'packages/core/generated/config-validator.js'), 'utf8');
    expect(committed === generator.configValidatorSource(schema), 'generated/config-validator.js is stale: run npm run generate').toBe(true);
    expect(readFileSync(join(REPO_ROOT, 'packages/core/generated/config-validator.d.ts'), 'utf8')).toBe(generator.CONFIG_VALIDATOR_DECLARATION);
    // It stands alone: ajv is a devDependency, nothing is imported at run time.
    expect(committed).not.toMatch(/\brequire\(|^\s*import\s/m);
  });

  it('the rule ids the schema accepts in "rules" are exactly the ids pgwarden reports', () => {
    const rules = schema.properties.rules as unknown as { propertyNames: { enum: string[] } };
    const reported = [...RULE_IDS, ...CATALOG_LINT_IDS, ...VERIFY_RULE_IDS, ...Object.keys(CHECK_RULES), ...Object.keys(DEEP_RULES), ...SHADOW_RULE_IDS];
    expect([...rules.propertyNames.enum].sort()).toEqual([...new Set(reported)].sort());
  });

  it('every top-level setting of the schema reaches the loaded configuration', () => {
    // A value other than the default for each key: a key the loader dropped would show the default.
    const settings: Record<string, unknown> = {
      $schema: './node_modules/@pgwarden/core/pgwarden.schema.json',
      migrationsDir: 'db/migrations',
      schemaDir: 'db/schema',
      postgresVersion: 17,
      exposedSchemas: ['api'],
      rules: { 'no-emoji': 'off' },
      defaultEnv: 'dev',
      environments: { dev: { approvals: 2 } },
      reviewers: { alice: ['alice@example.com'] },
      embeddedDir: '.pgwarden/dev',
      migrate: { lockTimeout: '2s', statementTimeout: '1h', lockRetries: 5, advisoryLockTimeoutMs: 10 },
      baseline: '2025-10-08_18',
      preset: 'none',
      shadow: { urlEnv: 'SHADOW_URL', preset: 'supabase' },
      hook: { deep: true },
      types: { outputs: [{ path: 'db.ts', format: 'zod' }], overlays: 'overlays', outDir: 'gen', schemas: ['api'] },
    };
    expect(Object.keys(settings).sort()).toEqual(Object.keys(schema.properties).sort());
    const config = applyConfig(defaultConfig('/r'), settings, 'c.json');
    const { $schema: _schema, migrate, types, ...direct } = settings;
    expect(config).toMatchObject({ ...direct, ...(migrate as object), types: { ...(types as object), outputs: [{ path: 'db.ts', format: 'zod', schemas: ['public'] }] } });
  });

  it('every schema key (and nested key) is accepted with a valid value; anything else is refused', () => {
    for (const name of Object.keys(schema.properties)) {
      expect(() => applyConfig(defaultConfig('/r'), { [name]: sample(name) }, 'c.json'), name).not.toThrow();
    }
    for (const parent of ['migrate', 'types'] as const) {
      const nested = schema.properties[parent]!.properties!;
      for (const [name, property] of Object.entries(nested)) {
        const value = property.default ?? (property as { examples?: unknown[] }).examples?.[0];
        expect(() => applyConfig(defaultConfig('/r'), { [parent]: { [name]: value } }, 'c.json'), `${parent}.${name}`).not.toThrow();
      }
      expect(() => applyConfig(defaultConfig('/r'), { [parent]: { bogus: 1 } }, 'c.json')).toThrow(`"${parent}.bogus"`);
    }
    const environmentKeys = Object.keys(
      (schema.properties.environments!.additionalProperties as { properties: Record<string, unknown> }).properties,
    ).sort();
    expect(environmentKeys).toEqual(['allowRollback', 'approvals', 'production', 'record', 'recordKeyEnv', 'requires', 'urlEnv']);
    expect(() =>
      applyConfig(
        defaultConfig('/r'),
        {
          environments: {
            local: { urlEnv: 'X_URL', approvals: 1, requires: [], production: false, record: true, recordKeyEnv: 'X_KEY', allowRollback: true },
            production: { urlEnv: 'P_URL', approvals: { human: 1, bot: 1, verify: 'git-signed' }, requires: ['local'] },
          },
          reviewers: { alice: ['alice@example.com'] },
        },
        'c.json',
      ),
    ).not.toThrow();
  });

  it('the defaults in the schema are the defaults of the loader', () => {
    const defaults = defaultConfig('/r');
    const migrate = schema.properties.migrate!.properties!;
    const types = schema.properties.types!.properties!;
    expect({
      migrationsDir: schema.properties.migrationsDir!.default,
      schemaDir: schema.properties.schemaDir!.default,
      postgresVersion: schema.properties.postgresVersion!.default,
      exposedSchemas: schema.properties.exposedSchemas!.default,
      defaultEnv: schema.properties.defaultEnv!.default,
      embeddedDir: schema.properties.embeddedDir!.default,
      preset: schema.properties.preset!.default,
      lockTimeout: migrate.lockTimeout!.default,
      statementTimeout: migrate.statementTimeout!.default,
      lockRetries: migrate.lockRetries!.default,
      advisoryLockTimeoutMs: migrate.advisoryLockTimeoutMs!.default,
      types: { outDir: types.outDir!.default, schemas: types.schemas!.default },
    }).toEqual({
      migrationsDir: defaults.migrationsDir,
      schemaDir: defaults.schemaDir,
      postgresVersion: defaults.postgresVersion,
      exposedSchemas: defaults.exposedSchemas,
      defaultEnv: defaults.defaultEnv,
      embeddedDir: defaults.embeddedDir,
      preset: defaults.preset,
      lockTimeout: defaults.lockTimeout,
      statementTimeout: defaults.statementTimeout,
      lockRetries: defaults.lockRetries,
      advisoryLockTimeoutMs: defaults.advisoryLockTimeoutMs,
      types: defaults.types,
    });
  });
});

describe('baseline', () => {
  it('accepts a migration version and refuses anything else, naming the key', () => {
    expect(applyConfig(defaultConfig('/r'), { baseline: '2025-10-08_18' }, 'c.json').baseline).toBe('2025-10-08_18');
    expect(() => applyConfig(defaultConfig('/r'), { baseline: '2025-10-08' }, 'c.json')).toThrow('"baseline" must be a migration version YYYY-MM-DD_NN');
    expect(() => applyConfig(defaultConfig('/r'), { baseline: 18 }, 'c.json')).toThrow('"baseline"');
  });
});
