import { withoutDisguise } from './look-alike-letters.js';
import { parseCountry, parseUsState } from './places.js';

/** Words that name a kind of local government, as in "City of Odessa" / "Odessa city". */
const GOVERNMENT_WORDS = ['city', 'county', 'town', 'village', 'township', 'borough', 'parish', 'state'];

/** Countries written by their initials at the start of a name. */
const COUNTRY_INITIALS: Record<string, string[]> = { us: ['united', 'states'], usa: ['united', 'states'], uk: ['united', 'kingdom'] };

/** Legal-form suffixes that do not tell two organisations apart. */
const LEGAL_SUFFIXES = new Set(['inc', 'incorporated', 'corp', 'corporation', 'co', 'company', 'llc', 'ltd',
  'limited', 'plc', 'gmbh', 'ag', 'sa', 'nv', 'bv', 'lp', 'llp', 'as', 'sro', 'srl', 'spa', 'oy', 'ab', 'pty', 'pvt']);

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
  let words = plainWords(withoutBrackets(name));
  if (words[0] === 'the' && words.length > 1) words = words.slice(1);
  // "U.S. Postal Service" is the "United States Postal Service".
  if (words.length > 1 && COUNTRY_INITIALS[words[0]!]) words = [...COUNTRY_INITIALS[words[0]!]!, ...words.slice(1)];
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

/** Words left out of an organisation's initials. */
const FILLER = new Set(['of', 'the', 'and', 'for', 'at', 'in', 'on', 'a']);

/**
 * The abbreviation written in brackets after a name, an alias of it.
 *
 * @example
 *   bracketedAbbreviation('National Security Agency (NSA)') // 'NSA'
 *   bracketedAbbreviation('Acme (Europe) Ltd')              // null
 */
export function bracketedAbbreviation(name: string): string | null {
  const bracketed = /\(([\p{L}\d.&\s]{2,12})\)\s*$/u.exec(name)?.[1]?.trim();
  return bracketed && plainWords(bracketed).join('').length >= 2 ? bracketed : null;
}

/**
 * The initials of a name of three or more words, as organisations are known by them.
 *
 * @example
 *   initialsOf('University of California, Los Angeles') // 'ucla'
 *   initialsOf('Bank of America')                       // null
 */
export function initialsOf(name: string): string | null {
  const words = plainWords(withoutBrackets(name)).filter((w) => !FILLER.has(w) && !LEGAL_SUFFIXES.has(w));
  return words.length >= 3 ? words.map((w) => w[0]).join('') : null;
}

/** The name without an abbreviation in brackets after it: "National Security Agency (NSA)" → "National Security Agency". */
export function withoutBrackets(name: string): string {
  return name.replace(/\s*\([^()]{1,40}\)\s*$/u, '').trim() || name;
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
 *   splitPlaceFromName('Acme,Inc')         // { name: 'Acme,Inc', region: null, country: null }
 */
export function splitPlaceFromName(typed: string): VictimNameWithPlace {
  const parts = typed.split(',');
  let region: string | null = null;
  let country: string | null = null;
  while (parts.length > 1) {
    const last = parts[parts.length - 1]!.trim();
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
  // What is left is the name as sent: "Acme,Inc" stays "Acme,Inc".
  return { name: parts.join(',').trim(), region, country };
}

function plainWords(text: string): string[] {
  // "Сity of Odessa" with a Cyrillic С, or with a zero-width space, is the City of Odessa.
  return withoutDisguise(text.normalize('NFKD').replace(/\p{M}/gu, ''))
    .toLowerCase()
    // "Oregon's" is "oregon"; "a.s." and "U.S." are one word each.
    .replace(/['’]s\b/g, '')
    .replace(/\./g, '')
    .replace(/&/g, ' and ')
    .replace(/[\p{P}\p{S}\s]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}

/** Words many victims' names share; they do not make two names alike. */
const GENERIC = new Set(['of', 'the', 'and', 'for', 'at', 'in', 'a', 'university', 'college', 'school', 'schools', 'district', 'medical',
  'center', 'centre', 'hospital', 'hospitals', 'health', 'healthcare', 'system', 'systems', 'services', 'service', 'clinic', 'bank',
  'group', 'department', 'dept', 'office', 'international', 'national', 'community', 'state', 'county', 'city', 'town', 'village',
  'regional', 'general', 'memorial', 'insurance', 'financial', 'credit', 'union', 'public', 'library', 'police', 'authority', 'board',
  'association', 'foundation', 'institute', 'technologies', 'technology', 'solutions', 'holdings', 'partners', 'global', 'us', 'usa', 'america', 'american']);

/**
 * Whether two normalized names share a word that tells them apart from others
 * ("pittsburgh", "odessa", or near spellings of one such as "odesa"): "University of
 * Pittsburgh Medical Center" and "Stanford University Medical Center" do not. Names
 * made only of common words are left to the caller's similarity.
 */
export function shareDistinctiveWord(a: string, b: string): boolean {
  const [wa, wb] = [distinctiveWords(a), distinctiveWords(b)];
  if (wa.length === 0 || wb.length === 0) return true;
  return wa.some((x) => wb.some((y) => x === y || bigramSimilarity(x, y) >= 0.6));
}

/** The words of a normalized name that tell it apart: "pineport school district" → ["pineport"]. */
export function distinctiveWords(normalized: string): string[] {
  return normalized.split(' ').filter((w) => w.length > 1 && !GENERIC.has(w));
}

/** Dice coefficient of letter pairs: "odessa"/"odesa" 0.89, "pittsburgh"/"stanford" 0. */
function bigramSimilarity(a: string, b: string): number {
  const pairs = (s: string) => Array.from({ length: Math.max(s.length - 1, 0) }, (_, i) => s.slice(i, i + 2));
  const pa = pairs(a);
  const pb = pairs(b);
  if (pa.length === 0 || pb.length === 0) return a === b ? 1 : 0;
  const counts = new Map<string, number>();
  for (const p of pb) counts.set(p, (counts.get(p) ?? 0) + 1);
  let shared = 0;
  for (const p of pa) {
    const n = counts.get(p) ?? 0;
    if (n > 0) {
      shared += 1;
      counts.set(p, n - 1);
    }
  }
  return (2 * shared) / (pa.length + pb.length);
}

/** Spanish words of a public body's name, in English: Puerto Rico's agencies are named in both languages. */
const SPANISH = new Map(Object.entries({
  departamento: 'department', salud: 'health', de: 'of', del: 'of', la: 'the', el: 'the', los: 'the', las: 'the', y: 'and', hacienda: 'treasury', educacion: 'education',
  justicia: 'justice', policia: 'police', trabajo: 'labor', familia: 'family', vivienda: 'housing', transportacion: 'transportation',
  oficina: 'office', administracion: 'administration', autoridad: 'authority', gobierno: 'government', municipio: 'municipality',
}));

/** Bodies named "<body> of <place>" as often as "<place> <body>". */
const PUBLIC_BODY = new Set(['department', 'office', 'administration', 'authority', 'government', 'municipality', 'ministry', 'police']);

/**
 * Other spellings of one public body's normalized name: in English when written in
 * Spanish, and with its place in front ("department of health of puerto rico" is
 * "puerto rico department of health"). A university or company "of Texas" is left
 * alone: "Texas University" is another school.
 *
 * @example
 *   spellingVariants('departamento de salud de puerto rico') // ['department of health of puerto rico', 'puerto rico department of health']
 */
export function spellingVariants(normalized: string): string[] {
  const words = normalized.split(' ');
  const english = words.map((w) => SPANISH.get(w) ?? w);
  // Only a public body's name: "La Quinta" and "El Paso" are no "The Quinta" or "Paso".
  if (!PUBLIC_BODY.has(english[0]!)) return [];
  const variants = [english.join(' ')];
  const of = english.lastIndexOf('of');
  const place = english.slice(of + 1).join(' ');
  if (of > 0 && (parseUsState(place) || parseCountry(place))) {
    variants.push([...english.slice(of + 1), ...english.slice(0, of)].join(' '));
  }
  return [...new Set(variants)].filter((v) => v !== normalized);
}
