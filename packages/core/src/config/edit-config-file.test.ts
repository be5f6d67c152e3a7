import { describe, expect, it } from 'vitest';
import { setTopLevelKey } from './edit-config-file.js';

describe('setTopLevelKey: one key changes, every other byte stays', () => {
  it('replaces an existing value in place', () => {
    const text = '{\n    "$schema": "./schema.json",\n    "baseline":"2025-01-01_01" ,\n    "rules": {"header-present":"off"}\n}\n';
    expect(setTopLevelKey(text, 'baseline', '2025-10-10_04')).toBe(text.replace('"2025-01-01_01"', '"2025-10-10_04"'));
  });

  it('appends a new key after the last one, indented like it, keeping inline objects and key order', () => {
    const text = '{\n\t"environments": { "local": {}, "staging": { "urlEnv": "S" } },\n\t"rules": {"a":"off"}\n}';
    expect(setTopLevelKey(text, 'baseline', 'v')).toBe('{\n\t"environments": { "local": {}, "staging": { "urlEnv": "S" } },\n\t"rules": {"a":"off"},\n\t"baseline": "v"\n}');
  });

  it('keeps CRLF line endings and a byte order mark', () => {
    const text = '\uFEFF{\r\n  "a": 1\r\n}\r\n';
    expect(setTopLevelKey(text, 'baseline', 'v')).toBe('\uFEFF{\r\n  "a": 1,\r\n  "baseline": "v"\r\n}\r\n');
  });

  it('a one-line object stays on one line; an empty one gets the key on its own line', () => {
    expect(setTopLevelKey('{ "a": [1, "}"] }', 'baseline', 'v')).toBe('{ "a": [1, "}"], "baseline": "v" }');
    expect(setTopLevelKey('{}\n', 'baseline', 'v')).toBe('{\n  "baseline": "v"\n}\n');
  });

  it('a key spelled twice: the last one (the one JSON.parse keeps) changes; escapes and braces in strings are skipped', () => {
    const text = '{"baseline": "x", "note": "a \\" } { ", "b\\u0061seline": "y"}';
    const updated = setTopLevelKey(text, 'baseline', 'v');
    expect(updated).toBe('{"baseline": "x", "note": "a \\" } { ", "b\\u0061seline": "v"}');
    expect(JSON.parse(updated).baseline).toBe('v');
  });
});
