import unhomoglyph from 'unhomoglyph';

// Look-alike letters, after Unicode TR39 ("Unicode Security Mechanisms"): two names
// that look the same are the same name. `unhomoglyph` (MIT) carries TR39's
// confusables.txt as a map from each character to its prototype; two characters
// with one prototype look alike.

/** Characters that show nothing: zero-width spaces and joiners, the soft hyphen, bidi and other format controls, variation selectors. */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;

/** The ASCII letter or digit each prototype stands for: "O" for O, Greek Ο, Cyrillic О and the digit 0. */
const ASCII_BY_PROTOTYPE = new Map<string, string[]>();
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789') {
  const prototype = unhomoglyph(c);
  ASCII_BY_PROTOTYPE.set(prototype, [...(ASCII_BY_PROTOTYPE.get(prototype) ?? []), c]);
}

const isUpper = (c: string) => c !== c.toLowerCase();
const ASCII = /^[\x20-\x7e]*$/;

/** The ASCII letter (or digit) a character imitates, keeping its case: Cyrillic С → C, Cyrillic і → i, Cyrillic І → I. */
function asciiLookAlike(c: string): string | null {
  if (c < '\u0080') return c;
  const candidates = ASCII_BY_PROTOTYPE.get(unhomoglyph(c));
  if (!candidates) return null;
  const letters = candidates.filter((a) => /[A-Za-z]/.test(a));
  return letters.find((a) => isUpper(a) === isUpper(c)) ?? letters[0] ?? candidates[0]!;
}

/**
 * A word with its look-alike letters written in ASCII, when it imitates an ASCII word:
 * it mixes scripts ("Сity", a Cyrillic С among Latin letters) or every letter of it has
 * an ASCII look-alike ("АВВ", all Cyrillic). A word with letters of its own script
 * ("Одеса": д looks like no Latin letter) is left as it is.
 */
function asciiWord(word: string): string {
  const chars = [...word];
  const folded = chars.map((c) => asciiLookAlike(c) ?? c);
  const mixed = chars.some((c) => /[A-Za-z]/.test(c)) && chars.some((c) => c >= '\u0080');
  return mixed || ASCII.test(folded.join('')) ? folded.join('') : word;
}

/**
 * Text as a reader sees it, for telling names apart: invisible characters taken out and
 * letters that imitate ASCII ones replaced by them. Not for display.
 *
 * @example
 *   withoutDisguise('\u0421ity of Odessa')   // 'City of Odessa' (a Cyrillic С)
 *   withoutDisguise('City of Ode\u200bssa')  // 'City of Odessa' (a zero-width space)
 *   withoutDisguise('City of Ode\u00adssa')  // 'City of Odessa' (a soft hyphen)
 *   withoutDisguise('Одеса')                 // 'Одеса'
 */
export function withoutDisguise(text: string): string {
  return text.replace(INVISIBLE, '').replace(/[\p{L}\p{N}]+/gu, asciiWord);
}
