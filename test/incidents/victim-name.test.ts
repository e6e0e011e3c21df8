import { describe, expect, it } from 'vitest';
import { normalizeVictimName, splitPlaceFromName } from '../../src/incidents/victim-name.js';

describe('victim names', () => {
  it.each([
    ['City of Odessa', 'odessa city'],
    ['odessa city', 'odessa city'],
    ['Odessa City', 'odessa city'],
    ['County of Los Angeles', 'los angeles county'],
    ['Los Angeles County', 'los angeles county'],
    ['Microsoft Corporation', 'microsoft'],
    ['Microsoft Corp.', 'microsoft'],
    ['7-ELEVEN, INC.', '7 eleven'],
    ['7 Eleven', '7 eleven'],
    ['The Home Depot', 'home depot'],
    ['Crédit Agricole', 'credit agricole'],
  ])('GIVEN %j THEN it normalizes to %j', (name, normalized) => {
    expect(normalizeVictimName(name).normalized).toBe(normalized);
  });

  it('GIVEN City of Baltimore and County of Baltimore THEN they share a core but not a name', () => {
    const city = normalizeVictimName('City of Baltimore');
    const county = normalizeVictimName('County of Baltimore');
    expect(city.core).toBe(county.core);
    expect(city.normalized).not.toBe(county.normalized);
  });

  it.each([
    ['Odessa, TX', { name: 'Odessa', region: 'TX', country: 'US' }],
    ['Odessa, Texas, USA', { name: 'Odessa', region: 'TX', country: 'US' }],
    ['Odesa, Ukraine', { name: 'Odesa', region: null, country: 'UA' }],
    ['Acme, Inc.', { name: 'Acme, Inc.', region: null, country: null }],
    ['Acme,Inc', { name: 'Acme,Inc', region: null, country: null }],
    ['Acme,Inc, TX', { name: 'Acme,Inc', region: 'TX', country: 'US' }],
    ['City of Odessa', { name: 'City of Odessa', region: null, country: null }],
  ])('GIVEN %j THEN the place is split off as %o', (typed, expected) => {
    expect(splitPlaceFromName(typed)).toEqual(expected);
  });
});
