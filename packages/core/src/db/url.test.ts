import { describe, expect, it } from 'vitest';
import { redactUrl, scrubSecret, urlParts } from './url.js';

describe('redactUrl', () => {
  it('drops the password from the userinfo', () => {
    expect(redactUrl('postgres://app:s3cret@db.example.com:6543/main')).toBe('postgres://app@db.example.com:6543/main');
  });
  it('drops a password query parameter and keeps the others', () => {
    const out = redactUrl('postgresql://app@db/main?sslmode=require&password=s3cret');
    expect(out).not.toContain('s3cret');
    expect(out).toContain('sslmode=require');
  });
  it('leaves a URL without a password alone', () => {
    expect(redactUrl('postgres://postgres@127.0.0.1:5432/postgres')).toBe('postgres://postgres@127.0.0.1:5432/postgres');
  });
  it('never echoes a string that does not parse', () => {
    expect(redactUrl('not a url with s3cret')).not.toContain('s3cret');
  });
});

describe('urlParts / scrubSecret', () => {
  it('reads user, host, port, database and password', () => {
    expect(urlParts('postgres://a%40b:p%21w@h:1/d')).toEqual({ user: 'a@b', host: 'h', port: 1, database: 'd', password: 'p!w' });
  });
  it('removes the secret from any text', () => {
    expect(scrubSecret('failed for hunter22 at x', 'hunter22')).toBe('failed for *** at x');
  });
});
