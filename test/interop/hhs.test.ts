import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerDatabase } from '../../src/db/database.js';
import { createLedger } from '../../src/ledger.js';
import type { Ledger } from '../../src/ledger.js';
import { HHS_PORTAL, HhsFormatError, readHhs } from '../../src/interop/hhs.js';
import { importHhs } from '../../src/interop/hhs-import.js';
import { backends, freshDatabase } from '../support/databases.js';

const fixture = (name: string) => readFile(fileURLToPath(new URL(`../fixtures/hhs/${name}`, import.meta.url)), 'utf8');
const mappedOf = (text: string) => readHhs(text).rows.map((r) => ('mapped' in r ? r.mapped : r.problem));

describe('reading the HHS breach portal', () => {
  it('GIVEN the older layout THEN the covered entity is the victim, the breach date the start, the business associate the vendor', async () => {
    const { layout, rows } = readHhs(await fixture('breach-dates.csv'));
    expect(layout).toBe('breach-dates');
    const [brooke, , , monmouth] = rows.map((r) => ('mapped' in r ? r.mapped.submission : null));
    expect(brooke).toMatchObject({
      victim: { name: 'Brooke Army Medical Center', country: 'US', region: 'TX', sector: 'Healthcare' },
      startDate: '2009-10-16', recordsAffected: 1000, vector: 'Paper: Theft', impact: ['confidentiality'], sources: [HHS_PORTAL],
    });
    expect(brooke).not.toHaveProperty('vendor');
    expect(monmouth).toMatchObject({ victim: { name: 'Monmouth Medical Center', region: 'NJ' }, startDate: '2011-06-24', vendor: 'MedAssets', recordsAffected: 6443 });
    // The location is the vector's category, each type a variety, in one order whatever the portal's.
    expect(monmouth?.vector).toBe('Other: Theft; Other Portable Electronic Device: Theft');
    expect(monmouth?.summary).toBe('Theft (Other Portable Electronic Device, Other): the health information of 6,443 people, at business associate MedAssets.');
  });

  it('GIVEN the later layout, as re-packaged and as the portal spells it THEN both read alike: the submission is the disclosure, its month the start', async () => {
    const repackaged = mappedOf(await fixture('submission-dates.csv'));
    const portal = mappedOf(await fixture('portal.csv'));
    expect(repackaged[0]).toMatchObject({ submission: { victim: { name: 'Brooke Army Medical Center', region: 'TX' }, startDate: '2009-10', disclosedDate: '2009-10-21', recordsAffected: 1000 } });
    const submissions = (list: unknown[]) => list.map((m) => (m as { submission: unknown }).submission);
    expect(submissions(portal)).toEqual(submissions(repackaged));
    // The portal's "Paper/Films" is the older layout's "Paper".
    expect(repackaged[0]).toMatchObject({ submission: { vector: 'Paper: Theft' } });
    // R's missing value (\N) is no account at all.
    expect(repackaged[1]).toMatchObject({ submission: { victim: { name: 'Aetna', sector: 'Health insurance' } } });
    expect((repackaged[1] as { submission: object }).submission).not.toHaveProperty('description');
  });

  it('GIVEN a file that is not the portal\'s THEN it is refused naming the missing columns; a bad row is named by its row and the rest are read', async () => {
    expect(() => readHhs('name,date\nOdessa,2020-04-01\n')).toThrow(HhsFormatError);
    expect(() => readHhs('name,date\nOdessa,2020-04-01\n')).toThrow(/missing columns name of covered entity, state, individuals affected/);
    const text = (await fixture('breach-dates.csv')).replace('10/16/2009', 'sometime in 2009');
    const rows = mappedOf(text);
    expect(rows[0]).toBe('Date of Breach "sometime in 2009" is not a date');
    expect(rows.slice(1).every((r) => typeof r === 'object')).toBe(true);
  });
});

describe.each(backends)('importing the HHS breach portal on %s', (backend) => {
  let database: LedgerDatabase;
  let ledger: Ledger;
  beforeAll(async () => {
    database = await freshDatabase(backend);
    ledger = createLedger(database.db, { windowDays: 365 });
  });
  afterAll(() => database.close());

  it('GIVEN both layouts THEN one breach filed in each is one incident with two reports, a vendor\'s breach is one incident a client, and Aetna is a repeat victim', async () => {
    const older = await importHhs(ledger, await fixture('breach-dates.csv'), { file: 'breach-dates' });
    expect(older).toMatchObject({ imported: 6, invalid: [] });
    const later = await importHhs(ledger, await fixture('submission-dates.csv'), { file: 'submission-dates' });
    expect(later.invalid).toEqual([]);
    expect(later.joined.map((j) => j.file)).toContain('submission-dates:1');

    const brooke = await ledger.search('Brooke Army Medical Center', { limit: 1, incidentsPerVictim: 5 });
    expect(brooke.hits.map((h) => [h.victim.name, h.totalIncidents])).toEqual([['Brooke Army Medical Center', 1]]);
    // MedAssets' one stolen drive: three covered entities, three victims, each naming the vendor.
    const clients = await database.db.selectFrom('incidents as i').innerJoin('victims as v', 'v.id', 'i.victim_id')
      .select('v.name').where('i.vendor', 'ilike', 'med%assets').orderBy('v.name').execute();
    expect(clients.map((c) => c.name)).toEqual(['Clara Maass Medical Center', 'Monmouth Medical Center', 'Saint Barnabas Medical Center']);
    const repeats = await ledger.repeats();
    expect(repeats.map((r) => r.victim.name)).toEqual(['Aetna']);
    expect(repeats[0]!.incidents.map((i) => i.started.on)).toEqual(['2010-09-09', '2010-03-29']);
  });

  it('GIVEN the same file again THEN nothing new; a corrected count revises its record', async () => {
    const again = await importHhs(ledger, await fixture('breach-dates.csv'));
    expect(again).toMatchObject({ imported: 0, updated: 0, skipped: 6 });
    const corrected = (await fixture('breach-dates.csv')).replace(',6443,', ',6500,');
    expect(await importHhs(ledger, corrected)).toMatchObject({ imported: 0, updated: 1, skipped: 5 });
  });
});
