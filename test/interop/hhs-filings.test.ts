import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerDatabase } from '../../src/db/database.js';
import { createLedger } from '../../src/ledger.js';
import type { Ledger } from '../../src/ledger.js';
import { readHhs } from '../../src/interop/hhs.js';
import { importHhs } from '../../src/interop/hhs-import.js';
import { backends, freshDatabase } from '../support/databases.js';

// How the breach portal files one event more than once, and names one victim twice
// (test/fixtures/hhs/README.md): the kinds of mistake that made one event look like two.
const fixture = (name: string) => readFile(fileURLToPath(new URL(`../fixtures/hhs/${name}`, import.meta.url)), 'utf8');

describe('reading filings alike in name, state and date', () => {
  it('GIVEN two rows of one entity, state and date THEN two records, each with its own id, the same in a later download', async () => {
    const text = await fixture('filings-breach-dates.csv');
    const ids = readHhs(text).rows.map((r) => ('mapped' in r ? r.mapped.externalId : r.problem));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[2]).toBe(`${ids[1]}#2`);
    expect(readHhs(text).rows.map((r) => ('mapped' in r ? r.mapped.externalId : r.problem))).toEqual(ids);
  });

  it('GIVEN a business associate filing itself THEN it is the vendor; a covered entity\'s filing names none', async () => {
    const rows = readHhs(await fixture('filings-submission-dates.csv')).rows.map((r) => ('mapped' in r ? r.mapped.submission : null));
    expect(rows.map((s) => [s?.victim.name, s?.vendor])).toEqual([
      ['Jackson Health System', undefined],
      ['Riderwood Village', undefined],
      ...Array.from({ length: 3 }, () => ['StayWell Health Management, LLC', 'StayWell Health Management, LLC']),
    ]);
  });
});

describe.each(backends)('importing filings of one event on %s', (backend) => {
  let database: LedgerDatabase;
  let ledger: Ledger;
  beforeAll(async () => {
    database = await freshDatabase(backend);
    ledger = createLedger(database.db, { windowDays: 365 });
  });
  afterAll(() => database.close());

  const incidentsOf = async (name: string) => {
    const [hit] = (await ledger.search(name, { limit: 1, incidentsPerVictim: 10 })).hits;
    return hit ? { victim: hit.victim.name, incidents: hit.totalIncidents } : null;
  };

  it('GIVEN both layouts THEN each event is one incident, the Spanish and English names one victim, and only that victim a repeat', async () => {
    const older = await importHhs(ledger, await fixture('filings-breach-dates.csv'), { file: 'older' });
    expect(older).toMatchObject({ imported: 5, updated: 0, invalid: [] });
    const later = await importHhs(ledger, await fixture('filings-submission-dates.csv'), { file: 'later' });
    expect(later).toMatchObject({ imported: 5, updated: 0, invalid: [] });

    // Riderwood's two counts of one theft were one record overwriting the other; its
    // later copy joins; Jackson's copy filed three years on joins its 2008 breach.
    expect(older.joined.map((j) => j.file)).toEqual(['older:3']);
    expect(later.joined.map((j) => j.file).sort()).toEqual(['later:1', 'later:2', 'later:4', 'later:5']);
    expect(await incidentsOf('Riderwood Village')).toEqual({ victim: 'Riderwood Village', incidents: 1 });
    expect(await incidentsOf('Jackson Health System')).toEqual({ victim: 'Jackson Health System', incidents: 1 });
    expect(await incidentsOf('StayWell Health Management')).toEqual({ victim: 'StayWell Health Management, LLC', incidents: 1 });
    expect(await incidentsOf('Departamento de Salud de Puerto Rico')).toEqual({ victim: 'Puerto Rico Department of Health', incidents: 2 });

    const repeats = await ledger.repeats();
    expect(repeats.map((r) => [r.victim.name, r.incidents.map((i) => i.started.on)])).toEqual([
      ['Puerto Rico Department of Health', ['2010-09-03', '2010-03-14']],
    ]);
  });
});
