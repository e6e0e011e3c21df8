import { describe, expect, it } from 'vitest';
import {
  bracketedAbbreviation, distinctiveWords, initialsOf, normalizeVictimName, shareDistinctiveWord, splitPlaceFromName, withoutBrackets,
} from '../../src/incidents/victim-name.js';

// The name helpers one by one; test/incidents/victim-resolution-branches.test.ts shows what they decide.
describe('normalizing a victim name', () => {
  it.each([
    // A government word first with "of", or last, is the government; anywhere else it is part of the name.
    ['City of Baltimore', 'baltimore city', 'baltimore', 'city'],
    ['Baltimore County', 'baltimore county', 'baltimore', 'county'],
    ['Town of Wellington', 'wellington town', 'wellington', 'town'],
    ['Village of Key Biscayne', 'key biscayne village', 'key biscayne', 'village'],
    ['Township of Lower Merion', 'lower merion township', 'lower merion', 'township'],
    ['Borough of Manhattan', 'manhattan borough', 'manhattan', 'borough'],
    ['Parish of Orleans', 'orleans parish', 'orleans', 'parish'],
    ['State of Oregon', 'oregon state', 'oregon', 'state'],
    ['Oregon State', 'oregon state', 'oregon', 'state'],
    ['State Farm Insurance', 'state farm insurance', 'state farm insurance', null],
    ['County Line Bank', 'county line bank', 'county line bank', null],
    ['City National Bank', 'city national bank', 'city national bank', null],
    ['Washington State University', 'washington state university', 'washington state university', null],
    // Too short to hold a government and a name.
    ['City of', 'city of', 'city of', null],
    ['City', 'city', 'city', null],
    ['The City', 'city', 'city', null],
    ['The', 'the', 'the', null],
    // Country initials at the start read as the country; alone they stay a name.
    ['U.S. Bank', 'united states bank', 'united states bank', null],
    ['US Postal Service', 'united states postal service', 'united states postal service', null],
    ['USA Swimming', 'united states swimming', 'united states swimming', null],
    ['UK Biobank', 'united kingdom biobank', 'united kingdom biobank', null],
    ['The U.S. Department of Veterans Affairs', 'united states department of veterans affairs', 'united states department of veterans affairs', null],
    ['UK', 'uk', 'uk', null],
    ['Kmart US', 'kmart us', 'kmart us', null],
    // Legal forms go, as many as are stacked, but a name is never emptied.
    ['Acme Holdings Inc. Ltd.', 'acme holdings', 'acme holdings', null],
    ['Sony Pictures Entertainment, Inc.', 'sony pictures entertainment', 'sony pictures entertainment', null],
    ['Ahold Delhaize N.V.', 'ahold delhaize', 'ahold delhaize', null],
    ['LLC', 'llc', 'llc', null],
    ['Inc Co', 'inc', 'inc', null],
    ['Target Corporation (TGT)', 'target', 'target', null],
    ['AT&T', 'at and t', 'at and t', null],
    ["Oregon's Department of Human Services", 'oregon department of human services', 'oregon department of human services', null],
    ['Oregon’s Health Authority', 'oregon health authority', 'oregon health authority', null],
    ['Städtisches Klinikum', 'stadtisches klinikum', 'stadtisches klinikum', null],
    ['a.s. Skoda', 'as skoda', 'as skoda', null],
    ['  Co-op   Group!  ', 'co op group', 'co op group', null],
  ])('GIVEN %j THEN %j, core %j, government word %j', (name, normalized, core, governmentWord) => {
    expect(normalizeVictimName(name)).toEqual({ normalized, core, governmentWord });
  });

  it.each(['city', 'county', 'town', 'village', 'township', 'borough', 'parish', 'state'])('GIVEN "%s of Pineport" and "Pineport %s" THEN one government of Pineport', (word) => {
    const expected = { normalized: `pineport ${word}`, core: 'pineport', governmentWord: word };
    expect(normalizeVictimName(`${word} of Pineport`)).toEqual(expected);
    expect(normalizeVictimName(`Pineport ${word}`)).toEqual(expected);
  });

  it.each(['inc', 'incorporated', 'corp', 'corporation', 'co', 'company', 'llc', 'ltd', 'limited', 'plc', 'gmbh', 'ag', 'sa', 'nv', 'bv', 'lp', 'llp',
    'as', 'sro', 'srl', 'spa', 'oy', 'ab', 'pty', 'pvt'])('GIVEN "Pineport Foods %s" THEN the legal form goes', (suffix) => {
    expect(normalizeVictimName(`Pineport Foods ${suffix}`).normalized).toBe('pineport foods');
  });
});

describe('abbreviations, initials and brackets', () => {
  it.each([
    ['National Security Agency (NSA)', 'NSA'],
    ['Federal Bureau of Investigation (FBI)', 'FBI'],
    ['Marks & Spencer (M&S)', 'M&S'],
    ['Acme (N.S.A.)', 'N.S.A.'],
    ['Office of Personnel Management (OPM) ', 'OPM'],
    ['Acme ( NSA )', 'NSA'],
    ['University of California, Los Angeles (UCLA Health)', 'UCLA Health'],
    ['(NSA)', 'NSA'],
    ['Acme (12)', '12'],
    // Not an abbreviation: a bracket inside the name, a single letter, too long, or no letters.
    ['Acme (Europe) Ltd', null],
    ['Acme (NSA) Inc', null],
    ['Acme (X)', null],
    ['Acme (. .)', null],
    ['Acme (The Very Long Name Co)', null],
    ['Acme', null],
  ])('GIVEN %j THEN the abbreviation is %j', (name, abbreviation) => {
    expect(bracketedAbbreviation(name)).toBe(abbreviation);
  });

  it.each([
    ['University of California, Los Angeles', 'ucla'],
    ['National Security Agency (NSA)', 'nsa'],
    ['Federal Bureau of Investigation', 'fbi'],
    ['Marks & Spencer Group', 'msg'],
    ['Acme Widgets Holding Inc', 'awh'],
    ['University at Buffalo, The State University', 'ubsu'],
    ['Bank for International Settlements', 'bis'],
    ['Center on Budget and Policy Priorities', 'cbpp'],
    ['Women in Technology International', 'wti'],
    ['A Place for Mom', null],
    ['Bank of America', null],
    ['The Home Depot', null],
    ['Department of the Treasury', null],
    ['Bank and Trust', null],
  ])('GIVEN %j THEN its initials are %j', (name, initials) => {
    expect(initialsOf(name)).toBe(initials);
  });

  it.each([
    ['National Security Agency (NSA)', 'National Security Agency'],
    ['Acme ( x )  ', 'Acme'],
    ['Acme(NSA)', 'Acme'],
    ['(NSA)', '(NSA)'],
    ['Acme (Europe) Ltd', 'Acme (Europe) Ltd'],
    ['Acme (a(b))', 'Acme (a(b))'],
    ['Acme (a bracket of more than forty characters, too long)', 'Acme (a bracket of more than forty characters, too long)'],
    ['  Acme  ', 'Acme'],
  ])('GIVEN %j THEN without its bracket %j', (name, bare) => {
    expect(withoutBrackets(name)).toBe(bare);
  });
});

describe('a place written after a name', () => {
  it.each([
    ['Paris, France', { name: 'Paris', region: null, country: 'FR' }],
    ['Paris, TX', { name: 'Paris', region: 'TX', country: 'US' }],
    [' Paris , TX ', { name: 'Paris', region: 'TX', country: 'US' }],
    ['London, UK', { name: 'London', region: null, country: 'GB' }],
    ['Atlanta, GA, US', { name: 'Atlanta', region: 'GA', country: 'US' }],
    ['Atlanta, Georgia, USA', { name: 'Atlanta', region: 'GA', country: 'US' }],
    // A US state wins over the country of the same name; an explicit country field settles it.
    ['Atlanta, Georgia', { name: 'Atlanta', region: 'GA', country: 'US' }],
    // A state after a foreign country is no US state: the name keeps it.
    ['Odessa, TX, Ukraine', { name: 'Odessa, TX', region: null, country: 'UA' }],
    ['Acme, Ontario, Canada', { name: 'Acme, Ontario', region: null, country: 'CA' }],
    // One region and one country at most: a second stays in the name.
    ['Acme, CA, TX', { name: 'Acme, CA', region: 'TX', country: 'US' }],
    ['Acme, France, Germany', { name: 'Acme, France', region: null, country: 'DE' }],
    ['Acme, Texas ,', { name: 'Acme, Texas ,', region: null, country: null }],
    ['Georgia', { name: 'Georgia', region: null, country: null }],
  ])('GIVEN %j THEN %o', (typed, expected) => {
    expect(splitPlaceFromName(typed)).toEqual(expected);
  });
});

describe('names that share a distinctive word', () => {
  it.each([
    ['university of pittsburgh medical center', 'stanford university medical center', false],
    ['pittsburgh', 'stanford', false],
    ['acme', 'acne', false],
    ['odessa city', 'odesa', true],
    ['odessa city', 'odessa county', true],
    ['pineport school district', 'pinport schools', true],
    ['springfield', 'sprngfield', true],
    // One distinctive word in common is enough, whichever side has more.
    ['pineport water district', 'pineport', true],
    ['pineport', 'pineport water district', true],
    // 3 of 5 letter pairs shared is 0.6, the least that counts as a near spelling.
    ['sutton', 'sutter', true],
    ['carson', 'carter', false],
    // A letter pair counts once however often it repeats: "coco" has "co" twice, "co" once.
    ['coco', 'co', false],
    // Names of common words only are left to the caller's similarity: either side.
    ['university medical center', 'stanford university', true],
    ['stanford university', 'university medical center', true],
    ['bank of america', 'america first credit union', true],
  ])('GIVEN %j and %j THEN %s', (a, b, shared) => {
    expect(shareDistinctiveWord(a, b)).toBe(shared);
  });

  it.each([
    ['pineport school district', ['pineport']],
    ['john q public library', ['john']],
    ['university of pittsburgh medical center', ['pittsburgh']],
    ['first american bank', ['first']],
    ['university medical center', []],
  ])('GIVEN %j THEN the distinctive words are %o', (normalized, words) => {
    expect(distinctiveWords(normalized)).toEqual(words);
  });

  // Words many victims' names share: none makes two names alike.
  it.each(['of', 'the', 'and', 'for', 'at', 'in', 'a', 'university', 'college', 'school', 'schools', 'district', 'medical',
    'center', 'centre', 'hospital', 'hospitals', 'health', 'healthcare', 'system', 'systems', 'services', 'service', 'clinic', 'bank',
    'group', 'department', 'dept', 'office', 'international', 'national', 'community', 'state', 'county', 'city', 'town', 'village',
    'regional', 'general', 'memorial', 'insurance', 'financial', 'credit', 'union', 'public', 'library', 'police', 'authority', 'board',
    'association', 'foundation', 'institute', 'technologies', 'technology', 'solutions', 'holdings', 'partners', 'global', 'us', 'usa', 'america', 'american',
  ])('GIVEN "%s" THEN it is no distinctive word', (word) => {
    expect(distinctiveWords(`pineport ${word} ${word}`)).toEqual(['pineport']);
  });
});
