/**
 * Execution records that cannot be written by hand: where an environment names a secret
 * (`recordKeyEnv`), the runner signs each record it writes with an HMAC-SHA256 over the
 * environment, the migration's version and checksum, the record's date and who ran it. The
 * promotion check of a later environment verifies it with the same secret, so a copied or
 * hand-written `[X] staging ...` line does not count.
 */

import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SignedFields {
  env: string;
  /** `YYYY-MM-DD_NN`. */
  version: string;
  /** Hex SHA-256 of the migration body. */
  checksum: string;
  /** The record's date, `YYYY-MM-DD`. */
  date: string;
  by: string;
}

/** Hex HMAC-SHA256 of the record's fields under `key`. */
export function signRecord(key: string, fields: SignedFields): string {
  // One field per line, with a format tag: no two field sets give the same message.
  const message = ['pgwarden-record-v1', fields.env, fields.version, fields.checksum.toLowerCase(), fields.date, fields.by].join('\n');
  return createHmac('sha256', key).update(message).digest('hex');
}

/** Whether `hmac` signs these fields under `key` (constant-time comparison). */
export function recordSignatureValid(key: string, fields: SignedFields, hmac: string | undefined): boolean {
  if (!hmac || !/^[0-9a-f]{64}$/i.test(hmac)) return false;
  const expected = Buffer.from(signRecord(key, fields), 'hex');
  return timingSafeEqual(expected, Buffer.from(hmac.toLowerCase(), 'hex'));
}
