import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerDatabase } from '../../src/db/database.js';
import { createLedger } from '../../src/ledger.js';
import type { Ledger } from '../../src/ledger.js';
import { VictimNeedsConfirmation } from '../../src/incidents/report.js';
import { importHibp } from '../../src/interop/hibp.js';
import { backends, freshDatabase } from '../support/databases.js';

const breach = (name: string, day: string) => ({
  Name: name.replace(/\W/g, ''), Title: name, Domain: `${name.replace(/\W/g, '').toLowerCase()}.example`, BreachDate: day, AddedDate: `${day}T00:00:00Z`,
  PwnCount: 12_000, Description: `In ${day.slice(0, 4)}, ${name} lost its customer database.`, DataClasses: ['Email addresses', 'Passwords'],
  IsVerified: true, IsFabricated: false, IsSpamList: false, IsStealerLog: false,
});

describe.each(backends)('an imported victim near a known one, on %s', (backend) => {
  let database: LedgerDatabase;
  let ledger: Ledger;
  beforeAll(async () => {
    database = await freshDatabase(backend);
    ledger = createLedger(database.db, { windowDays: 365 });
  });
  afterAll(() => database.close());

  it('GIVEN a chat report THEN the person is asked; GIVEN an import THEN a new victim, reported back with the names it is near', async () => {
    const reporter = { platform: 'cli' as const, workspace: null, user: 'analyst' };
    await ledger.report({ victim: { name: 'Harborview Outfitters' }, summary: 'Card skimming on the web shop.', startDate: '2019-05', impact: ['confidentiality'] }, reporter);
    await expect(ledger.report({ victim: { name: 'Harborview Outfitter' }, summary: 'Passwords leaked.', startDate: '2020-01', impact: ['confidentiality'] }, reporter))
      .rejects.toBeInstanceOf(VictimNeedsConfirmation);

    const summary = await importHibp(ledger, JSON.stringify([breach('Harborview Outfitter', '2020-01-10'), breach('Quillmere Press', '2020-02-01')]));
    expect(summary).toMatchObject({ imported: 2, invalid: [] });
    expect(summary.nearMatches).toEqual([{ file: expect.stringContaining('Harborview') as unknown, victim: 'Harborview Outfitter', similarTo: ['Harborview Outfitters'] }]);
    const victims = await database.db.selectFrom('victims').select('name').orderBy('name').execute();
    expect(victims.map((v) => v.name)).toEqual(['Harborview Outfitter', 'Harborview Outfitters', 'Quillmere Press']);
  });
});
