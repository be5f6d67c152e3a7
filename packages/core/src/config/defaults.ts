import type { PgwardenConfig } from './types.js';

export const CONFIG_FILE_NAME = 'pgwarden.config.json';

/** Everything but `root`: what applies when a key (or the whole file) is absent. */
export function defaultConfig(root: string): PgwardenConfig {
  return {
    root,
    migrationsDir: 'migration_history',
    schemaDir: 'current_schema',
    postgresVersion: 15,
    exposedSchemas: ['public'],
    rules: {},
    defaultEnv: 'local',
    environments: {
      local: { approvals: 0 },
    },
    reviewers: {},
    embeddedDir: '.pgwarden/local',
    lockTimeout: '5s',
    statementTimeout: '30min',
    lockRetries: 3,
    advisoryLockTimeoutMs: 60_000,
    preset: 'supabase',
    shadow: {},
    hook: { deep: false },
    types: { outDir: 'packages/db-types/src/generated', schemas: ['public'] },
  };
}
