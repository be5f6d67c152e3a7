/*
 * Checksum of a migration: SHA-256 (hex) of
 *   `pgwarden-checksum-v1\n` + canonical directives + `\n---\n` + normalised body
 * where the canonical directives are the sorted `name=value` lines of the directives that
 * are set (see canonicalDirectives) and the body has CRLF/CR turned into LF and trailing
 * whitespace at the end of the file removed. The header is not part of it, so ticking
 * boxes, recording executions and adding approvals never look like tampering.
 */
import { createHash } from 'node:crypto';
import { canonicalDirectives } from './directives.js';
import type { MigrationDirectives } from './types.js';

export const CHECKSUM_VERSION = 'pgwarden-checksum-v1';

/** The body as the checksum sees it. */
export function normaliseBody(body: string): string {
  // trimEnd, not a /\s+$/ regex: the regex is quadratic on long whitespace runs.
  return body.replace(/\r\n?/g, '\n').trimEnd();
}

export function computeChecksum(body: string, directives: MigrationDirectives): string {
  return createHash('sha256')
    .update(`${CHECKSUM_VERSION}\n`)
    .update(canonicalDirectives(directives))
    .update('\n---\n')
    .update(normaliseBody(body))
    .digest('hex');
}
