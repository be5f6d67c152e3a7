/** CREATE / ALTER FUNCTION helpers: the function's `schema.name` key and its SECURITY DEFINER option. */
import type { PgNode } from '../../sql/types.js';

/** `schema.name` of a function name list; an unqualified function is taken to be in public. */
export function functionKey(name: PgNode[] | undefined): string {
  const parts = (name ?? []).map((part) => part.String?.sval as string);
  return parts.length === 1 ? `public.${parts[0]}` : parts.join('.');
}

/** True when a function's options (CREATE) or actions (ALTER) say SECURITY DEFINER. */
export function isSecurityDefiner(options: PgNode[] | undefined): boolean {
  return (options ?? []).some((option) => option.DefElem?.defname === 'security' && option.DefElem.arg?.Boolean?.boolval === true);
}
