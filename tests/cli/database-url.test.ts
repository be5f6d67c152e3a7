/**
 * Database URLs as the commands take them (--database-url, an environment's urlEnv, shadow.url and
 * shadow.urlEnv), with the built binary: a URL that cannot be parsed is a configuration error (exit 2,
 * one line naming where it came from, never echoing it), and sslmode means what it means to libpq
 * (Supabase's `?sslmode=require`: TLS, no certificate verification, nothing printed on stderr).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, serverAvailable, TEST_DATABASE_URL, type TestDatabase } from '../../packages/core/src/runner/__fixtures__/test-db.js';
import { assertBuilt, CliWorkspace, cleanupWorkspaces, lines, type CliResult } from '../support/cli-workspace.js';
import { startTlsProxy, type TlsProxy } from '../support/tls-proxy.js';

const PASSWORD = 'pa ss-s3cret';

/** URLs that cannot be parsed, each holding the password: it must appear nowhere in the output. */
const UNPARSEABLE = {
  'a space and a word for the port': `postgres://app:${PASSWORD}@db.example.com:port/main`,
  'a port out of range': `postgres://app:${PASSWORD}@db.example.com:99999/main`,
  'a # in the password': `postgres://app:${PASSWORD}#x@db.example.com/main`,
  'not a URL at all': `not a url ${PASSWORD}`,
};

/** A workspace with an empty history: the commands get as far as reading the URL. */
function workspace(config: object = {}): CliWorkspace {
  const ws = new CliWorkspace({ migrations: false, schema: false, config });
  ws.write('migration_history/.gitkeep', '');
  return ws;
}

function expectConfigurationError(result: CliResult, source: string): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(lines(result.stderr)).toHaveLength(1);
  expect(result.stderr).toMatch(/^pgwarden: configuration error: /);
  expect(result.stderr).toContain(source);
  expect(result.all).not.toContain('s3cret');
}

beforeAll(() => assertBuilt());
afterAll(() => cleanupWorkspaces());

describe.concurrent('a database URL that cannot be parsed is a configuration error (exit 2)', () => {
  for (const [what, url] of Object.entries(UNPARSEABLE)) {
    it(`--database-url with ${what}, for status and migrate`, async () => {
      const ws = workspace();
      for (const command of ['status', 'migrate']) {
        const result = await ws.run([command, '--database-url', url]);
        expectConfigurationError(result, 'the database URL in --database-url ');
        expect(result.stderr).not.toContain('not a url');
      }
      ws.cleanup();
    });
  }

  it("an environment's urlEnv names its variable", async () => {
    const ws = workspace({ environments: { local: {}, staging: { urlEnv: 'STAGING_DATABASE_URL' } } });
    const result = await ws.run(['status', '--env', 'staging'], { env: { STAGING_DATABASE_URL: UNPARSEABLE['a space and a word for the port'] } });
    expectConfigurationError(result, 'the database URL in STAGING_DATABASE_URL (the urlEnv of environment "staging") does not parse');
    ws.cleanup();
  });

  it('shadow.url names the key of the config file; shadow.urlEnv names its variable', async () => {
    const inFile = new CliWorkspace({ config: { shadow: { url: UNPARSEABLE['a # in the password'] } } });
    expectConfigurationError(await inFile.run(['check']), 'pgwarden.config.json: shadow.url does not parse');
    inFile.cleanup();
    const inVariable = new CliWorkspace({ config: { shadow: { urlEnv: 'SHADOW_DATABASE_URL' } } });
    const result = await inVariable.run(['lint', '--deep'], { env: { SHADOW_DATABASE_URL: UNPARSEABLE['not a URL at all'] } });
    expectConfigurationError(result, 'the shadow database URL in SHADOW_DATABASE_URL (shadow.urlEnv) must start with postgres:// or postgresql://');
    inVariable.cleanup();
  });
});

const enabled = await serverAvailable('tests/cli/database-url.test.ts');

describe.skipIf(!enabled)('sslmode as libpq means it, through a TLS proxy in front of the test server', () => {
  let database: TestDatabase;
  let tlsOnly: TlsProxy;
  let noTls: TlsProxy;

  beforeAll(async () => {
    database = await createTestDatabase('sslmode');
    const server = new URL(TEST_DATABASE_URL);
    const upstream = { host: server.hostname, port: Number(server.port || 5432) };
    [tlsOnly, noTls] = await Promise.all([startTlsProxy(upstream, { tls: true }), startTlsProxy(upstream, { tls: false })]);
  });
  afterAll(async () => {
    await Promise.all([tlsOnly?.close(), noTls?.close(), database?.drop()]);
  });

  /** The test database through `proxy`, as a URL with a password (the server, trust auth, never asks for it). */
  function urlVia(proxy: TlsProxy, query: string): string {
    return `postgresql://postgres:${encodeURIComponent(PASSWORD)}@127.0.0.1:${proxy.port}/${database.name}?${query}`;
  }

  it("Supabase's ?sslmode=require: an encrypted connection, without certificate verification and without a word on stderr", async () => {
    const ws = workspace({ environments: { local: {}, staging: { urlEnv: 'STAGING_DATABASE_URL' } } });
    const before = tlsOnly.tlsSessions;
    const direct = await ws.run(['status', '--database-url', urlVia(tlsOnly, 'sslmode=require')]);
    expect(direct.stderr).toBe('');
    expect(direct.code).toBe(0);
    const viaEnv = await ws.run(['status', '--env', 'staging'], { env: { STAGING_DATABASE_URL: urlVia(tlsOnly, 'sslmode=require') } });
    expect(viaEnv.stderr).toBe('');
    expect(viaEnv.code).toBe(0);
    expect(tlsOnly.tlsSessions).toBeGreaterThan(before);
    for (const result of [direct, viaEnv]) expect(result.all).not.toContain('s3cret');
    ws.cleanup();
  });

  it('verify-full verifies the certificate and refuses a self-signed one; require with sslrootcert verifies the chain, not the host name', async () => {
    const ws = workspace();
    const full = await ws.run(['status', '--database-url', urlVia(tlsOnly, 'sslmode=verify-full')]);
    expect(full.code).toBe(1);
    expect(lines(full.stderr)).toHaveLength(1);
    expect(full.stderr).toMatch(/^pgwarden: cannot connect to database at postgresql:\/\/postgres@127\.0\.0\.1:\d+\/\S+\?sslmode=verify-full: .*self[- ]signed/);
    const ca = await ws.run(['status', '--database-url', urlVia(tlsOnly, `sslmode=require&sslrootcert=${tlsOnly.certificatePath}`)]);
    expect(ca.stderr).toBe('');
    expect(ca.code).toBe(0);
    const fullWithCa = await ws.run(['status', '--database-url', urlVia(tlsOnly, `sslmode=verify-full&sslrootcert=${tlsOnly.certificatePath}`)]);
    expect(fullWithCa.code).toBe(1);
    expect(fullWithCa.stderr).toMatch(/pgwarden-test|altnames|host ?name/i);
    for (const result of [full, ca, fullWithCa]) expect(result.all).not.toContain('s3cret');
    ws.cleanup();
  });

  it('a server without TLS: require refuses to go on in plain text, prefer does', async () => {
    const ws = workspace();
    const required = await ws.run(['status', '--database-url', urlVia(noTls, 'sslmode=require')]);
    expect(required.code).toBe(1);
    expect(required.stderr).toMatch(/^pgwarden: cannot connect to database at .*: The server does not support SSL connections\n$/);
    const preferred = await ws.run(['status', '--database-url', urlVia(noTls, 'sslmode=prefer')]);
    expect(preferred.stderr).toBe('');
    expect(preferred.code).toBe(0);
    expect(noTls.tlsSessions).toBe(0);
    ws.cleanup();
  });
});
