/** lock_timeout / statement_timeout values: validated before they are inlined in SET statements. */

import { isValidDuration } from '../migration/directives.js';
import type { Migration } from '../migration/types.js';
import { RunnerError } from './errors.js';

export interface Timeouts {
  lockTimeout: string;
  statementTimeout: string;
}

export const DEFAULT_LOCK_TIMEOUT = '5s';
/** 0 disables statement_timeout: a long backfill is the author's call, set per file when needed. */
export const DEFAULT_STATEMENT_TIMEOUT = '0';

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** Normalises a config duration (`5s`, `500 ms`, `0`) or throws a RunnerError naming the setting. */
export function checkDuration(value: string | number, setting: string): string {
  const text = String(value).trim().replace(/\s+/g, '');
  if (!isValidDuration(text)) {
    throw new RunnerError('invalid-config', `invalid ${setting} '${value}': use a Postgres duration such as 500ms, 5s or 2min`);
  }
  return text;
}

export function durationToMs(value: string): number {
  const match = /^(\d+(?:\.\d+)?)([a-z]*)$/.exec(value);
  if (!match) return 0;
  return Number(match[1]) * (UNIT_MS[match[2] || 'ms'] ?? 1);
}

/** Config values overridden by the file's `pgwarden:lock-timeout` / `pgwarden:statement-timeout`. */
export function timeoutsFor(migration: Migration, defaults: Timeouts): Timeouts {
  return {
    lockTimeout: migration.directives.lockTimeout ?? defaults.lockTimeout,
    statementTimeout: migration.directives.statementTimeout ?? defaults.statementTimeout,
  };
}

/** The SET statements; values went through isValidDuration, so inlining them is safe. */
export function setTimeoutsSql(timeouts: Timeouts, scope: 'local' | 'session'): string {
  checkDuration(timeouts.lockTimeout, 'lock timeout');
  checkDuration(timeouts.statementTimeout, 'statement timeout');
  const set = scope === 'local' ? 'SET LOCAL' : 'SET';
  return `${set} lock_timeout = '${timeouts.lockTimeout}'; ${set} statement_timeout = '${timeouts.statementTimeout}'`;
}
