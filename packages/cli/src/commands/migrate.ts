import { UsageError } from '../command.js';

export async function run(_argv: string[]): Promise<number> {
  throw new UsageError('migrate: not available in this build');
}
