import { describe, expect, it } from 'vitest';
import * as migration from './index.js';

describe('migration/index', () => {
  it('exports the API other packages code against', () => {
    for (const name of [
      'parseFileName',
      'formatFileName',
      'parseMigration',
      'computeChecksum',
      'readSourceFile',
      'discoverMigrations',
      'nextSequence',
      'renderNewMigration',
      'addApproval',
      'addExecutionRecord',
      'tickCheckboxes',
    ]) {
      expect(typeof (migration as Record<string, unknown>)[name], name).toBe('function');
    }
  });
});
