/** Reliability 5 (the part that needs a server): one clear line, no password, no stack. */
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './open.js';
import { DatabaseError } from './errors.js';
import { serverAvailable, TEST_DATABASE_URL, urlForDatabase } from '../runner/__fixtures__/test-db.js';

const enabled = await serverAvailable('db/pg-database.test.ts');

async function connectError(url: string, connectTimeoutMs?: number): Promise<DatabaseError> {
  const db = await openDatabase({ url, connectTimeoutMs });
  try {
    const error = await db.session().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatabaseError);
    return error as DatabaseError;
  } finally {
    await db.close();
  }
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

describe('pg adapter: connection failures', () => {
  it('unreachable server: connection refused, password never shown', async () => {
    const error = await connectError('postgres://app:hunter22@127.0.0.1:1/clinic');
    expect(error.userMessage).toBe(
      'cannot connect to 127.0.0.1:1 (postgres://app@127.0.0.1:1/clinic): connection refused (no server listens there: is it running, and is the port right?)',
    );
    expect(error.reason).toBe('unreachable');
  });

  it('a host name that does not resolve: cannot connect to host:port, DNS', async () => {
    const error = await connectError('postgres://app:hunter22@pgwarden-no-such-host.invalid:5432/clinic');
    expect(error.userMessage).toMatch(/^cannot connect to pgwarden-no-such-host\.invalid:5432 \(postgres:\/\/app@pgwarden-no-such-host\.invalid:5432\/clinic\): host (not found|name lookup failed) \(DNS/);
    expect(error.userMessage).not.toContain('hunter22');
  });

  it('a server that accepts and never answers: timed out, naming host:port', async () => {
    const silent = createServer(() => {});
    const port = await listen(silent);
    try {
      const error = await connectError(`postgres://app@127.0.0.1:${port}/clinic`, 300);
      expect(error.userMessage).toBe(
        `cannot connect to 127.0.0.1:${port} (postgres://app@127.0.0.1:${port}/clinic): timed out after 0.3s (no answer: a firewall, or the wrong host?)`,
      );
    } finally {
      silent.close();
    }
  });

  it('a port that accepts and hangs up (not PostgreSQL): never "the server closed the connection"', async () => {
    const rude = createServer((socket) => socket.destroy());
    const port = await listen(rude);
    try {
      const error = await connectError(`postgres://app@127.0.0.1:${port}/clinic`);
      expect(error.userMessage).toMatch(new RegExp(`^cannot connect to 127\\.0\\.0\\.1:${port} \\(.*\\): (the connection was closed before the PostgreSQL handshake finished|connection reset before the server answered)`));
      expect(error.userMessage).not.toContain('server closed the connection');
    } finally {
      rude.close();
    }
  });

  it('a URL that is not postgres:// is refused without echoing it', async () => {
    const error = await openDatabase({ url: 'mysql://root:hunter22@h/db' }).catch((e: unknown) => e);
    expect((error as DatabaseError).userMessage).not.toContain('hunter22');
  });
});

describe.skipIf(!enabled)('pg adapter on a real server', () => {
  it('missing database: one line naming it', async () => {
    const url = new URL(urlForDatabase('pgwarden_no_such_db'));
    url.password = 'hunter22';
    const error = await connectError(url.toString());
    expect(error.reason).toBe('database-missing');
    expect(error.userMessage).toMatch(/^database "pgwarden_no_such_db" does not exist at postgres:\/\/[^:@]+@.*\/pgwarden_no_such_db: create it/);
    expect(error.userMessage).not.toContain('hunter22');
  });

  it('sessions are separate connections named pgwarden; exec runs several statements; query takes parameters', async () => {
    const db = await openDatabase({ url: TEST_DATABASE_URL });
    expect(db.kind).toBe('pg');
    expect(db.label).not.toContain('@@');
    const [a, b] = [await db.session(), await db.session()];
    const pidA = (await a.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const pidB = (await b.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    expect(pidA).not.toBe(pidB);
    await a.exec('CREATE TEMP TABLE t (x int); INSERT INTO t VALUES (1), (2)');
    const result = await a.query<{ n: number; app: string }>(
      `SELECT count(*)::int + $1::int AS n, current_setting('application_name') AS app FROM t`,
      [40],
    );
    expect(result).toEqual({ rows: [{ n: 42, app: 'pgwarden' }], rowCount: 1, fields: ['n', 'app'], fieldTypeIds: [23, 25] });
    await db.close();
  });

  it('a role limited to one connection: migrate says pgwarden needs two (lock + work)', async () => {
    const role = `pgw_one_conn_${process.pid}`;
    const admin = await openDatabase({ url: TEST_DATABASE_URL });
    const s = await admin.session();
    await s.exec(`DROP ROLE IF EXISTS ${role}; CREATE ROLE ${role} LOGIN CONNECTION LIMIT 1`);
    try {
      const url = new URL(TEST_DATABASE_URL);
      url.username = role;
      const db = await openDatabase({ url: url.toString() });
      try {
        const { migrate } = await import('../runner/migrate.js');
        const error = await migrate({ db, migrations: [], envName: 'test' }).catch((e: unknown) => e);
        expect((error as DatabaseError).userMessage).toMatch(
          new RegExp(`refused a connection: too many connections for role "${role}"; pgwarden needs two connections \\(one holds the migration lock, one applies the migrations\\)`),
        );
      } finally {
        await db.close();
      }
    } finally {
      await s.exec(`DROP ROLE IF EXISTS ${role}`);
      await admin.close();
    }
  });

  it('a session whose backend is terminated reports a lost connection in one line', async () => {
    const db = await openDatabase({ url: TEST_DATABASE_URL });
    const victim = await db.session();
    const killer = await db.session();
    const pid = (await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    await killer.query('SELECT pg_terminate_backend($1)', [pid]);
    await new Promise((r) => setTimeout(r, 100));
    const error = await victim.query('SELECT 1').catch((e: unknown) => e);
    expect((error as DatabaseError).userMessage).toMatch(/^lost the connection to database at postgres:\/\/.*: /);
    await db.close();
  });
});

describe('pg adapter: loading pg', () => {
  it('skips the fetch library pg would load to detect Cloudflare, and leaves no navigator behind', () => {
    // A fresh process: the built adapter loaded alone, then what it left in the global scope and which
    // of Node's modules it loaded.
    const adapter = new URL('../../dist/db/pg-database.js', import.meta.url).href;
    const script = `const before = 'navigator' in globalThis;
      await import(${JSON.stringify(adapter)});
      console.log(JSON.stringify({ before, after: 'navigator' in globalThis, undici: process.moduleLoadList.some((m) => m.includes('undici')) }));`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const seen = JSON.parse(result.stdout) as { before: boolean; after: boolean; undici: boolean };
    expect(seen.after).toBe(seen.before);
    // Node 21 and later have a navigator of their own, and pg never reaches for fetch there.
    expect(seen.undici).toBe(false);
  });
});
