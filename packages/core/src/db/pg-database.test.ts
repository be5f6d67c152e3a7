/** Reliability 5 (the part that needs a server): one clear line, no password, no stack. */
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

describe('pg adapter: connection failures', () => {
  it('unreachable server: connection refused, password never shown', async () => {
    const error = await connectError('postgres://app:hunter22@127.0.0.1:1/clinic');
    expect(error.userMessage).toBe('cannot reach database at postgres://app@127.0.0.1:1/clinic: connection refused');
    expect(error.reason).toBe('unreachable');
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
    expect(result).toEqual({ rows: [{ n: 42, app: 'pgwarden' }], rowCount: 1, fields: ['n', 'app'] });
    await db.close();
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
