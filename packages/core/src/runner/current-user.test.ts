import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { currentUser } from './current-user.js';

const noPasswdEntry = (): string => {
  throw new Error('ENOENT: no passwd entry for uid 1234');
};

describe('currentUser: who execution records and applied_by name', () => {
  it('PGWARDEN_USER wins over the OS user (CI names its bot)', () => {
    expect(currentUser({ PGWARDEN_USER: 'ci-bot', USER: 'runner' }, () => 'root')).toBe('ci-bot');
  });

  it('else the OS user', () => {
    expect(currentUser({ USER: 'someone-else' }, () => 'alice')).toBe('alice');
    expect(currentUser({})).toBe(userInfo().username);
  });

  it('without a passwd entry (a container): USER, then USERNAME, then "unknown"', () => {
    expect(currentUser({ USER: 'builder', USERNAME: 'other' }, noPasswdEntry)).toBe('builder');
    expect(currentUser({ USERNAME: 'winuser' }, noPasswdEntry)).toBe('winuser');
    expect(currentUser({}, noPasswdEntry)).toBe('unknown');
  });

  it('an empty PGWARDEN_USER is not a name', () => {
    expect(currentUser({ PGWARDEN_USER: '' }, () => 'alice')).toBe('alice');
  });
});
