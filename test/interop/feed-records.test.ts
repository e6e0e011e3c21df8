import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerDatabase } from '../../src/db/database.js';
import { createLedger } from '../../src/ledger.js';
import type { Ledger } from '../../src/ledger.js';
import { FeedFormatError, plainText } from '../../src/interop/feed-records.js';
import { importHibp, mapHibpBreach } from '../../src/interop/hibp.js';
import { importRansomwarePosts, mapRansomwarePost } from '../../src/interop/ransomware-tracker.js';
import { backends, freshDatabase } from '../support/databases.js';

const fixture = (name: string) => readFile(fileURLToPath(new URL(`../fixtures/feeds/${name}`, import.meta.url)), 'utf8');
const records = async (name: string) => JSON.parse(await fixture(name)) as Record<string, unknown>[];

describe('mapping public breach feeds', () => {
  it('GIVEN an HIBP breach THEN the site is the victim (its domain an alias), BreachDate the start, AddedDate the disclosure, PwnCount the records', async () => {
    const [adobe] = await records('hibp-breaches.json');
    const { externalId, submission } = mapHibpBreach(adobe!);
    expect(externalId).toBe('hibp:Adobe');
    expect(submission).toMatchObject({
      victim: { name: 'Adobe', aliases: ['adobe.com'] }, startDate: '2013-10-04', disclosedDate: '2013-12-04', recordsAffected: 152445165,
      summary: '152,445,165 accounts exposed: email addresses, password hints, passwords, usernames (Have I Been Pwned).',
      sources: ['https://haveibeenpwned.com/Breach/Adobe'], impact: ['confidentiality'],
    });
    // Its HTML account as text: tags gone, entities read.
    expect(submission.description).toContain('username, email, encrypted password and a password hint');
    expect(submission.description).not.toContain('<');
  });

  it('GIVEN a tracker post in either spelling THEN the victim, the group as actor, the post as disclosure, the attack date (or the post\'s month) as start', async () => {
    const [v2, v1, nameless] = await records('ransomware-victims.json');
    expect(mapRansomwarePost(v2!).submission).toMatchObject({
      victim: { name: 'Example Township Water Authority', country: 'US', sector: 'Public Sector' },
      startDate: '2024-03-11', disclosedDate: '2024-03-15', threatActors: ['examplelocker'], motives: ['financial'],
      summary: 'Claimed by the examplelocker ransomware group on its leak site on 2024-03-15.',
      sources: ['https://news.example.org/water-authority-ransomware'],
    });
    const older = mapRansomwarePost(v1!).submission;
    expect(older).toMatchObject({ victim: { name: 'Example Dental Group', country: 'GB' }, startDate: '2023-11', disclosedDate: '2023-11-02', threatActors: ['otherexample'], sources: [] });
    // "Not Found" is the tracker's blank.
    expect(older.victim).not.toHaveProperty('sector');
    expect(() => mapRansomwarePost(nameless!)).toThrow('no victim');
  });

  it('GIVEN HTML with entities THEN plain text', () => {
    expect(plainText('<p>A &amp; B&#39;s <b>portal</b>&nbsp;&#x2014; again</p>')).toBe('A & B\'s portal — again');
  });
});

describe.each(backends)('importing public breach feeds on %s', (backend) => {
  let database: LedgerDatabase;
  let ledger: Ledger;
  beforeAll(async () => {
    database = await freshDatabase(backend);
    ledger = createLedger(database.db, { windowDays: 365 });
  });
  afterAll(() => database.close());

  it('GIVEN HIBP\'s list THEN breaches are recorded, a spam list left out with why, an undated one named; the forum breached twice in seven months is a repeat victim', async () => {
    const summary = await importHibp(ledger, await fixture('hibp-breaches.json'));
    expect(summary).toMatchObject({ imported: 3, left: [{ record: 'hibp[3] ExampleSpamList', reason: 'a spam list, not a breach of its victim' }] });
    expect(summary.invalid).toEqual([{ file: 'hibp[4] ExampleUndated', reason: 'BreachDate "sometime" is not a date' }]);
    const repeats = await ledger.repeats();
    expect(repeats.map((r) => [r.victim.name, r.incidents.length])).toEqual([['Example Forum', 2]]);
    expect(await importHibp(ledger, await fixture('hibp-breaches.json'))).toMatchObject({ imported: 0, skipped: 3 });
  });

  it('GIVEN a tracker\'s posts THEN each posted victim is an incident with the group as threat actor; a body that is not a list is refused whole', async () => {
    const summary = await importRansomwarePosts(ledger, await fixture('ransomware-victims.json'));
    expect(summary).toMatchObject({ imported: 2, invalid: [{ file: 'ransomware[2]', reason: 'no victim (victim or post_title)' }] });
    const found = await ledger.search('Example Township Water Authority', { limit: 1, incidentsPerVictim: 1 });
    expect(found.hits[0]?.incidents[0]?.threatActors).toEqual(['examplelocker']);
    await expect(importRansomwarePosts(ledger, '{"victims": []}')).rejects.toThrow(FeedFormatError);
    await expect(importHibp(ledger, '<html>')).rejects.toThrow('hibp: not JSON');
  });
});
