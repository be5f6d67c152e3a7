import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { databaseUrlProblem, readDatabaseUrl } from './connection-settings.js';

const SUPABASE = 'postgresql://postgres.abcdefghijklmnop:s3cret-pw@aws-0-eu-central-1.pooler.supabase.com:6543/postgres?sslmode=require';

function settingsOf(url: string) {
  const reading = readDatabaseUrl(url);
  if (!reading.ok) throw new Error(reading.problem);
  return reading.settings;
}

afterEach(() => vi.restoreAllMocks());

describe('readDatabaseUrl: sslmode as libpq means it', () => {
  it("Supabase's sslmode=require: TLS without certificate verification, and no warning on stderr", () => {
    const warn = vi.spyOn(process, 'emitWarning');
    const settings = settingsOf(SUPABASE);
    expect(settings.ssl).toEqual({ rejectUnauthorized: false });
    expect(settings).toMatchObject({ host: 'aws-0-eu-central-1.pooler.supabase.com', port: 6543, user: 'postgres.abcdefghijklmnop', password: 's3cret-pw', database: 'postgres' });
    expect(warn).not.toHaveBeenCalled();
  });

  it('prefer: TLS without verification (PgDatabase falls back to plain); disable: no TLS', () => {
    expect(readDatabaseUrl('postgres://h/db?sslmode=prefer')).toMatchObject({ ok: true, sslmode: 'prefer', settings: { ssl: { rejectUnauthorized: false } } });
    expect(settingsOf('postgres://h/db?sslmode=disable').ssl).toBe(false);
  });

  it('verify-full verifies chain and host name; verify-ca and require with sslrootcert verify the chain against that CA only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgwarden-ssl-'));
    try {
      const ca = join(dir, 'root.crt');
      writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nnot checked here\n-----END CERTIFICATE-----\n');
      const full = settingsOf('postgres://h/db?sslmode=verify-full').ssl as Record<string, unknown>;
      expect(full.rejectUnauthorized).not.toBe(false);
      expect(full.checkServerIdentity).toBeUndefined();
      for (const mode of ['verify-ca', 'require']) {
        const ssl = settingsOf(`postgres://h/db?sslmode=${mode}&sslrootcert=${ca}`).ssl as Record<string, unknown>;
        expect(ssl.rejectUnauthorized).not.toBe(false);
        expect(ssl.ca).toContain('not checked here');
        expect(typeof ssl.checkServerIdentity).toBe('function');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps pg's sslmode=no-verify and a URL's own uselibpqcompat", () => {
    expect(settingsOf('postgres://h/db?sslmode=no-verify').ssl).toEqual({ rejectUnauthorized: false });
    expect(settingsOf('postgres://h/db?sslmode=require&uselibpqcompat=true').ssl).toEqual({ rejectUnauthorized: false });
  });

  it('no sslmode: pg decides as before (PGSSLMODE, else no TLS)', () => {
    expect(settingsOf('postgres://postgres@127.0.0.1:5432/postgres').ssl).toBeUndefined();
  });
});

describe('databaseUrlProblem: never echoes the URL', () => {
  it.each([
    ['postgres://user:pa ss@host:port/db', 'does not parse as postgres://USER:PASSWORD@HOST:PORT/DATABASE'],
    ['postgres://user:pa#ss@host/db', 'does not parse'],
    ['postgres://user:secret@host:99999/db', 'does not parse'],
    ['not a url', 'must start with postgres:// or postgresql://'],
    ['mysql://user:secret@host/db', 'must start with postgres:// or postgresql://'],
    ['postgres://user:secret@host/db?sslmode=verify-ca', 'sslmode=verify-ca without sslrootcert=FILE'],
    ['postgres://user:secret@host/db?sslmode=require&sslrootcert=/nonexistent/root.crt', 'cannot be read: /nonexistent/root.crt (ENOENT)'],
  ])('%s', (url, expected) => {
    const problem = databaseUrlProblem(url);
    expect(problem).toContain(expected);
    for (const secret of ['pa ss', 'pa#ss', 'secret', 'not a url']) expect(problem).not.toContain(secret);
  });

  it('a password with spaces or an @ is read as pg reads it', () => {
    expect(databaseUrlProblem('postgres://user:pa ss@host:5432/db')).toBeUndefined();
    expect(settingsOf('postgres://user:p@ss@host/db').password).toBe('p@ss');
  });
});
