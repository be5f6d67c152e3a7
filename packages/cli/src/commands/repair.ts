import { UsageError } from '../command.js';

export async function run(_argv: string[]): Promise<number> {
  throw new UsageError('repair: not available in this build');
}
