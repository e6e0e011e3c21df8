import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/incidents/incident-view.js';
import { parsePartialDate, periodEnd } from '../../src/incidents/partial-date.js';
import { ordinalWord, othersAmong, verdictOf } from '../../src/incidents/repeat-breach.js';
import { certaintyOf, possibleBecause } from '../../src/incidents/repeat-window.js';
import { ANYONE, OPERATOR } from '../../src/trust/tlp.js';
import type { Viewer } from '../../src/trust/tlp.js';
import { WINDOW_EDGES } from './window-edges.js';

/** A start as the ledger stores it: "2019" is 2019-01-01 until 2019-12-31. */
const start = (text: string) => {
  const started = parsePartialDate(text)!;
  return { started, startedUntil: periodEnd(started) };
};

describe('the repeat rule in code', () => {
  it.each(WINDOW_EDGES)('GIVEN %s and %s within %i days THEN %s, in either order', (earlier, later, windowDays, expected) => {
    expect(certaintyOf(start(earlier), start(later), windowDays)).toBe(expected);
    expect(certaintyOf(start(later), start(earlier), windowDays)).toBe(expected);
  });

  it.each([
    ['year', 'day', 'dates known only to the year'],
    ['day', 'year', 'dates known only to the year'],
    ['month', 'day', 'dates known only to the month'],
    ['day', 'month', 'dates known only to the month'],
    ['month', 'year', 'dates known only to the year'],
  ])('GIVEN a %s and a %s THEN "%s"', (a, b, because) => {
    expect(possibleBecause({ started: { precision: a } }, { started: { precision: b } })).toBe(because);
  });
});

describe('the verdict\'s others among incidents already read (a report\'s nearby ones)', () => {
  const references = (incidents: Incident[]) => incidents.map((i) => i.reference);

  it.each(WINDOW_EDGES)('GIVEN %s and %s within %i days THEN the other only when %s, judging either one', (earlier, later, windowDays, expected) => {
    const [a, b] = [incident(earlier), incident(later)];
    expect(othersAmong(a, [a, b], windowDays)).toEqual(expected ? [b] : []);
    expect(othersAmong(b, [a, b], windowDays)).toEqual(expected ? [a] : []);
  });

  it('GIVEN others within the window THEN oldest first, the earlier stored first on the same day', () => {
    const judged = incident('2020-08-15');
    const [late, early, sameDayFirst, sameDaySecond] = [incident('2020-07-01'), incident('2020-01-10'), incident('2020-03-03'), incident('2020-03-03')];
    expect(references(othersAmong(judged, [sameDaySecond, late, judged, early, sameDayFirst], 365)))
      .toEqual(references([early, sameDayFirst, sameDaySecond, late]));
  });

  it('GIVEN another victim\'s incident, a joined report or a retracted incident THEN none of them counts', () => {
    const judged = incident('2020-08-15');
    const others = [incident('2020-08-01', { victimId: 2 }), incident('2020-08-01', { mergedInto: 99 }), incident('2020-08-01', { retractedAt: new Date('2020-09-01T00:00:00Z') })];
    expect(othersAmong(judged, others, 365)).toEqual([]);
    expect(othersAmong(judged, [...others, incident('2020-08-01')], 365)).toHaveLength(1);
  });

  it('GIVEN an AMBER incident on either side THEN a viewer who may not see it hears of no repeat; the operator does', () => {
    const amber = (date: string) => incident(date, { tlp: 'amber', reportedBy: { platform: 'slack', workspace: 'T1', user: 'ana', userId: 'U1' } });
    const pairs: [Incident, Incident][] = [[incident('2020-08-15'), amber('2020-08-01')], [amber('2020-08-15'), incident('2020-08-01')]];
    const sameWorkspace: Viewer = { upTo: 'amber', workspace: 'T1', red: 'none' };
    for (const [judged, other] of pairs) {
      expect(othersAmong(judged, [other], 365, ANYONE)).toEqual([]);
      expect(othersAmong(judged, [other], 365, { ...sameWorkspace, workspace: 'T2' })).toEqual([]);
      expect(othersAmong(judged, [other], 365, sameWorkspace)).toEqual([other]);
      expect(othersAmong(judged, [other], 365, OPERATOR)).toEqual([other]);
      expect(othersAmong(judged, [other], 365)).toEqual([other]);
    }
  });
});

describe('ordinals', () => {
  it.each([
    [1, '1st'], [2, '2nd'], [3, '3rd'], [4, '4th'], [9, '9th'], [10, '10th'],
    [11, '11th'], [12, '12th'], [13, '13th'], [14, '14th'],
    [21, '21st'], [22, '22nd'], [23, '23rd'], [101, '101st'], [102, '102nd'],
    [111, '111th'], [112, '112th'], [113, '113th'], [211, '211th'],
  ])('GIVEN %i THEN %s', (n, word) => expect(ordinalWord(n)).toBe(word));
});

let nextId = 1;
/** An incident of the City of Odessa as loadIncidents gives it. */
function incident(startDate: string, more: Partial<Incident> = {}): Incident {
  const id = nextId++;
  return {
    id, reference: `INC-${startDate.slice(0, 4)}-${String(id).padStart(4, '0')}`, victimId: 1, ...start(startDate),
    ended: null, discovered: null, disclosed: null, title: '', summary: 'Card data skimmed.', description: null, vendor: null, vector: null,
    impact: [], motives: [], techniques: [], threatActors: [], recordsAffected: null, sources: [],
    reportedBy: { platform: 'cli', workspace: null, user: 'test-analyst', userId: null }, reportedAt: new Date('2021-01-01T00:00:00Z'),
    tlp: 'clear', revision: 1, retractedAt: null, externalId: null, mergedInto: null, reports: [], ...more,
  };
}

describe('the verdict on an incident and the others in its window', () => {
  it('GIVEN no other incident THEN the first, no certainty', () => {
    const verdict = verdictOf(incident('2020-08-15'), [], 365);
    expect(verdict).toMatchObject({ isRepeat: false, certainty: null, ordinal: 1, headline: 'first incident within 365 days', others: [], possibleOthers: [], possibleBecause: null });
  });

  it('GIVEN two earlier incidents surely within the window THEN certain, 3rd, both named', () => {
    const others = [incident('2019-08-27'), incident('2020-04')];
    const verdict = verdictOf(incident('2020-08-15'), others, 365);
    expect(verdict).toMatchObject({ isRepeat: true, certainty: 'certain', ordinal: 3, headline: '3rd incident within 365 days', possibleOthers: [], possibleBecause: null });
    expect(verdict.others).toBe(others);
  });

  it('GIVEN one certain and one possible other THEN certain, and the possible one is named as such', () => {
    const possible = incident('2019');
    const verdict = verdictOf(incident('2020-03-02'), [possible, incident('2020-01-10')], 365);
    expect(verdict).toMatchObject({ certainty: 'certain', ordinal: 3, headline: '3rd incident within 365 days', possibleOthers: [possible.reference], possibleBecause: null });
  });

  it('GIVEN only possible others THEN a possible repeat that says why', () => {
    const [year, month] = [incident('2014'), incident('2014-03')];
    const verdict = verdictOf(incident('2015-03-02'), [year, month], 365);
    expect(verdict).toMatchObject({
      isRepeat: true, certainty: 'possible', ordinal: 3, possibleOthers: [year.reference, month.reference],
      headline: 'possible repeat: 3rd incident within 365 days (dates known only to the year)', possibleBecause: 'dates known only to the year',
    });
    expect(verdictOf(incident('2015-03-02'), [month], 365)).toMatchObject({
      headline: 'possible repeat: 2nd incident within 365 days (dates known only to the month)', possibleBecause: 'dates known only to the month',
    });
  });

  it('GIVEN vendors, techniques and actors seen before THEN each named once, as the earlier records spell it, and nothing unshared', () => {
    const others = [
      incident('2019-08-27', { vendor: 'Click2Gov', techniques: ['T1190', 'T1059'], threatActors: ['FIN7'] }),
      incident('2020-04', { vendor: 'CLICK2GOV', techniques: ['T1190'], threatActors: ['fin7', 'Magecart'] }),
      incident('2020-05', { vendor: 'Tyler Technologies', techniques: ['T1566'], threatActors: ['APT28'] }),
    ];
    const verdict = verdictOf(incident('2020-08-15', { vendor: 'click2gov', techniques: ['T1190', 'T1505'], threatActors: ['Fin7', 'Magecart'] }), others, 365);
    expect(verdict.sharedVendors).toEqual(['Click2Gov']);
    expect(verdict.sharedTechniques).toEqual(['T1190']);
    expect(verdict.sharedThreatActors).toEqual(['FIN7', 'Magecart']);
    expect(verdictOf(incident('2020-08-15'), others, 365)).toMatchObject({ sharedVendors: [], sharedTechniques: [], sharedThreatActors: [] });
    // Neither names a vendor: none is shared.
    expect(verdictOf(incident('2020-08-15'), [incident('2020-04')], 365).sharedVendors).toEqual([]);
  });

  it('GIVEN another window THEN the headline names it', () => {
    expect(verdictOf(incident('2020-08-15'), [incident('2020-07-01')], 90).headline).toBe('2nd incident within 90 days');
  });
});
