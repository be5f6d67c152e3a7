import { describe, expect, it } from 'vitest';
import { recordSignatureValid, signRecord, type SignedFields } from './record-signature.js';

const FIELDS: SignedFields = { env: 'staging', version: '2025-10-08_18', checksum: 'ab'.repeat(32), date: '2026-12-06', by: 'ci-bot' };
const KEY = 'staging-secret';

describe('execution record signatures', () => {
  it('a signature verifies with the same key and fields, and is 64 hex digits', () => {
    const hmac = signRecord(KEY, FIELDS);
    expect(hmac).toMatch(/^[0-9a-f]{64}$/);
    expect(recordSignatureValid(KEY, FIELDS, hmac)).toBe(true);
    expect(recordSignatureValid(KEY, FIELDS, hmac.toUpperCase())).toBe(true);
  });

  it('any other field, another key, or no or a malformed signature does not verify', () => {
    const hmac = signRecord(KEY, FIELDS);
    for (const changed of [
      { ...FIELDS, env: 'production' },
      { ...FIELDS, version: '2025-10-08_19' },
      { ...FIELDS, checksum: 'cd'.repeat(32) },
      { ...FIELDS, date: '2026-12-07' },
      { ...FIELDS, by: 'mallory' },
    ]) {
      expect(recordSignatureValid(KEY, changed, hmac), JSON.stringify(changed)).toBe(false);
    }
    expect(recordSignatureValid('another-secret', FIELDS, hmac)).toBe(false);
    expect(recordSignatureValid(KEY, FIELDS, undefined)).toBe(false);
    expect(recordSignatureValid(KEY, FIELDS, 'xyz')).toBe(false);
    // Fields are separated: moving text from one field to the next changes the signature.
    expect(signRecord(KEY, { ...FIELDS, env: 'stag', version: `ing\n${FIELDS.version}` })).not.toBe(hmac);
  });
});
