import { mkdtemp, readFile, rm, writeFile, copyFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerDatabase } from '../../src/db/database.js';
import { createLedger } from '../../src/ledger.js';
import type { Ledger } from '../../src/ledger.js';
import { isPlaceholderVictim, mapVeris, sourcesOf } from '../../src/interop/veris.js';
import { importVeris } from '../../src/interop/veris-import.js';
import { backends, freshDatabase } from '../support/databases.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/vcdb/', import.meta.url));

/** A VERIS 1.3.4 document as VCDB writes them, with what a test needs changed. */
function veris(id: string, victim: Record<string, unknown>, incident: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    incident_id: id, schema_version: '1.3.4', source_id: 'vcdb', security_incident: 'Confirmed',
    victim: { industry: '000', employee_count: 'Unknown', ...victim },
    timeline: { incident },
    action: { hacking: { variety: ['SQLi'], vector: ['Web application'] } },
    actor: { external: { variety: ['Unaffiliated'], motive: ['Financial', 'NA'], country: ['Unknown'] } },
    attribute: { confidentiality: { data_disclosure: 'Yes' } },
    summary: `Test incident ${id}`,
    reference: `https://news.example.org/${id}`,
    ...extra,
  };
}

describe('mapping a VERIS record', () => {
  it('GIVEN a full record THEN every field lands where it belongs', () => {
    const { submission, externalId, unattributed } = mapVeris(veris('A1', { victim_id: 'Acme Corp', country: ['US'], state: 'TX', industry: '622110' }, { year: 2019, month: 4 }, {
      timeline: { incident: { year: 2019, month: 4 }, discovery: { unit: 'Months', value: 5 } },
      plus: { timeline: { notification: { year: 2019, month: 10, day: 3 } } },
      attribute: { confidentiality: { data_total: 4200 }, availability: { variety: ['Interruption'] } },
      actor: { external: { motive: ['Financial', 'NA', 'Unknown'], name: ['TheDarkOverlord'] } },
      action: { hacking: { variety: ['SQLi', 'Unknown'], vector: ['Web application'] }, malware: { variety: ['Ransomware'] } },
      reference: 'http://a.example/one (20140304);http://b.example/two; not-a-url http://a.example/one',
    }));
    expect(externalId).toBe('veris:A1');
    expect(unattributed).toBe(false);
    expect(submission).toMatchObject({
      victim: { name: 'Acme Corp', country: 'US', region: 'TX', sector: 'healthcare', kind: 'hospital' },
      startDate: '2019-04', discoveredDate: '2019-09', disclosedDate: '2019-10-03',
      impact: ['confidentiality', 'availability'], motives: ['financial', 'unknown'], threatActors: ['TheDarkOverlord'],
      techniques: ['T1190', 'T1486', 'T1490'], recordsAffected: 4200,
      vector: 'hacking: SQLi via Web application; malware: Ransomware',
      sources: ['http://a.example/one', 'http://b.example/two'],
    });
  });

  it.each([['Unknown', true], ['Mass Event', true], ['Unidentified Hospital', true], ['Gas station', true], ['unknown (german steel mill)', true],
    ['Several Unnamed LEA', true], ['', true], ['Valero Gas Station', false], ['Massachusetts General Hospital', false], ['Bank of America', false]])(
    'GIVEN the victim %j THEN placeholder is %s', (name, expected) => expect(isPlaceholderVictim(name)).toBe(expected));

  it('GIVEN a disclosure before the start and a discovery in the future THEN they are left out, not the record', () => {
    const { submission } = mapVeris(veris('A2', { victim_id: 'Acme' }, { year: 2020, month: 5 }, {
      timeline: { incident: { year: 2020, month: 5 }, discovery: { unit: 'Years', value: 40 } },
      plus: { timeline: { notification: { year: 2019 } } },
    }));
    expect(submission.discoveredDate).toBeUndefined();
    expect(submission.disclosedDate).toBeUndefined();
  });

  it.each([[{}, /no incident_id/], [{ incident_id: 'X', timeline: {} }, /no usable timeline/], [null, /not a VERIS/]])('GIVEN %j THEN refused with a reason', (doc, reason) => {
    expect(() => mapVeris(doc)).toThrow(reason);
  });

  it('GIVEN a reference string THEN only whole http(s) URLs, once each', () => {
    expect(sourcesOf('Read more: http://x.example/a, https://y.example/b. ftp://z.example')).toEqual(['http://x.example/a', 'https://y.example/b']);
  });
});

describe.each(backends)('importing VERIS files on %s', (backend) => {
  let database: LedgerDatabase;
  let ledger: Ledger;
  let dir: string;

  beforeAll(async () => {
    database = await freshDatabase(backend);
    ledger = createLedger(database.db, { windowDays: 365 });
    dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-veris-'));
    for (const f of await readdir(FIXTURES)) if (f.endsWith('.json')) await copyFile(path.join(FIXTURES, f), path.join(dir, f));
    const docs = [
      // A large company is one victim whatever state its reports name.
      veris('S-MS1', { victim_id: 'Microsoft', country: ['US'], state: 'WA', employee_count: 'Over 100000' }, { year: 2021, month: 1 }),
      veris('S-MS2', { victim_id: 'Microsoft Corp', country: ['US'], employee_count: 'Over 100000' }, { year: 2021, month: 3 }, { action: { malware: { variety: ['Ransomware'] } } }),
      veris('S-MS3', { victim_id: 'Microsoft Corporation', country: ['US'], state: 'CA', employee_count: 'Over 100000' }, { year: 2021, month: 6 }, { action: { error: { variety: ['Misdelivery'] } } }),
      veris('S-711a', { victim_id: '7-Eleven', country: ['US'] }, { year: 2015 }),
      veris('S-711b', { victim_id: '7 Eleven', country: ['US'] }, { year: 2016 }),
      veris('S-711c', { victim_id: '7-ELEVEN, INC.', country: ['US'] }, { year: 2017 }),
      veris('S-LA1', { victim_id: 'County of Los Angeles', country: ['US'], state: 'CA', industry: '921' }, { year: 2016, month: 2 }),
      veris('S-LA2', { victim_id: 'Los Angeles County', country: ['US'], state: 'CA', industry: '921' }, { year: 2016, month: 9 }),
      veris('S-BAL1', { victim_id: 'City of Baltimore', country: ['US'], state: 'MD', industry: '921' }, { year: 2019, month: 5 }),
      veris('S-BAL2', { victim_id: 'County of Baltimore', country: ['US'], state: 'MD', industry: '921' }, { year: 2019, month: 6 }),
      veris('S-MOJ1', { victim_id: 'Ministry of Justice', country: ['NZ'], industry: '922' }, { year: 2018 }),
      veris('S-MOJ2', { victim_id: 'Ministry of Justice', country: ['GB'], industry: '922' }, { year: 2018 }),
      veris('S-ME1', { victim_id: 'Mass Event', country: ['US'] }, { year: 2018, month: 1 }),
      veris('S-ME2', { victim_id: 'Mass Event', country: ['US'] }, { year: 2018, month: 2 }),
      veris('S-DUP1', { victim_id: 'Double Entry Hospital', country: ['US'] }, { year: 2017, month: 3 }, { reference: 'https://news.example.org/same-story' }),
      veris('S-DUP2', { victim_id: 'Double Entry Hospital', country: ['US'] }, { year: 2017, month: 3, day: 14 }, { reference: 'https://news.example.org/same-story' }),
      veris('S-FUT', { victim_id: 'Time Traveller Inc' }, { year: 2999 }),
    ];
    for (const doc of docs) await writeFile(path.join(dir, `${doc.incident_id}.json`), JSON.stringify(doc));
    await writeFile(path.join(dir, 'S-BROKEN.json'), '{"incident_id": "S-BROKEN", "timeline": ');
  });
  afterAll(async () => {
    await database.close();
    await rm(dir, { recursive: true, force: true });
  });

  const victimsNamed = async (pattern: string) => (await database.db.selectFrom('victims').select(['name', 'country', 'unattributed'])
    .where('normalized_name', 'like', pattern).execute());

  it('GIVEN a folder of real and crafted records THEN a clean summary: each bad file with its reason, the rest imported', async () => {
    const progress: number[] = [];
    const summary = await importVeris(ledger, [dir], { onProgress: (done) => progress.push(done) });
    expect(summary.joined.map((j) => j.file), JSON.stringify(summary.joined)).toEqual(['S-DUP2.json']);
    expect(summary).toMatchObject({ imported: 26, updated: 0, skipped: 0, unattributed: 4, doubleEntries: 1, alerted: 0 });
    expect(summary.invalid.map((i) => i.file).sort()).toEqual(['S-BROKEN.json', 'S-FUT.json']);
    expect(summary.invalid.find((i) => i.file === 'S-FUT.json')?.reason).toMatch(/startDate: Start date 2999 is in the future/);
    expect(summary.invalid.find((i) => i.file === 'S-BROKEN.json')?.reason).toMatch(/not JSON/);
    expect(progress.at(-1)).toBe(28);
    expect(await database.db.selectFrom('alert_deliveries').select('id').execute()).toEqual([]);
  });

  it('GIVEN spelling variants of one victim THEN one victim; GIVEN two places of one name THEN two', async () => {
    expect(await victimsNamed('microsoft')).toHaveLength(1);
    expect(await victimsNamed('7 eleven')).toHaveLength(1);
    expect(await victimsNamed('los angeles county')).toHaveLength(1);
    expect(await victimsNamed('facebook')).toHaveLength(1);
    expect(await victimsNamed('bank of america')).toHaveLength(1);
    expect((await victimsNamed('baltimore %')).map((v) => v.name).sort()).toEqual(['City of Baltimore', 'County of Baltimore']);
    expect((await victimsNamed('ministry of justice')).map((v) => v.country).sort()).toEqual(['GB', 'NZ']);
  });

  it('GIVEN placeholders and a double entry THEN no giant repeat victim, and the double entry is not a repeat', async () => {
    const repeats = (await ledger.repeats()).map((r) => r.victim.name);
    expect(repeats).toEqual(expect.arrayContaining(['Facebook', 'Microsoft']));
    expect(repeats.some((n) => /unknown|mass event/i.test(n))).toBe(false);
    expect(repeats).not.toContain('Double Entry Hospital');
    expect((await victimsNamed('mass event%')).every((v) => v.unattributed)).toBe(true);
    const twin = await database.db.selectFrom('incidents').select(['external_id', 'merged_into']).where('external_id', '=', 'veris:S-DUP2').executeTakeFirstOrThrow();
    expect(twin.merged_into).not.toBeNull();
  });

  it('GIVEN the same files again THEN nothing is duplicated; GIVEN one changed THEN it is updated', async () => {
    const before = await database.db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const file = path.join(dir, 'S-MS2.json');
    const doc = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...doc, summary: 'Corrected summary' }));
    const again = await importVeris(ledger, [dir]);
    expect(again).toMatchObject({ imported: 0, updated: 1, skipped: 25 });
    const after = await database.db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect((await database.db.selectFrom('incidents').select('summary').where('external_id', '=', 'veris:S-MS2').executeTakeFirstOrThrow()).summary).toBe('Corrected summary');
  });
});
