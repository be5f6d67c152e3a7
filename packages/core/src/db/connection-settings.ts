/**
 * A database URL read the way pgwarden connects with it: pg's own parser (pg-connection-string), with
 * `sslmode` given libpq's meaning, as psql and Supabase's connection strings intend it:
 *
 *   disable      no TLS
 *   prefer       TLS without certificate verification; plain when the server offers no TLS (PgDatabase retries)
 *   require      TLS without certificate verification; with sslrootcert=FILE the chain is verified (as verify-ca)
 *   verify-ca    TLS, the chain verified against sslrootcert=FILE (which it needs), any host name
 *   verify-full  TLS, chain and host name verified (Node's CA store, or sslrootcert=FILE)
 *   no-verify    pg's own name for TLS without verification, kept as pg reads it
 *
 * pg 8 reads prefer, require and verify-ca as verify-full (which refuses Supabase's own CA) and
 * prints a multi-line warning on every run saying so; pg 9 adopts libpq's meaning. Asking for it
 * now keeps stderr quiet and the URL meaning what it means to every other Postgres client.
 *
 * Problems are worded without the URL: it may hold a password.
 */
import { parse, toClientConfig, type ConnectionOptions } from 'pg-connection-string';
import type { ClientConfig } from 'pg';

export type DatabaseUrlReading = { ok: true; settings: ClientConfig; sslmode?: string } | { ok: false; problem: string };

const SCHEME = /^postgres(ql)?:\/\//i;

const PARSE_HINT =
  'does not parse as postgres://USER:PASSWORD@HOST:PORT/DATABASE: check that the port is a number, and percent-encode special characters in the user name and password (space %20, @ %40, : %3A, / %2F, # %23, ? %3F, % %25)';

/** The pg client settings for `url`, or why it cannot be used (a sentence that fits after "the URL"). */
export function readDatabaseUrl(url: string): DatabaseUrlReading {
  if (!SCHEME.test(url.trim())) return { ok: false, problem: 'must start with postgres:// or postgresql://' };
  // A parameter the URL spells out itself wins; pg refuses to be told twice.
  const explicitCompat = /[?&]uselibpqcompat=/i.test(url);
  let options: ConnectionOptions;
  try {
    options = parse(url.trim(), { useLibpqCompat: !explicitCompat });
  } catch (error) {
    return { ok: false, problem: parseProblem(error) };
  }
  const sslmode = typeof options.sslmode === 'string' ? options.sslmode : undefined;
  if (sslmode === 'no-verify' && !explicitCompat && typeof options.ssl === 'object') options.ssl = { ...options.ssl, rejectUnauthorized: false };
  let settings: ClientConfig;
  try {
    settings = toClientConfig(options);
  } catch {
    return { ok: false, problem: 'does not give its port as a number' };
  }
  return sslmode ? { ok: true, settings, sslmode } : { ok: true, settings };
}

/** Why `url` cannot be used as a database URL, or undefined when it can. */
export function databaseUrlProblem(url: string): string | undefined {
  const reading = readDatabaseUrl(url);
  return reading.ok ? undefined : reading.problem;
}

function parseProblem(error: unknown): string {
  const err = error as { code?: string; path?: string; message?: string };
  if (typeof err?.path === 'string') return `names a certificate or key file that cannot be read: ${err.path} (${err.code ?? 'unreadable'})`;
  if (typeof err?.message === 'string' && err.message.includes('verify-ca')) {
    return 'asks for sslmode=verify-ca without sslrootcert=FILE, the certificate authority to verify the server against (or use sslmode=verify-full)';
  }
  return PARSE_HINT;
}
