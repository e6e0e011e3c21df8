import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerDatabase } from '../../src/db/database.js';
import { createLedger } from '../../src/ledger.js';
import type { Ledger } from '../../src/ledger.js';
import { backends, freshDatabase } from '../support/databases.js';
import { analyst, submission } from '../support/submissions.js';

// One name, two organisations; one organisation, two names (issue: "Victims").
describe.each(backends)('which victim a name means, on %s', (backend) => {
  let database: LedgerDatabase;
  let ledger: Ledger;
  let day = 0;
  // Each report a distinct event, so only the victim rule is under test.
  const victimOf = async (victim: Record<string, unknown>) => {
    day += 1;
    const outcome = await ledger.report(submission({ victim: { isNew: true, ...victim } as never, startDate: `2019-01-${String(day).padStart(2, '0')}`, newIncident: true }), analyst);
    return outcome.victim;
  };
  // Names that only resemble each other are asked about in chat; an import keeps them apart.
  const exactVictimOf = (victim: Record<string, unknown>) => victimOf({ ...victim, isNew: false });

  beforeAll(async () => {
    database = await freshDatabase(backend);
    ledger = createLedger(database.db, { windowDays: 365 });
  });
  afterAll(async () => {
    await database.close();
  });

  it('GIVEN one name in two states THEN two victims; GIVEN a large company in two states THEN one', async () => {
    const tx = await victimOf({ name: 'Valero', country: 'US', region: 'TX', kind: 'company' });
    const ca = await victimOf({ name: 'Valero', country: 'US', region: 'CA', kind: 'company' });
    expect(ca.id).not.toBe(tx.id);
    const wa = await victimOf({ name: 'Contoso Bank', country: 'US', region: 'WA', national: true });
    expect((await exactVictimOf({ name: 'Contoso Bank', country: 'US', region: 'CA' })).id).toBe(wa.id);
  });

  it('GIVEN two cities of one name, however large THEN two victims', async () => {
    const il = await victimOf({ name: 'City of Springfield', country: 'US', region: 'IL', national: true });
    const mo = await victimOf({ name: 'City of Springfield', country: 'US', region: 'MO', national: true });
    expect(mo.id).not.toBe(il.id);
  });

  it('GIVEN a name with its abbreviation in brackets THEN the abbreviation, and the name without it, find the victim', async () => {
    const nsa = await victimOf({ name: 'National Security Agency (NSA)', country: 'US' });
    expect((await exactVictimOf({ name: 'NSA', country: 'US' })).id).toBe(nsa.id);
    expect((await exactVictimOf({ name: 'National Security Agency', country: 'US', region: 'DC' })).id).toBe(nsa.id);
  });

  it('GIVEN a name known by its initials THEN the initials and "<initials> Health" find it', async () => {
    const ucla = await victimOf({ name: 'University of California, Los Angeles', country: 'US', region: 'CA' });
    expect((await exactVictimOf({ name: 'UCLA Health', country: 'US', region: 'CA' })).id).toBe(ucla.id);
  });

  it.each([
    ['a Cyrillic С', '\u0421ity of Odessa'],
    ['a zero-width space', 'City of Ode\u200bssa'],
    ['a Greek Ο', 'City of \u039fdessa'],
    ['a soft hyphen', 'City of Ode\u00adssa'],
    ['a zero-width joiner and a Cyrillic а, o and е', 'City of \u200dOd\u0435ss\u0430'],
  ])('GIVEN the City of Odessa and its name with %s, confirmed as new THEN it is the City of Odessa and no second victim is stored', async (_, lookAlike) => {
    const odessa = await exactVictimOf({ name: 'City of Odessa', country: 'US', region: 'TX' });
    const victims = await database.db.selectFrom('victims').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect((await victimOf({ name: lookAlike })).id).toBe(odessa.id);
    expect((await victimOf({ name: lookAlike, country: 'US', region: 'TX' })).id).toBe(odessa.id);
    const after = await database.db.selectFrom('victims').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(victims.n));
  });

  it('GIVEN Odesa in Ukraine written in Cyrillic THEN a victim of its own, not the City of Odessa', async () => {
    const odessa = await exactVictimOf({ name: 'City of Odessa', country: 'US', region: 'TX' });
    const odesa = await victimOf({ name: '\u041e\u0434\u0435\u0441\u0430', country: 'UA' });
    expect(odesa.id).not.toBe(odessa.id);
    expect(odesa.name).toBe('\u041e\u0434\u0435\u0441\u0430');
  });

  it('GIVEN "U.S." at the start of a national body\'s name in another state THEN the same victim', async () => {
    const usps = await victimOf({ name: 'United States Postal Service', country: 'US', region: 'DC' });
    expect((await exactVictimOf({ name: 'U.S. Postal Service', country: 'US', region: 'CA' })).id).toBe(usps.id);
  });
});
