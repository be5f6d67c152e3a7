import { join, posix, relative } from 'node:path';
import { glob, type Tree } from '@nx/devkit';
import type { SyncGeneratorResult } from 'nx/src/utils/sync-generators';
import { loadConfig } from '@pgwarden/core/config/index';
import { runTypes, type TypesFileSystem } from '@pgwarden/core/typegen/index';

/** The generated files live in the Tree, so `nx sync` writes them and `nx sync:check` only compares. */
function treeFileSystem(tree: Tree): TypesFileSystem {
  const inTree = (file: string) => relative(tree.root, file).split('\\').join('/');
  return {
    read: (file) => tree.read(inTree(file), 'utf-8') ?? undefined,
    write: (file, text) => tree.write(inTree(file), text),
    remove: (file) => tree.delete(inTree(file)),
  };
}

/**
 * Sync generator: regenerates the types of every project with a pgwarden.config.json. Registered on
 * the inferred `types` target (and by `init`), so `nx sync:check` in CI fails while they are stale.
 */
export default async function typesSyncGenerator(tree: Tree): Promise<SyncGeneratorResult> {
  const stale: string[] = [];
  for (const configFile of glob(tree, ['**/pgwarden.config.json']).filter((file) => !file.includes('__fixtures__'))) {
    const config = loadConfig({ cwd: tree.root, configPath: join(tree.root, configFile) });
    const result = await runTypes(config, { fs: treeFileSystem(tree) });
    // Paths are relative to the config's folder; the message names them from the workspace root.
    stale.push(...result.files.filter((file) => file.status === 'written' || file.status === 'removed').map((file) => posix.join(posix.dirname(configFile), file.path)));
  }
  // No formatFiles: the generated text is what pgwarden fingerprints, byte for byte.
  return stale.length > 0 ? { outOfSyncMessage: `The generated database types are stale (${stale.join(', ')}): run nx sync, or pgwarden types.` } : {};
}
