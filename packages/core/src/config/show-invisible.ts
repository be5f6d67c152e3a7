/* No dependencies: the CLI loads this on its failure path. */

/**
 * Control, format (zero-width, bidi, BOM) and non-ASCII space characters: a message naming a key
 * or quoting JSON must not hide them, or "lock\u200bTimeout is not a known setting" reads as nonsense.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u3164\uffa0]/gu;

/** The text with each invisible character written as <U+XXXX> (line breaks and tabs kept). */
export function showInvisible(text: string): string {
  return text.replace(INVISIBLE, (char) => (char === '\n' || char === '\t' ? char : `<U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`));
}
