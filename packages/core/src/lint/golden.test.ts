/**
 * The golden corpus: realistic migrations written to the convention (extra header sections,
 * multi-line values, bullets, [N/A], DO-block guards, BEGIN/COMMIT, non-ASCII text, executed and
 * new files, sub-folders) and the exact findings expected for each file (rule id and line).
 * Any change in what pgwarden reports on them shows up as a diff of expected.json in review.
 * Regenerate after an intended change: PGWARDEN_UPDATE_GOLDEN=1 npx vitest run packages/core/src/lint/golden.test.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../config/defaults.js';
import { lint } from './engine.js';

const ROOT = fileURLToPath(new URL('./__fixtures__/golden/', import.meta.url));
const EXPECTED = `${ROOT}expected.json`;

type Expected = Record<string, string[]>;

describe('golden corpus', () => {
  it('reports exactly the expected findings (rule and line) for every file', async () => {
    const { findings, filesLinted } = await lint({ ...defaultConfig(ROOT.replace(/\/$/, '')) });
    const actual: Expected = {};
    for (const finding of findings) (actual[finding.file] ??= []).push(`${finding.line} ${finding.rule} (${finding.severity})`);
    if (process.env.PGWARDEN_UPDATE_GOLDEN === '1') writeFileSync(EXPECTED, `${JSON.stringify(actual, null, 2)}\n`);
    const expected = JSON.parse(readFileSync(EXPECTED, 'utf8')) as Expected;
    expect(filesLinted).toBe(30);
    expect(actual).toEqual(expected);
  });
});
