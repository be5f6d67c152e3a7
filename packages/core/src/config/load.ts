import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseTimeoutDuration } from '../migration/duration.js';
import { showInvisible } from './show-invisible.js';
import { CONFIG_FILE_NAME, defaultConfig } from './defaults.js';
// Outside src/ (plain JavaScript, not re-printed by tsc): the same relative path from src/ and dist/.
import { schema, validate as validateConfigSchema, type SchemaError } from '../../generated/config-validator.js';
import { mergeTypesConfig } from './types-config.js';
import type { ApprovalRequirement, EnvironmentConfig, PgwardenConfig } from './types.js';
import { recordsExecutions } from '../migration/execution-state.js';

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

/**
 * Validates `raw` against pgwarden.schema.json (its precompiled validator), then what a JSON Schema
 * cannot say (durations Postgres accepts, environments that exist and record, output paths), and
 * merges it over `base`. The first problem is a ConfigError naming the file and the key.
 */
export function applyConfig(base: PgwardenConfig, raw: unknown, file: string): PgwardenConfig {
  const fail = (key: string, message: string): never => {
    throw new ConfigError(`"${key}" ${message}`, file, key);
  };
  if (!validateConfigSchema(raw)) {
    const problem = schemaProblem(validateConfigSchema.errors ?? [], raw);
    return fail(problem.key, durationProblem(raw as ConfigFile, problem.key) ?? problem.message);
  }
  const settings = raw as ConfigFile;
  const config: PgwardenConfig = {
    ...base,
    ...pick(settings, ['migrationsDir', 'schemaDir', 'postgresVersion', 'exposedSchemas', 'rules', 'defaultEnv', 'environments', 'reviewers', 'embeddedDir', 'baseline', 'preset']),
    ...settings.migrate,
    shadow: { ...base.shadow, ...settings.shadow },
    hook: { ...base.hook, ...settings.hook },
    types: mergeTypesConfig(base.types, settings.types, fail),
  };
  for (const key of DURATION_KEYS) {
    const problem = durationProblem(settings, `migrate.${key}`);
    if (problem) fail(`migrate.${key}`, problem);
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

/** pgwarden.config.json as the schema admits it. */
type ConfigFile = Partial<Omit<PgwardenConfig, 'root' | 'configPath' | 'lockTimeout' | 'statementTimeout' | 'lockRetries' | 'advisoryLockTimeoutMs' | 'types'>> & {
  migrate?: Partial<Pick<PgwardenConfig, 'lockTimeout' | 'statementTimeout' | 'lockRetries' | 'advisoryLockTimeoutMs'>>;
  types?: Partial<PgwardenConfig['types']>;
};

/** The settings a timeout duration takes, checked against what Postgres accepts beyond the schema's pattern. */
const DURATION_KEYS = ['lockTimeout', 'statementTimeout'] as const;

/** Why a duration setting is refused (not a duration, beyond what Postgres takes, rounds to 0 ms), if it is. */
function durationProblem(settings: ConfigFile, key: string): string | undefined {
  const name = DURATION_KEYS.find((candidate) => key === `migrate.${candidate}`);
  const duration = name ? settings.migrate?.[name] : undefined;
  if (typeof duration !== 'string') return undefined;
  const checked = parseTimeoutDuration(duration);
  return checked.ok ? undefined : `is '${duration}', which ${checked.reason}`;
}

function pick<T extends object, K extends keyof T>(object: T, keys: readonly K[]): Pick<T, K> {
  const picked = {} as Pick<T, K>;
  for (const key of keys) if (object[key] !== undefined) picked[key] = object[key];
  return picked;
}

/**
 * The key and message of the schema's first complaint. ajv reports a failed `oneOf` or
 * `propertyNames` after the errors inside it; of a `oneOf`, the branch of the value's own type
 * explains the problem best (an approvals object with an unknown key, not "must be an integer").
 */
export function schemaProblem(errors: readonly SchemaError[], data: unknown): { key: string; message: string } {
  let error = errors[errors.length - 1];
  if (!error) return { key: '(root)', message: 'does not match pgwarden.schema.json' };
  if (error.keyword === 'oneOf') {
    const branches = schemaAt(error.schemaPath) as { type?: string }[];
    const value = valueAt(data, error.instancePath);
    const branch = branches.findIndex((candidate) => candidate.type === jsonType(value));
    const inner = branch === -1 ? undefined : errors.find((candidate) => candidate.schemaPath.startsWith(`${error!.schemaPath}/${branch}/`));
    if (!inner) return { key: keyPath(data, error.instancePath), message: describe(schemaAt(parentPath(error.schemaPath))) };
    error = inner;
  }
  const at = keyPath(data, error.instancePath);
  const join = (name: unknown) => (at === '(root)' ? String(name) : `${at}.${String(name)}`);
  switch (error.keyword) {
    case 'propertyNames':
      return { key: join(error.params.propertyName), message: describe(schemaAt(error.schemaPath)) };
    case 'additionalProperties': {
      const known = Object.keys((schemaAt(parentPath(error.schemaPath)) as { properties?: object }).properties ?? {});
      const message = error.instancePath === '' ? 'is not a known setting; see pgwarden.schema.json' : `is not a known setting (${known.join(', ')})`;
      return { key: join(error.params.additionalProperty), message };
    }
    case 'required':
      return { key: join(error.params.missingProperty), message: 'is required' };
    default:
      return { key: at, message: describe(schemaAt(parentPath(error.schemaPath))) };
  }
}

type SchemaNode = {
  type?: string;
  enum?: unknown[];
  minLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  items?: SchemaNode;
  errorMessage?: string;
};

/** What a value must be, from the schema that refused it: its errorMessage, else said from its type. */
function describe(node: SchemaNode): string {
  if (node.errorMessage) return node.errorMessage;
  if (node.enum) return `must be one of ${node.enum.map((value) => JSON.stringify(value)).join(', ')}`;
  switch (node.type) {
    case 'object':
      return 'must be an object';
    case 'boolean':
      return 'must be true or false';
    case 'string':
      return node.minLength ? 'must be a non-empty string' : 'must be a string';
    case 'integer':
      if (node.minimum !== undefined && node.maximum !== undefined) return `must be an integer from ${node.minimum} to ${node.maximum}`;
      return node.minimum === 0 ? 'must be a non-negative integer' : 'must be an integer';
    case 'array': {
      const items = node.items?.type === 'string' ? (node.items.minLength ? 'non-empty strings' : 'strings') : node.items?.type === 'object' ? 'objects' : 'values';
      return `must be ${node.minItems ? 'a non-empty array' : 'an array'} of ${items}`;
    }
    default:
      return 'does not match pgwarden.schema.json';
  }
}

/** The schema node a JSON pointer such as `#/properties/migrate/properties/lockTimeout` names. */
function schemaAt(pointer: string): SchemaNode {
  let node: unknown = schema;
  for (const segment of pointerSegments(pointer.replace(/^#/, ''))) node = (node as Record<string, unknown>)[segment];
  return (node ?? {}) as SchemaNode;
}

/** The pointer without its last segment: the schema holding a keyword. */
function parentPath(pointer: string): string {
  return pointer.slice(0, pointer.lastIndexOf('/'));
}

function valueAt(data: unknown, pointer: string): unknown {
  let value = data;
  for (const segment of pointerSegments(pointer)) value = (value as Record<string, unknown>)[segment];
  return value;
}

/** `/environments/local/approvals` as `environments.local.approvals`, array items as `outputs[0]`; the whole file as `(root)`. */
function keyPath(data: unknown, pointer: string): string {
  let path = '';
  let value = data;
  for (const segment of pointerSegments(pointer)) {
    path += Array.isArray(value) ? `[${segment}]` : path ? `.${segment}` : segment;
    value = (value as Record<string, unknown>)[segment];
  }
  return path || '(root)';
}

function pointerSegments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
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
