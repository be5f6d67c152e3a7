import { describe, expect, it } from 'vitest';
import type { RuleContext, Severity } from '../types.js';
import { cappedSeverity, severityFor } from './severity.js';

const ID = 'some-rule';
const contextWith = (severity?: Severity | 'off') => ({ config: { rules: severity ? { [ID]: severity } : {} } }) as unknown as RuleContext;

describe('severity', () => {
  it('severityFor: the configured severity when set, else the wanted one', () => {
    expect(severityFor(contextWith(), ID, 'warning')).toBe('warning');
    expect(severityFor(contextWith('off'), ID, 'warning')).toBe('warning');
    expect(severityFor(contextWith('error'), ID, 'warning')).toBe('error');
    expect(severityFor(contextWith('info'), ID, 'warning')).toBe('info');
  });

  it('cappedSeverity: the configured severity only when it is lower', () => {
    expect(cappedSeverity(contextWith(), ID, 'warning')).toBe('warning');
    expect(cappedSeverity(contextWith('off'), ID, 'warning')).toBe('warning');
    expect(cappedSeverity(contextWith('error'), ID, 'warning')).toBe('warning');
    expect(cappedSeverity(contextWith('info'), ID, 'warning')).toBe('info');
  });
});
