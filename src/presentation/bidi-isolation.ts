// People's text among ours, in either writing direction (Unicode UAX #9). A name
// holding an unclosed RIGHT-TO-LEFT OVERRIDE (U+202E) turns the rest of its line
// around, and a right-to-left name pulls the numbers and dashes beside it to its side.
// So people's text is isolated (U+2068 FIRST STRONG ISOLATE … U+2069 POP DIRECTIONAL
// ISOLATE) where it meets ours, and every renderer keeps only the direction controls
// that are closed on the line that opens them.

const FSI = '\u2068';
const PDI = '\u2069';
const PDF = '\u202c';

/** What each opening control is closed by: embeddings and overrides by PDF, isolates by PDI. */
const CLOSER: Record<string, string> = {
  '\u202a': PDF, '\u202b': PDF, '\u202d': PDF, '\u202e': PDF,
  '\u2066': PDI, '\u2067': PDI, '\u2068': PDI,
};
const DIRECTION_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
/** Paragraph separators (bidi class B): each ends every embedding and isolate open before it. */
const PARAGRAPH_ENDS = new Set(['\n', '\r', '\u001c', '\u001d', '\u001e', '\u0085', '\u2029']);
/** Letters written right to left: the blocks UAX #9 gives class R or AL by default (DerivedBidiClass.txt), and the RLM. */
const RIGHT_TO_LEFT = /[\u0590-\u08ff\u200f\ufb1d-\ufdff\ufe70-\ufefe\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u;

/**
 * Where each direction control that is closed, in order, on its own line is closed:
 * opening index → closing index. Controls not in the map close nothing or are never closed.
 */
function pairsOf(text: string): Map<number, number> {
  const pairs = new Map<number, number>();
  let open: number[] = [];
  // Direction controls are single UTF-16 units: indexes never split an emoji.
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (CLOSER[c]) {
      open.push(i);
    } else if (c === PDF || c === PDI) {
      const top = open[open.length - 1];
      if (top !== undefined && CLOSER[text[top]!] === c) {
        open.pop();
        pairs.set(top, i);
      }
    } else if (PARAGRAPH_ENDS.has(c)) {
      open = [];
    }
  }
  return pairs;
}

/**
 * The text without the direction controls that are not closed, in order, on the line
 * that opens them, nor the closing ones that close nothing: what is left cannot turn
 * around anything after it.
 *
 * @example
 *   balancedBidi('Zorblat \u202etxet — 2nd incident') // 'Zorblat txet — 2nd incident'
 *   balancedBidi('\u202btext\u202c')                  // kept as it is
 */
export function balancedBidi(text: string): string {
  if (!DIRECTION_CONTROL.test(text)) return text;
  const pairs = pairsOf(text);
  const closers = new Set(pairs.values());
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (!DIRECTION_CONTROL.test(c) || pairs.has(i) || closers.has(i)) out += c;
  }
  return out;
}

/**
 * The start of `whole` cut at `end`, never inside an emoji, with
 * the closing controls of the pairs the cut split put back, all within `max` UTF-16
 * units (the cut made shorter when they do not fit): what follows the cut is not inside someone's isolate or override.
 * Controls that were never closed are left for balancedBidi.
 *
 * @example
 *   cutWithinPairs('Repeat breach: \u2068Odessa city\u2069', 22) // 'Repeat breach: \u2068Ode\u2069'
 */
export function cutWithinPairs(whole: string, max: number, end = max): string {
  let cut = whole.slice(0, Math.max(0, Math.min(end, max)));
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  if (!DIRECTION_CONTROL.test(cut)) return cut;
  const pairs = [...pairsOf(whole)].sort(([a], [b]) => a - b);
  for (;;) {
    // Still open at the cut, innermost last: closed innermost first.
    const closing = pairs.filter(([opening, closer]) => opening < cut.length && closer >= cut.length).map(([, closer]) => whole[closer]!);
    if (cut.length + closing.length <= max) return cut + closing.reverse().join('');
    cut = cut.slice(0, /[\uDC00-\uDFFF]$/.test(cut) ? -2 : -1);
  }
}

/**
 * People's text as it goes among ours: each line that holds right-to-left letters or
 * direction controls is isolated, so it reads the same and leaves our words alone.
 * Text without either is returned as it is.
 *
 * @example
 *   isolate('City of Odessa')            // 'City of Odessa'
 *   isolate('Zorblat \u202etxet')        // 'Zorblat txet' (the unclosed override taken out)
 *   isolate('\u05e9\u05dc\u05d5\u05dd Ltd') // '\u2068שלום Ltd\u2069'
 */
export function isolate(text: string): string {
  if (!DIRECTION_CONTROL.test(text) && !RIGHT_TO_LEFT.test(text)) return text;
  let out = '';
  let line = '';
  const isolated = (l: string) => {
    const balanced = balancedBidi(l);
    return DIRECTION_CONTROL.test(balanced) || RIGHT_TO_LEFT.test(balanced) ? `${FSI}${balanced}${PDI}` : balanced;
  };
  // An isolate ends with its line: each line is isolated on its own.
  for (const c of text) {
    if (PARAGRAPH_ENDS.has(c)) {
      out += isolated(line) + c;
      line = '';
    } else {
      line += c;
    }
  }
  return out + isolated(line);
}
