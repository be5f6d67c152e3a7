import { UsageError } from '../command.js';

export async function run(_argv: string[]): Promise<number> {
  throw new UsageError('approve: not available in this build');
}
