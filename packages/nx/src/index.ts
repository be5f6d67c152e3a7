import { dirname } from 'node:path';
import type { CreateNodesV2, TargetConfiguration } from '@nx/devkit';
import { createNodesFromFiles } from '@nx/devkit';

export interface PgwardenPluginOptions {
  /** Name of the inferred project (default: db). */
  projectName?: string;
}

/**
 * Infers a `db` project wherever a pgwarden.config.json sits, with targets that call the
 * pgwarden binary: the CLI and core stay the single implementation; Nx only caches and orders.
 */
export const createNodesV2: CreateNodesV2<PgwardenPluginOptions> = [
  '**/pgwarden.config.json',
  (configFiles, options, context) =>
    createNodesFromFiles(
      (configFile, pluginOptions) => {
        const root = dirname(configFile);
        const name = pluginOptions?.projectName ?? 'db';
        const pgwarden = (args: string): TargetConfiguration => ({
          executor: 'nx:run-commands',
          options: { command: `pgwarden ${args}`, cwd: root },
        });
        return {
          projects: {
            [root]: {
              name,
              root,
              targets: {
                'lint-migrations': {
                  ...pgwarden('lint'),
                  cache: true,
                  inputs: ['{projectRoot}/pgwarden.config.json', '{projectRoot}/migration_history/**/*.sql', '{projectRoot}/current_schema/**/*.sql'],
                },
                migrate: pgwarden('migrate'),
                status: pgwarden('status'),
              },
            },
          },
        };
      },
      configFiles,
      options,
      context,
    ),
];
