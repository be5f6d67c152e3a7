import { describe, expect, it } from 'vitest';
import { describeExecutions } from './executions.js';

describe('describeExecutions', () => {
  it('names the environment unless it was not recorded', () => {
    expect(
      describeExecutions([
        { env: 'staging', date: '2025-01-02', by: 'ana', line: 5 },
        { env: 'unrecorded', date: '2025-01-03', by: 'bo', line: 6 },
      ]),
    ).toBe('on staging 2025-01-02, on 2025-01-03');
  });
});
