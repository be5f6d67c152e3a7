import { describe, expect, it } from 'vitest';
import { DatabaseError, mapConnectError, type ConnectTarget } from './errors.js';
import { urlParts, redactUrl } from './url.js';

const url = 'postgres://app:hunter22@db.internal:5433/clinic';
const target: ConnectTarget = { label: redactUrl(url), parts: urlParts(url), connectTimeoutMs: 10_000 };

function map(error: unknown): DatabaseError {
  const mapped = mapConnectError(error, target);
  expect(mapped.userMessage).not.toContain('hunter22');
  expect(mapped.userMessage).not.toContain('\n');
  return mapped;
}

describe('mapConnectError', () => {
  it('connection refused', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:5433'), { code: 'ECONNREFUSED' });
    expect(map(err).userMessage).toBe(
      'cannot connect to db.internal:5433 (postgres://app@db.internal:5433/clinic): connection refused (no server listens there: is it running, and is the port right?)',
    );
  });
  it('refused on every address (AggregateError)', () => {
    const inner = Object.assign(new Error('x'), { code: 'ECONNREFUSED' });
    const err = Object.assign(new AggregateError([inner], ''), {});
    expect(map(err).reason).toBe('unreachable');
  });
  it('unknown host', () => {
    const err = Object.assign(new Error('getaddrinfo ENOTFOUND db.internal'), { code: 'ENOTFOUND' });
    expect(map(err).userMessage).toMatch(/^cannot connect to db\.internal:5433 \(.*\): host not found \(DNS: check the host name\)$/);
  });
  it('connection timeout', () => {
    expect(map(new Error('timeout expired')).userMessage).toMatch(/^cannot connect to db\.internal:5433 \(.*\): timed out after 10s \(no answer: a firewall, or the wrong host\?\)$/);
  });
  it('a connection closed before the handshake never blames "the server closed the connection"', () => {
    const message = map(new Error('Connection terminated unexpectedly')).userMessage;
    expect(message).toMatch(/^cannot connect to db\.internal:5433 \(.*\): the connection was closed before the PostgreSQL handshake finished/);
    expect(message).not.toContain('server closed the connection');
  });
  it('too many connections (53300) says pgwarden needs two', () => {
    const err = Object.assign(new Error('too many connections for role "app"'), { code: '53300' });
    expect(map(err).userMessage).toBe(
      'database at postgres://app@db.internal:5433/clinic refused a connection: too many connections for role "app"; pgwarden needs two connections (one holds the migration lock, one applies the migrations): raise the connection limit or close idle sessions',
    );
  });
  it('wrong password (28P01) names the user, never the password', () => {
    const err = Object.assign(new Error('password authentication failed for user "app"'), { code: '28P01' });
    const mapped = map(err);
    expect(mapped.reason).toBe('auth-failed');
    expect(mapped.userMessage).toBe(
      'password authentication failed for user "app" at postgres://app@db.internal:5433/clinic: check the password in the database URL',
    );
  });
  it('missing database (3D000)', () => {
    const err = Object.assign(new Error('database "clinic" does not exist'), { code: '3D000' });
    expect(map(err).userMessage).toBe(
      'database "clinic" does not exist at postgres://app@db.internal:5433/clinic: create it (createdb clinic) or fix the database name in the URL',
    );
  });
  it('scrubs the password from an unexpected driver message', () => {
    const err = new Error('weird failure mentioning hunter22');
    expect(map(err).userMessage).toContain('***');
  });
});
