import { describe, expect, it } from 'vitest';
import { RULE_IDS } from '../../rules/registry.js';
import type { Finding } from '../../rules/types.js';
import { sarif } from './sarif.js';
import type { FormatContext } from './types.js';

const context: FormatContext = { source: () => undefined, color: true, filesLinted: 3, toolVersion: '1.2.3' };

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    file: 'migration_history/2025-01-01_01_add_visit_note.sql',
    line: 21,
    column: 3,
    endLine: 22,
    endColumn: 9,
    rule: 'transaction-control',
    severity: 'error',
    message: 'BEGIN at top level',
    ...overrides,
  };
}

interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; informationUri: string; rules: { id: string; helpUri: string }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> } }[];
    }[];
  }[];
}

const parse = (findings: Finding[]) => JSON.parse(sarif(findings, context)) as SarifLog;

describe('sarif', () => {
  it('is a SARIF 2.1.0 log with one run and the tool described', () => {
    const log = parse([finding()]);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0]!.tool.driver).toMatchObject({ name: 'pgwarden', version: '1.2.3' });
    expect(log.runs[0]!.tool.driver.informationUri).toMatch(/^https:\/\//);
  });

  it('lists only the rules that have findings, once each, in registry order; ruleIndex points at them', () => {
    const findings = [
      finding({ rule: 'unused-ignore', severity: 'warning' }),
      finding({ rule: 'syntax' }),
      finding({ rule: 'unused-ignore', severity: 'warning', line: 30 }),
      finding({ rule: 'grant-to-anon', severity: 'info' }),
    ];
    const run = parse(findings).runs[0]!;
    const ids = run.tool.driver.rules.map((rule) => rule.id);
    expect(ids).toEqual(['syntax', 'grant-to-anon', 'unused-ignore']);
    expect(ids).toEqual(RULE_IDS.filter((id) => ids.includes(id)));
    expect(run.tool.driver.rules[0]).toEqual({ id: 'syntax', helpUri: 'docs/rules/syntax.md' });
    expect(run.results.map((result) => result.ruleId)).toEqual(['unused-ignore', 'syntax', 'unused-ignore', 'grant-to-anon']);
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
    }
  });

  it('levels: error -> error, warning -> warning, info -> note', () => {
    const run = parse([finding(), finding({ severity: 'warning' }), finding({ severity: 'info' })]).runs[0]!;
    expect(run.results.map((result) => result.level)).toEqual(['error', 'warning', 'note']);
  });

  it('location: the file as URI and a 1-based region with start and end', () => {
    const [result] = parse([finding()]).runs[0]!.results;
    expect(result!.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'migration_history/2025-01-01_01_add_visit_note.sql' },
          region: { startLine: 21, startColumn: 3, endLine: 22, endColumn: 9 },
        },
      },
    ]);
  });

  it('a suggestion becomes a fix replacing the finding region', () => {
    const results = parse([finding(), finding({ suggestion: { sql: 'DROP TABLE IF EXISTS t' } })]).runs[0]!.results as Record<string, any>[];
    expect(results[0]!.fixes).toBeUndefined();
    expect(results[1]!.fixes).toEqual([
      {
        description: { text: 'Replace the statement with the suggested SQL' },
        artifactChanges: [
          {
            artifactLocation: { uri: results[1]!.locations[0].physicalLocation.artifactLocation.uri },
            replacements: [{ deletedRegion: results[1]!.locations[0].physicalLocation.region, insertedContent: { text: 'DROP TABLE IF EXISTS t' } }],
          },
        ],
      },
    ]);
  });

  it('message text includes the hint when there is one', () => {
    const results = parse([finding(), finding({ hint: 'remove it' })]).runs[0]!.results;
    expect(results.map((result) => result.message.text)).toEqual(['BEGIN at top level', 'BEGIN at top level Fix: remove it']);
  });

  it('no findings: an empty rules list and no results', () => {
    const run = parse([]).runs[0]!;
    expect(run.tool.driver.rules).toEqual([]);
    expect(run.results).toEqual([]);
  });

  it('is pretty JSON ending with a newline', () => {
    const out = sarif([finding()], context);
    expect(out.endsWith('}\n')).toBe(true);
    expect(out).toContain('\n  "version": "2.1.0"');
  });
});

describe('sarif for findings that are not lint rules', () => {
  it('lists check, deep and shadow ids as rules with their docs, so every result has a rule index', () => {
    const finding = (rule: string) => ({ file: 'current_schema/01.sql', line: 3, column: 1, endLine: 3, endColumn: 1, rule, severity: 'error' as const, message: 'm' });
    const log = JSON.parse(sarif([finding('schema-out-of-sync'), finding('shadow-defined-later')], { source: () => undefined, color: false, filesLinted: 1, toolVersion: '0.1.0' }));
    const run = log.runs[0];
    expect(run.tool.driver.rules).toEqual([
      { id: 'schema-out-of-sync', helpUri: 'docs/rules/schema-out-of-sync.md' },
      { id: 'shadow-defined-later', helpUri: 'docs/shadow.md#shadow-defined-later' },
    ]);
    expect(run.results.map((result: { ruleIndex: number }) => result.ruleIndex)).toEqual([0, 1]);
  });
});

describe('sarif for shadow root causes', () => {
  it('lists the statements counted under a root cause as related locations, with their number in properties', () => {
    const rootCause = {
      ...finding({ file: 'current_schema/01_broken.sql', line: 4, column: 3, endLine: 4, endColumn: 3, rule: 'shadow-statement-failed' }),
      statements: [
        { file: 'current_schema/01_broken.sql', line: 7, column: 1 },
        { file: 'current_schema/02_more.sql', line: 3, column: 5 },
      ],
      workedAround: false,
    } as Finding;
    const [result, plain] = parse([rootCause, finding()]).runs[0]!.results as Record<string, any>[];
    expect(result!.relatedLocations).toEqual([
      { id: 1, physicalLocation: { artifactLocation: { uri: 'current_schema/01_broken.sql' }, region: { startLine: 7, startColumn: 1 } }, message: { text: 'failed only because of this finding (current_schema/01_broken.sql:4)' } },
      { id: 2, physicalLocation: { artifactLocation: { uri: 'current_schema/02_more.sql' }, region: { startLine: 3, startColumn: 5 } }, message: { text: 'failed only because of this finding (current_schema/01_broken.sql:4)' } },
    ]);
    expect(result!.properties).toEqual({ countedStatements: 2 });
    expect(plain).not.toHaveProperty('relatedLocations');
    expect(plain).not.toHaveProperty('properties');
  });
});
