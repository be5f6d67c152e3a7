/** CREATE / ALTER FUNCTION helpers: the function's `schema.name` key and its SECURITY DEFINER option. */
import type { PgNode } from '../../sql/types.js';
import { nodeOf, nodesOf } from '../../sql/nodes.js';
import { namesKey, strings } from './names.js';

/**
 * `schema.name` of a function name list, without argument types (catalog/identity.ts's
 * `functionKey` adds them); an unqualified function is taken to be in public.
 */
export function functionNameKey(name: PgNode[] | undefined): string {
  return namesKey(strings(name));
}

/** True when a function's options (CREATE) or actions (ALTER) say SECURITY DEFINER. */
export function isSecurityDefiner(options: PgNode[] | undefined): boolean {
  return nodesOf(options, 'DefElem').some((option) => option.defname === 'security' && nodeOf(option.arg, 'Boolean')?.boolval === true);
}
