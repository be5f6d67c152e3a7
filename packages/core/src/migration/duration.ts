/*
 * Timeout durations (lock_timeout, statement_timeout) as Postgres reads them: a number with an
 * optional unit us, ms, s, min, h or d (a bare number is milliseconds), rounded to whole
 * milliseconds (half to even, as Postgres' rint), at most INT_MAX ms. Postgres would silently turn
 * `0.5us` into 0, which disables the timeout, so a value that rounds to 0 without being written
 * as 0 is refused, and so is one Postgres would reject as out of range.
 */

/** The largest lock_timeout / statement_timeout Postgres accepts, in milliseconds (INT_MAX). */
export const MAX_TIMEOUT_MS = 2_147_483_647;

const DURATION = /^(\d+(?:\.\d+)?)\s?(us|ms|s|min|h|d)?$/;
const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };

export type TimeoutDuration = { ok: true; ms: number } | { ok: false; reason: string };

/** What a duration must look like, for messages. */
export const DURATION_FORMAT = 'a number with an optional unit us, ms, s, min, h or d (a bare number is milliseconds), such as 500ms, 5s or 2min';

/**
 * The whole milliseconds Postgres will use for `value`, or why it is refused; `reason` reads after
 * the value ("'0.5us' rounds to 0 ms, ...").
 */
export function parseTimeoutDuration(value: string): TimeoutDuration {
  const match = DURATION.exec(value);
  if (!match) return { ok: false, reason: `is not a duration: use ${DURATION_FORMAT}, or 0 to disable the timeout` };
  const exact = Number(match[1]) * UNIT_MS[match[2] ?? 'ms']!;
  const ms = roundHalfToEven(exact);
  if (ms > MAX_TIMEOUT_MS || !Number.isFinite(exact)) {
    return { ok: false, reason: `is more than Postgres accepts for a timeout: at most ${MAX_TIMEOUT_MS} ms (about 24.8 days)` };
  }
  if (ms === 0 && exact !== 0) {
    return {
      ok: false,
      reason: 'rounds to 0 ms, and 0 disables the timeout (Postgres counts it in whole milliseconds): use at least 1ms, or write 0 to disable it on purpose',
    };
  }
  return { ok: true, ms };
}

function roundHalfToEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
