import { beforeAll, describe, expect, it } from 'vitest';
import { loadParser, parseSql } from '../../sql/index.js';
import { functionNameKey, isSecurityDefiner } from './functions.js';

beforeAll(async () => {
  await loadParser();
});

describe('functions', () => {
  it('keys functions by schema.name, unqualified ones in public', () => {
    const [plain, qualified, alter] = parseSql(`CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'select 1';
CREATE FUNCTION app.g() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'select 1';
ALTER FUNCTION app.g() SECURITY INVOKER;`).statements;
    expect(functionNameKey(plain!.node.funcname)).toBe('public.f');
    expect(functionNameKey(qualified!.node.funcname)).toBe('app.g');
    expect(functionNameKey(alter!.node.func.objname)).toBe('app.g');
    expect(isSecurityDefiner(plain!.node.options)).toBe(false);
    expect(isSecurityDefiner(qualified!.node.options)).toBe(true);
    expect(isSecurityDefiner(alter!.node.actions)).toBe(false);
  });
});
