import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../config/defaults.js';
import type { PgwardenConfig } from '../config/types.js';
import { lint } from '../lint/engine.js';
import { header } from './__fixtures__/run-rule.js';
import { RULE_IDS } from './registry.js';

const RULE = 'readable-file';

let root: string;
let config: PgwardenConfig;

/** Writes `content` to migration_history/<name> and returns the workspace-relative path. */
function file(name: string, content: string | Buffer): string {
  writeFileSync(join(root, 'migration_history', name), content);
  return `migration_history/${name}`;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'pgwarden-readable-'));
  mkdirSync(join(root, 'migration_history'));
  // Only cheap, always-present rules besides readable-file: enough to show that nothing else runs on an unreadable file.
  const rules = Object.fromEntries(RULE_IDS.map((id) => [id, 'off' as const]));
  config = { ...defaultConfig(root), rules: { ...rules, [RULE]: 'error', 'header-present': 'error', 'file-name': 'error', 'no-emoji': 'error' } };
});

describe('readable-file', () => {
  it('reports a directory named like a migration, and nothing else about it', async () => {
    mkdirSync(join(root, 'migration_history', '2025-10-09_19_x.sql'));
    const { findings } = await lint(config, { paths: ['migration_history/2025-10-09_19_x.sql'] });
    expect(findings).toEqual([
      {
        file: 'migration_history/2025-10-09_19_x.sql',
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 1,
        rule: RULE,
        severity: 'error',
        message: '2025-10-09_19_x.sql is a directory, not a file',
        hint: 'pass migration files, not folders; a folder whose name ends in .sql is not a migration',
      },
    ]);
  });

  it('reports a binary file with the line of its first NUL byte', async () => {
    const path = file('2025-10-10_20_binary.sql', Buffer.concat([Buffer.from('-- ok\nSELECT 1;\n'), Buffer.from([0x50, 0x4b, 0x00, 0x03, 0xff])]));
    const { findings } = await lint(config, { paths: [path] });
    expect(findings.map(({ rule, line, message, hint }) => ({ rule, line, message, hint }))).toEqual([
      {
        rule: RULE,
        line: 3,
        message: '2025-10-10_20_binary.sql contains a NUL byte (line 3), so it looks like a binary file, not SQL',
        hint: 'the file contains NUL bytes: save it as UTF-8 text',
      },
    ]);
  });

  it('reports invalid UTF-8 (a Latin-1 file) with the line of the first bad byte', async () => {
    const latin1 = Buffer.from(`${header()}\nCOMMENT ON TABLE public.patients IS 'Reviewed by Zo\xe9';\n`, 'latin1');
    const path = file('2025-10-11_21_latin1_comment.sql', latin1);
    const { findings } = await lint(config, { paths: [path] });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: RULE, severity: 'error', line: header().split('\n').length + 1 });
    expect(findings[0].message).toBe(
      `2025-10-11_21_latin1_comment.sql is not valid UTF-8 (first bad byte at line ${header().split('\n').length + 1}); save it as UTF-8`,
    );
    expect(findings[0].hint).toBe('save the file as UTF-8 (it is probably Latin-1 or UTF-16)');
  });

  it('reports a file over the size limit', async () => {
    const path = file('2025-10-12_22_bulk_load.sql', `${header()}\n${"INSERT INTO public.codes (code) VALUES ('x') ON CONFLICT DO NOTHING;\n".repeat(80_000)}`);
    const { findings } = await lint(config, { paths: [path] });
    expect(findings.map((finding) => [finding.rule, finding.message])).toEqual([
      [RULE, '2025-10-12_22_bulk_load.sql is 5.3 MiB, larger than the 5.0 MiB limit for a migration or schema file'],
    ]);
  });

  it('reports a path that does not exist', async () => {
    const { findings } = await lint(config, { paths: ['migration_history/2025-10-13_23_missing.sql'] });
    expect(findings.map((finding) => [finding.rule, finding.message, finding.hint])).toEqual([
      [RULE, '2025-10-13_23_missing.sql does not exist', 'check the path: no such file'],
    ]);
  });

  it('accepts a UTF-8 file with non-ASCII text and a byte order mark; the other rules run on it', async () => {
    const good = file('2025-10-14_24_add_reviewer.sql', `\uFEFF${header()}\nCOMMENT ON TABLE public.patients IS 'Reviewed by Zoé → ok';\n`);
    const noHeader = file('2025-10-15_25_no_header.sql', 'SELECT 1;\n');
    const { findings } = await lint(config, { paths: [good, noHeader] });
    expect(findings.map((finding) => [finding.file, finding.rule])).toEqual([[noHeader, 'header-present']]);
  });

  it('follows the configured severity', async () => {
    const path = file('2025-10-16_26_binary_again.sql', Buffer.from([0x00, 0x01]));
    const { findings } = await lint({ ...config, rules: { ...config.rules, [RULE]: 'warning' } }, { paths: [path] });
    expect(findings.map((finding) => [finding.rule, finding.severity])).toEqual([[RULE, 'warning']]);
  });
});
