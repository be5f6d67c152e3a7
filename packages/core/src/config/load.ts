import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isCatalogLintId } from '../catalog/lints/registry.js';
import { parseTimeoutDuration } from '../migration/duration.js';
import { showInvisible } from './show-invisible.js';
import { isRuleId } from '../rules/registry.js';
import { isVerifyRuleId } from '../verify/rules.js';
import { CHECK_RULES } from '../check/rules.js';
import { DEEP_RULES } from '../impact/rules.js';
import { SHADOW_RULE_IDS } from '../shadow/types.js';
import { CONFIG_FILE_NAME, defaultConfig } from './defaults.js';
import { parseTypesConfig } from './types-config.js';
import type { ApprovalRequirement, ApprovalVerification, EnvironmentConfig, PgwardenConfig, RuleSetting } from './types.js';
import { BASELINE_VERSION, recordsExecutions } from '../migration/execution-state.js';

export { recordsExecutions };

/** A configuration problem: the CLI prints it and exits 2. Invisible characters in it are spelled out. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly key?: string,
  ) {
    super(showInvisible(file ? `${file}: ${message}` : message));
    this.name = 'ConfigError';
  }
}

const RULE_SETTINGS: readonly RuleSetting[] = ['error', 'warning', 'info', 'off'];

/** Walks up from `start` to the nearest folder holding the config file, else the git root, else `start`. */
export function findWorkspaceRoot(start: string): { root: string; configPath?: string } {
  let gitRoot: string | undefined;
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return { root: dir, configPath: candidate };
    if (!gitRoot && existsSync(join(dir, '.git'))) gitRoot = dir;
    if (dirname(dir) === dir) break;
  }
  return { root: gitRoot ?? resolve(start) };
}

export interface LoadConfigOptions {
  cwd?: string;
  /** Explicit --config path; it must exist. */
  configPath?: string;
}

export function loadConfig(options: LoadConfigOptions = {}): PgwardenConfig {
  const cwd = options.cwd ?? process.cwd();
  if (options.configPath) {
    const configPath = resolve(cwd, options.configPath);
    if (!existsSync(configPath) || !statSync(configPath).isFile()) {
      throw new ConfigError(`config file not found: ${configPath}`);
    }
    return readConfigFile(dirname(configPath), configPath);
  }
  const { root, configPath } = findWorkspaceRoot(cwd);
  return configPath ? readConfigFile(root, configPath) : defaultConfig(root);
}

function readConfigFile(root: string, configPath: string): PgwardenConfig {
  let raw: unknown;
  try {
    // A byte order mark (Windows editors write one) is not part of the JSON.
    raw = JSON.parse(readFileSync(configPath, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConfigError(`is not valid JSON (${(error as Error).message})`, configPath);
  }
  return { ...applyConfig(defaultConfig(root), raw, configPath), configPath };
}

/** Validates `raw` key by key (mirrors pgwarden.schema.json) and merges it over the defaults. */
export function applyConfig(base: PgwardenConfig, raw: unknown, file: string): PgwardenConfig {
  const fail = (key: string, message: string): never => {
    throw new ConfigError(`"${key}" ${message}`, file, key);
  };
  const config: PgwardenConfig = { ...base, types: { ...base.types }, shadow: { ...base.shadow }, hook: { ...base.hook }, environments: { ...base.environments } };
  const top = asObject(raw, '(root)', fail);
  for (const [key, value] of Object.entries(top)) {
    switch (key) {
      case '$schema':
        asString(value, key, fail);
        break;
      case 'migrationsDir':
      case 'schemaDir':
      case 'embeddedDir':
      case 'defaultEnv':
        config[key] = asString(value, key, fail);
        break;
      case 'postgresVersion': {
        const version = value;
        if (typeof version !== 'number' || !Number.isInteger(version) || version < 12 || version > 18) {
          fail(key, 'must be a Postgres major version from 12 to 18');
        }
        config.postgresVersion = version as number;
        break;
      }
      case 'exposedSchemas':
        config.exposedSchemas = asStringArray(value, key, fail);
        break;
      case 'rules': {
        const rules = asObject(value, key, fail);
        for (const [id, setting] of Object.entries(rules)) {
          if (!isRuleId(id) && !isCatalogLintId(id) && !isVerifyRuleId(id) && !(id in CHECK_RULES) && !(id in DEEP_RULES) && !(SHADOW_RULE_IDS as readonly string[]).includes(id)) fail(`rules.${id}`, 'is not a known rule id (see docs/rules/README.md)');
          if (!RULE_SETTINGS.includes(setting as RuleSetting)) {
            fail(`rules.${id}`, `must be one of ${RULE_SETTINGS.join(', ')}`);
          }
        }
        config.rules = rules as Record<string, RuleSetting>;
        break;
      }
      case 'environments': {
        const environments = asObject(value, key, fail);
        config.environments = {};
        for (const [name, env] of Object.entries(environments)) {
          config.environments[name] = parseEnvironment(env, `environments.${name}`, fail);
        }
        break;
      }
      case 'reviewers': {
        const reviewers = asObject(value, key, fail);
        config.reviewers = {};
        for (const [name, identities] of Object.entries(reviewers)) {
          if (/\s/.test(name)) fail(`reviewers.${name}`, 'must name a reviewer as pgwarden approve --by writes it: one word (bot:NAME for a review bot)');
          config.reviewers[name] = asStringArray(identities, `reviewers.${name}`, fail);
        }
        break;
      }
      case 'migrate': {
        const migrate = asObject(value, key, fail);
        for (const [sub, setting] of Object.entries(migrate)) {
          const path = `migrate.${sub}`;
          if (sub === 'lockTimeout' || sub === 'statementTimeout') {
            const duration = asString(setting, path, fail);
            const checked = parseTimeoutDuration(duration);
            if (!checked.ok) fail(path, `is '${duration}', which ${checked.reason}`);
            config[sub] = duration;
          } else if (sub === 'lockRetries' || sub === 'advisoryLockTimeoutMs') {
            if (typeof setting !== 'number' || !Number.isInteger(setting) || setting < 0) {
              fail(path, 'must be a non-negative integer');
            }
            config[sub] = setting as number;
          } else {
            fail(path, 'is not a known setting (lockTimeout, statementTimeout, lockRetries, advisoryLockTimeoutMs)');
          }
        }
        break;
      }
      case 'baseline': {
        const version = asString(value, key, fail);
        if (!BASELINE_VERSION.test(version)) fail(key, 'must be a migration version YYYY-MM-DD_NN (the last executed migration), e.g. "2025-10-08_18"');
        config.baseline = version;
        break;
      }
      case 'preset':
        if (value !== 'supabase' && value !== 'none') fail(key, 'must be "supabase" or "none"');
        config.preset = value as PgwardenConfig['preset'];
        break;
      case 'shadow': {
        const shadow = asObject(value, key, fail);
        for (const [sub, setting] of Object.entries(shadow)) {
          const path = `shadow.${sub}`;
          if (sub === 'url') {
            const url = asString(setting, path, fail);
            if (!/^postgres(ql)?:\/\//i.test(url)) fail(path, 'must be a postgres:// or postgresql:// URL');
            config.shadow.url = url;
          } else if (sub === 'urlEnv') {
            const name = asString(setting, path, fail);
            if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) fail(path, 'must be an environment variable name');
            config.shadow.urlEnv = name;
          } else if (sub === 'preset') {
            if (setting !== 'supabase' && setting !== 'none') fail(path, 'must be "supabase" or "none"');
            config.shadow.preset = setting as 'supabase' | 'none';
          } else {
            fail(path, 'is not a known setting (url, urlEnv, preset)');
          }
        }
        break;
      }
      case 'hook': {
        const hook = asObject(value, key, fail);
        for (const [sub, setting] of Object.entries(hook)) {
          if (sub !== 'deep') fail(`hook.${sub}`, 'is not a known setting (deep)');
          if (typeof setting !== 'boolean') fail('hook.deep', 'must be true or false');
          config.hook.deep = setting as boolean;
        }
        break;
      }
      case 'types': {
        config.types = parseTypesConfig(value, config.types, fail);
        break;
      }
      default:
        fail(key, 'is not a known setting; see pgwarden.schema.json');
    }
  }
  if (!config.environments[config.defaultEnv]) {
    fail('defaultEnv', `names "${config.defaultEnv}", which is not in "environments"`);
  }
  for (const [name, env] of Object.entries(config.environments)) {
    for (const required of env.requires ?? []) {
      const other = config.environments[required];
      if (!other) fail(`environments.${name}.requires`, `names unknown environment "${required}"`);
      // Only a recording environment leaves the execution record the promotion check reads.
      if (!recordsExecutions(other!)) {
        fail(`environments.${name}.requires`, `names "${required}", which does not record executions in the headers: set "record": true (or "production": true) on it, or leave it out`);
      }
    }
    if (env.record === true && !env.urlEnv) {
      fail(`environments.${name}.record`, 'is true on an environment without urlEnv: the embedded database never writes execution records into the headers');
    }
  }
  return config;
}

type Fail = (key: string, message: string) => never;

function parseEnvironment(raw: unknown, path: string, fail: Fail): EnvironmentConfig {
  const env: EnvironmentConfig = {};
  for (const [key, value] of Object.entries(asObject(raw, path, fail))) {
    if (key === 'urlEnv') {
      const name = asString(value, `${path}.urlEnv`, fail);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) fail(`${path}.urlEnv`, 'must be an environment variable name');
      env.urlEnv = name;
    } else if (key === 'approvals') {
      env.approvals = parseApprovals(value, `${path}.approvals`, fail);
    } else if (key === 'requires') {
      env.requires = asStringArray(value, `${path}.requires`, fail);
    } else if (key === 'production' || key === 'record' || key === 'allowRollback') {
      if (typeof value !== 'boolean') fail(`${path}.${key}`, 'must be true or false');
      env[key] = value as boolean;
    } else if (key === 'recordKeyEnv') {
      const name = asString(value, `${path}.recordKeyEnv`, fail);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) fail(`${path}.recordKeyEnv`, 'must be an environment variable name');
      env.recordKeyEnv = name;
    } else {
      fail(`${path}.${key}`, 'is not a known setting (urlEnv, approvals, requires, production, record, recordKeyEnv, allowRollback)');
    }
  }
  return env;
}

const VERIFICATIONS: readonly ApprovalVerification[] = ['none', 'git', 'git-signed'];

function parseApprovals(value: unknown, path: string, fail: Fail): number | Partial<ApprovalRequirement> {
  const count = (n: unknown, key: string): number => {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) fail(key, 'must be a non-negative integer');
    return n as number;
  };
  if (typeof value === 'number') return count(value, path);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'must be a non-negative integer or an object { "human": N, "bot": N, "verify": "git" }');
  const requirement: Partial<ApprovalRequirement> = {};
  for (const [key, setting] of Object.entries(asObject(value, path, fail))) {
    if (key === 'human' || key === 'bot') requirement[key] = count(setting, `${path}.${key}`);
    else if (key === 'verify') {
      if (!VERIFICATIONS.includes(setting as ApprovalVerification)) fail(`${path}.verify`, `must be one of ${VERIFICATIONS.join(', ')}`);
      requirement.verify = setting as ApprovalVerification;
    } else fail(`${path}.${key}`, 'is not a known setting (human, bot, verify)');
  }
  return requirement;
}

function asObject(value: unknown, key: string, fail: Fail): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(key, 'must be an object');
  return value as Record<string, unknown>;
}

function asString(value: unknown, key: string, fail: Fail): string {
  if (typeof value !== 'string' || value.length === 0) fail(key, 'must be a non-empty string');
  return value as string;
}

function asStringArray(value: unknown, key: string, fail: Fail): string[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item.length === 0)) {
    fail(key, 'must be an array of non-empty strings');
  }
  return value as string[];
}

/** Approvals an environment requires in all (any kind): an explicit setting, else 1 for a server and 0 for the embedded database. */
export function requiredApprovals(env: EnvironmentConfig): number {
  const requirement = approvalRequirement(env, env.urlEnv ? 'pg' : 'pglite');
  return requirement.any + requirement.human + requirement.bot;
}

/**
 * An environment's approval requirement, normalised: a plain number N is N approvals of any kind
 * (`any`), an object asks for `human` and `bot` approvals separately; unset, 1 on a server and 0
 * on the embedded database.
 */
export function approvalRequirement(env: EnvironmentConfig | undefined, kind: 'pg' | 'pglite'): ApprovalRequirement & { any: number } {
  const setting = env?.approvals;
  if (setting === undefined) return { any: kind === 'pglite' ? 0 : 1, human: 0, bot: 0, verify: 'none' };
  if (typeof setting === 'number') return { any: setting, human: 0, bot: 0, verify: 'none' };
  return { any: 0, human: setting.human ?? 0, bot: setting.bot ?? 0, verify: setting.verify ?? 'none' };
}

/** Whether `migrate` writes execution records into the headers here: `record`, else only for `production`. */

/** Whether `pgwarden rollback` may run here: `allowRollback`, else only `local` and the embedded database. */
export function allowsRollback(envName: string, env: EnvironmentConfig): boolean {
  return env.allowRollback ?? (envName === 'local' || !env.urlEnv);
}
