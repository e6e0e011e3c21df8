import { parseCountry, parseUsState } from './places.js';

/** Words that name a kind of local government, as in "City of Odessa" / "Odessa city". */
const GOVERNMENT_WORDS = ['city', 'county', 'town', 'village', 'township', 'borough', 'parish', 'state'];

/** Legal-form suffixes that do not tell two organisations apart. */
const LEGAL_SUFFIXES = new Set(['inc', 'incorporated', 'corp', 'corporation', 'co', 'company', 'llc', 'ltd',
  'limited', 'plc', 'gmbh', 'ag', 'sa', 'nv', 'bv', 'lp', 'llp']);

export interface NormalizedVictimName {
  /** Lower-case, accent-free, punctuation-free, government word last: "odessa city". */
  normalized: string;
  /** The name without its government word: "odessa". Equal cores are near matches. */
  core: string;
  /** The government word, when the name has one: "city". */
  governmentWord: string | null;
}

/**
 * @example
 *   normalizeVictimName('City of Odessa').normalized // 'odessa city'
 *   normalizeVictimName('odessa city').normalized    // 'odessa city'
 *   normalizeVictimName('7-ELEVEN, INC.').normalized // '7 eleven'
 *   normalizeVictimName('County of Baltimore').core  // 'baltimore'
 */
export function normalizeVictimName(name: string): NormalizedVictimName {
  let words = plainWords(name);
  if (words[0] === 'the' && words.length > 1) words = words.slice(1);
  while (words.length > 1 && LEGAL_SUFFIXES.has(words[words.length - 1]!)) words = words.slice(0, -1);

  let governmentWord: string | null = null;
  const [first, second] = words;
  if (words.length > 2 && first && GOVERNMENT_WORDS.includes(first) && second === 'of') {
    governmentWord = first;
    words = [...words.slice(2), first];
  } else if (words.length > 1 && GOVERNMENT_WORDS.includes(words[words.length - 1]!)) {
    governmentWord = words[words.length - 1]!;
  }
  const normalized = words.join(' ');
  const core = governmentWord ? words.slice(0, -1).join(' ') : normalized;
  return { normalized, core, governmentWord };
}

/** A name as typed, split from a place written after it: "Odessa, TX" → Odessa in TX, US. */
export interface VictimNameWithPlace {
  name: string;
  region: string | null;
  country: string | null;
}

/**
 * @example
 *   splitPlaceFromName('Odessa, TX')       // { name: 'Odessa', region: 'TX', country: 'US' }
 *   splitPlaceFromName('Odesa, Ukraine')   // { name: 'Odesa', region: null, country: 'UA' }
 *   splitPlaceFromName('Acme, Inc.')       // { name: 'Acme, Inc.', region: null, country: null }
 */
export function splitPlaceFromName(typed: string): VictimNameWithPlace {
  const parts = typed.split(',').map((p) => p.trim());
  let region: string | null = null;
  let country: string | null = null;
  while (parts.length > 1) {
    const last = parts[parts.length - 1]!;
    const state: string | null = region === null ? parseUsState(last) : null;
    const nation: string | null = country === null ? parseCountry(last) : null;
    // A US state wins over a country of the same name ("CA", "Georgia"): an explicit
    // country field, which the caller prefers over these hints, settles the rest.
    if (state && (country === null || country === 'US')) {
      region = state;
      country = 'US';
    } else if (nation) {
      country = nation;
    } else {
      break;
    }
    parts.pop();
  }
  return { name: parts.join(', '), region, country };
}

function plainWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[\p{P}\p{S}\s]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}
