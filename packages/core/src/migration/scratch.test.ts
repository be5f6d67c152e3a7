import { test } from 'vitest';
import { randomBytes } from 'node:crypto';
import { parseMigration } from './index.js';
const MB10 = 10 * 1024 * 1024;
const rule = '-- ' + '='.repeat(20) + '\n';
const cases: Record<string, () => string> = {
  random: () => randomBytes(MB10).toString('latin1'),
  randomUtf8: () => randomBytes(MB10).toString('utf8'),
  newlines: () => '\n'.repeat(MB10),
  headerLines: () => rule + '--   a\n'.repeat(MB10 / 7),
  headerSectionLines: () => rule + '-- A: b [ ] c\n'.repeat(MB10 / 14),
  sotLines: () => rule + '-- SOURCE OF TRUTH SCHEMA UPDATED:\n' + '--   [X] a.sql (Line 1: x; Line 2: y)\n'.repeat(MB10 / 40),
  longSpaces: () => rule + '-- ' + ' '.repeat(MB10) + 'x\n',
  longSotSpaces: () => rule + '-- SOURCE OF TRUTH SCHEMA UPDATED: a.sql (Line 1' + ' '.repeat(MB10) + ';x\n',
  longSotWords: () => rule + '-- SOURCE OF TRUTH SCHEMA UPDATED: ' + 'a'.repeat(MB10) + '\n',
  longLabel: () => rule + '-- ' + 'A '.repeat(MB10 / 2) + '\n',
  rollbackComments: () => '-- Rollback\n' + '-- DROP x\n'.repeat(MB10 / 10),
  verify: () => '-- VERIFY: x\n' + '--   y\n'.repeat(MB10 / 7),
  crs: () => '\r'.repeat(MB10),
  dashes: () => '-'.repeat(MB10),
  directives: () => rule + '-- pgwarden:lock-timeout ' + ' 5'.repeat(MB10 / 2) + '\n',
  lineRefs: () => rule + '-- SOURCE OF TRUTH SCHEMA UPDATED:\n--   [X] a.sql (' + 'Line 1, '.repeat(MB10 / 8) + ')\n',
  lineRefs2: () => rule + '-- SOURCE OF TRUTH SCHEMA UPDATED:\n--   [X] a.sql (Line 1' + ', 2'.repeat(MB10 / 3) + ')\n',
  manyBoxes: () => rule + '-- MIGRATION EXECUTED: ' + '[X]'.repeat(MB10 / 3) + '\n',
  manyBoxesSot: () => rule + '-- SOURCE OF TRUTH SCHEMA UPDATED: ' + '[X]a.sql'.repeat(MB10 / 8) + '\n',
  manyParens: () => rule + '-- SOURCE OF TRUTH SCHEMA UPDATED: a.sql ' + '('.repeat(MB10) + '\n',
  manyApproved: () => rule + '-- APPROVED: a 2025-01-01 sha256:' + 'a'.repeat(MB10) + '\n',
  blockComments: () => '-- Rollback\n/*\n' + 'x\n'.repeat(MB10/2),
  tabs: () => rule + '--' + '\t '.repeat(MB10/2) + '\n',
};
test('perf', () => {
  for (const [name, make] of Object.entries(cases)) {
    const text = make();
    const t = performance.now();
    parseMigration({ path: '/x/2025-01-01_01_a.sql', relPath: 'a.sql', text });
    console.log(name, Math.round(performance.now() - t), 'ms');
  }
}, 600000);
