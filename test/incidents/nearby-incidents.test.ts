import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerDatabase } from '../../src/db/database.js';
import { nearbyIncidents } from '../../src/incidents/nearby-incidents.js';
import { parseSubmission } from '../../src/incidents/submission.js';
import { createLedger } from '../../src/ledger.js';
import type { Ledger } from '../../src/ledger.js';
import { ANYONE, OPERATOR } from '../../src/trust/tlp.js';
import type { Viewer } from '../../src/trust/tlp.js';
import { backends, freshDatabase } from '../support/databases.js';
import { analyst, submission } from '../support/submissions.js';

/** The day `days` after (or before) 'YYYY-MM-DD'. */
const shift = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

// A report of 2020-04-15 reads the incidents that may be the same event (starting at most
// two years after its end, their start intervals at most two years before its start, five
// for a breach register's copy) and those possibly within the repeat window: one read for both.
const REPORTED = '2020-04-15';
const PORTAL = 'https://ocrportal.hhs.gov/ocr/breach/breach_report.jsf';

describe.each(backends)('the incidents a report is judged among, read at once, on %s', (backend) => {
  let database: LedgerDatabase;
  let ledger: Ledger;
  let victimId: number;
  const stored = new Map<number, string>();

  const read = async (windowDays: number, more: Record<string, unknown> = {}, viewer: Viewer = OPERATOR) => {
    const s = parseSubmission(submission({ victim: { name: 'City of Odessa', id: victimId }, startDate: REPORTED, ...more }));
    const nearby = await nearbyIncidents(database.db, s, victimId, viewer, windowDays);
    return nearby.filter((i) => i.mergedInto === null).map((i) => stored.get(i.id)).sort();
  };

  beforeAll(async () => {
    database = await freshDatabase(backend);
    ledger = createLedger(database.db, { windowDays: 365 });
    const report = async (startDate: string, more: Record<string, unknown> = {}) => {
      const victim = victimId === undefined ? { name: 'City of Odessa', country: 'US', region: 'TX', kind: 'city', isNew: true } : { name: 'City of Odessa', id: victimId };
      const outcome = await ledger.report(submission({ victim, startDate, newIncident: true, ...more }), analyst, { alerts: false });
      victimId = outcome.victim.id;
      stored.set(outcome.incident.id, startDate);
      return outcome.incident;
    };
    // Each edge, a day inside and a day outside.
    for (const days of [-1826, -1825, -1001, -1000, -731, -730, 730, 731, 806, 807, 1000, 1001]) await report(shift(REPORTED, days));
    // A year's start interval ends on its last day: 2017 reaches to 2017-12-31, 836 days
    // before; 2018 starts before the two years back but reaches into them.
    await report('2017');
    await report('2018');
    // Another victim's incident on the same day is never read.
    await ledger.report(submission({ victim: { name: 'City of Oxnard', country: 'US', region: 'CA', kind: 'city', isNew: true }, startDate: REPORTED, newIncident: true }), analyst, { alerts: false });
  });
  afterAll(() => database.close());

  it('GIVEN a window shorter than two years THEN those within two years of its dates', async () => {
    expect(await read(365)).toEqual(['2018', shift(REPORTED, -730), shift(REPORTED, 730)].sort());
  });

  it('GIVEN an end date THEN the two years reach from its end', async () => {
    expect(await read(365, { endDate: shift(REPORTED, 76) })).toEqual(['2018', shift(REPORTED, -730), shift(REPORTED, 730), shift(REPORTED, 731), shift(REPORTED, 806)].sort());
  });

  it('GIVEN a breach register\'s copy THEN five years back', async () => {
    expect(await read(365, { sources: [PORTAL] })).toEqual([shift(REPORTED, -1825), shift(REPORTED, -1001), shift(REPORTED, -1000), '2017', '2018', shift(REPORTED, -731), shift(REPORTED, -730), shift(REPORTED, 730)].sort());
  });

  it('GIVEN a window longer than two years THEN everything possibly within it too, a year by its last day', async () => {
    expect(await read(1000)).toEqual([shift(REPORTED, -1000), '2017', '2018', shift(REPORTED, -731), shift(REPORTED, -730), shift(REPORTED, 730), shift(REPORTED, 731), shift(REPORTED, 806), shift(REPORTED, 807), shift(REPORTED, 1000)].sort());
    expect(await read(836)).toContain('2017');
    expect(await read(835)).not.toContain('2017');
    // Reported as 2020, the window reaches from 2020-12-31: 2023-01-11 is 741 days on.
    expect(await read(1000, { startDate: '2020' })).toContain(shift(REPORTED, 1001));
  });

  it('GIVEN a report joined to a nearby incident THEN it is read with it; GIVEN a viewer who may not see an incident THEN it is not read', async () => {
    const near = await ledger.report(submission({ victim: { name: 'City of Odessa', id: victimId }, startDate: shift(REPORTED, 10), newIncident: true, tlp: 'TLP:AMBER' }), analyst, { alerts: false });
    stored.set(near.incident.id, 'amber');
    const again = await ledger.report(submission({ victim: { name: 'City of Odessa', id: victimId }, startDate: shift(REPORTED, 10), sameAs: near.incident.reference, tlp: 'TLP:AMBER' }), analyst, { alerts: false });
    expect(again.joined?.report).toBeDefined();
    const s = parseSubmission(submission({ victim: { name: 'City of Odessa', id: victimId }, startDate: REPORTED }));
    const nearby = await nearbyIncidents(database.db, s, victimId, OPERATOR, 365);
    expect(nearby.filter((i) => i.mergedInto === near.incident.id).map((i) => i.reference)).toEqual([again.joined!.report]);
    expect(await read(365)).toContain('amber');
    expect(await read(365, {}, ANYONE)).not.toContain('amber');
    expect((await nearbyIncidents(database.db, s, victimId, ANYONE, 365)).some((i) => i.mergedInto === near.incident.id)).toBe(false);
  });
});
