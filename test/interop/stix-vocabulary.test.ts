import { describe, expect, it } from 'vitest';
import { VICTIM_KINDS } from '../../src/db/schema.js';
import type { VictimKind } from '../../src/db/schema.js';
import { sectorFromNaics } from '../../src/interop/naics.js';
import { industrySectors } from '../../src/interop/stix-vocabulary.js';
import { INDUSTRY_SECTORS } from '../support/stix-schemas.js';

describe('industry-sector-ov from the ledger\'s sector and kind', () => {
  it.each<[string | null, VictimKind | null, string[]]>([
    ['local government', 'city', ['government-local']],
    ['local government / utility', 'city', ['government-local', 'utilities']],
    ['water utility', null, ['utilities', 'water']],
    ['public administration', 'government', ['government']],
    ['public administration', 'county', ['government-local']],
    ['public administration', 'state', ['government-regional']],
    ['finance and insurance', null, ['financial-services', 'insurance']],
    ['accommodation and food services', null, ['hospitality-leisure']],
    ['information', null, ['technology']],
    ['healthcare', 'hospital', ['healthcare']],
    ['education', 'university', ['education']],
    ['transportation', 'airport', ['transportation']],
    ['real estate', null, []],
    ['wholesale trade', 'company', []],
    [null, 'nonprofit', ['non-profit']],
    [null, null, []],
  ])('GIVEN sector %j and kind %j THEN %j', (sector, kind, expected) => {
    expect(industrySectors(sector, kind)).toEqual(expected);
  });

  it('GIVEN every NAICS sector a VERIS import writes and every kind THEN only values of the vocabulary come out', () => {
    const naics = [...new Set(Array.from({ length: 90 }, (_, n) => sectorFromNaics(String(n + 10))).filter((x) => x !== null))];
    expect(naics).toContain('public administration');
    const kinds = [null, ...VICTIM_KINDS];
    for (const sector of naics) for (const kind of kinds) for (const value of industrySectors(sector, kind)) expect(INDUSTRY_SECTORS, `${sector}/${kind}`).toContain(value);
  });
});
