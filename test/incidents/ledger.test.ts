import { readdirSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerDatabase } from '../../src/db/database.js';
import { UserError, ValidationError } from '../../src/errors.js';
import { seedDemo } from '../../src/incidents/demo-seed.js';
import { createLedger } from '../../src/ledger.js';
import { readAudit } from '../../src/trust/audit.js';
import type { Ledger } from '../../src/ledger.js';
import { VictimNeedsConfirmation } from '../../src/incidents/report.js';
import type { ReportOutcome } from '../../src/incidents/report.js';
import { parseSubmission } from '../../src/incidents/submission.js';
import type { IncidentSubmissionInput } from '../../src/incidents/submission.js';
import { migrations } from '../../migrations/index.js';
import { backends, freshDatabase } from '../support/databases.js';
import { analyst, odessaTexas, submission } from '../support/submissions.js';

async function count(ledger: Ledger, table: 'incidents' | 'victims' | 'incident_sources' | 'threat_actors') {
  const row = await ledger.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

it('GIVEN the migrations folder THEN every migration file is listed in migrations/index.ts', () => {
  const files = readdirSync(new URL('../../migrations/', import.meta.url)).filter((f) => f !== 'index.ts').map((f) => f.replace(/\.ts$/, ''));
  expect(Object.keys(migrations).sort()).toEqual(files.sort());
});

describe.each(backends)('the ledger on %s', (backend) => {
  let database: LedgerDatabase;
  let ledger: Ledger;

  beforeAll(async () => {
    database = await freshDatabase(backend);
    ledger = createLedger(database.db, { windowDays: 365 });
    await seedDemo(database.db, { windowDays: 365 });
  });
  afterAll(() => database.close());

  describe('search', () => {
    it('GIVEN "odessa" THEN the City of Odessa comes first with both Click2Gov incidents, newest first', async () => {
      const page = await ledger.search('odessa');
      const [first] = page.hits;
      expect(first?.victim).toMatchObject({ name: 'City of Odessa', country: 'US', region: 'TX' });
      expect(first?.matchedBy).toBe('name');
      expect(first?.incidents.map((i) => [i.started.on.slice(0, 4), i.vendor])).toEqual([['2020', 'Click2Gov'], ['2019', 'Click2Gov']]);
      expect(first?.incidents[0]?.started).toEqual({ on: '2020-04-01', precision: 'month' });
    });

    it('GIVEN "odessa" THEN Odesa, Ukraine is a separate victim', async () => {
      const names = (await ledger.search('odessa')).hits.map((h) => `${h.victim.name} ${h.victim.country}`);
      expect(names).toContain('Odesa International Airport UA');
      expect(new Set(names).size).toBe(names.length);
    });

    it('GIVEN "click2gov" THEN every Click2Gov incident is found across pages', async () => {
      const references: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await ledger.search('click2gov', { limit: 4, cursor });
        references.push(...page.hits.flatMap((h) => h.incidents.map((i) => i.reference)));
        for (const hit of page.hits) expect(hit.incidents.every((i) => i.vendor === 'Click2Gov')).toBe(true);
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor && pages < 20);
      const stored = await ledger.db.selectFrom('incidents').select('reference').where('vendor', '=', 'Click2Gov').execute();
      expect(new Set(references)).toEqual(new Set(stored.map((r) => r.reference)));
      expect(stored.length).toBeGreaterThan(10);
      expect(pages).toBeGreaterThan(1);
    });

    it('GIVEN a word prefix THEN it finds the vendor', async () => {
      const page = await ledger.search('click2');
      expect(page.hits.length).toBeGreaterThan(0);
    });

    it('GIVEN a reference THEN that incident and its victim come back, typed in any case', async () => {
      const { reference } = await ledger.db.selectFrom('incidents').select('reference').orderBy('id').executeTakeFirstOrThrow();
      const page = await ledger.search(reference.toLowerCase());
      expect(page.hits).toHaveLength(1);
      expect(page.hits[0]?.matchedBy).toBe('reference');
      expect(page.hits[0]?.incidents.map((i) => i.reference)).toEqual([reference]);
    });

    it('GIVEN nothing that matches THEN an empty page, not an error', async () => {
      expect((await ledger.search('zzqx nothing here')).hits).toEqual([]);
      expect((await ledger.search('   ')).hits).toEqual([]);
      expect((await ledger.search("'; drop table incidents; --")).hits).toEqual([]);
      expect(await count(ledger, 'incidents')).toBeGreaterThan(0);
    });
  });

  describe('repeats', () => {
    it('GIVEN the demo data THEN the City of Odessa is a repeat victim with its two incidents', async () => {
      const repeats = await ledger.repeats();
      const odessa = repeats.find((r) => r.victim.name === 'City of Odessa');
      expect(odessa?.incidents.map((i) => i.started.on.slice(0, 4))).toEqual(['2020', '2019']);
      // San Angelo's two Click2Gov breaches are more than a year apart.
      expect(repeats.map((r) => r.victim.name)).not.toContain('City of San Angelo');
    });

    it('GIVEN a shorter window THEN Odessa is no longer a repeat victim', async () => {
      const repeats = await ledger.repeats({ windowDays: 90 });
      expect(repeats.map((r) => r.victim.name)).not.toContain('City of Odessa');
    });
  });

  describe('report', () => {
    it('GIVEN another Odessa incident within the window THEN the verdict names the ordinal, the earlier incidents and Click2Gov', async () => {
      // 2019-08-27 .. 2019-10-14 and April–June 2020 are within 365 days of 2020-08-15.
      const outcome = await ledger.report(submission({ victim: { name: 'Odessa, TX' }, startDate: '2020-08-15', vendor: 'click2gov' }), analyst);
      expect(outcome.victim.name).toBe('City of Odessa');
      expect(outcome.victimCreated).toBe(false);
      expect(outcome.incident.reference).toMatch(/^INC-2020-\d{4}$/);
      expect(outcome.verdict.isRepeat).toBe(true);
      expect(outcome.verdict.headline).toBe('3rd incident within 365 days');
      expect(outcome.verdict.others.map((o) => o.started.on.slice(0, 7))).toEqual(['2019-08', '2020-04']);
      expect(outcome.verdict.sharedVendors).toEqual(['Click2Gov']);
    });

    // The outcome's incident and new victim are built from what was inserted, not read
    // back: they must be exactly what a lookup reads, whatever the submission holds.
    it.each([
      ['no source, no actor', { sources: [], threatActors: [] }],
      ['one actor, every date, a title and description', {
        startDate: '2021-02', endDate: '2021-03-04', discoveredDate: '2021-03-05', disclosedDate: '2021-04',
        title: 'Portal skimmer', description: 'Longer text.', recordsAffected: 1_234, threatActors: ['FIN8'], tlp: 'amber',
        sources: ['https://example.org/a', 'https://example.org/b', 'https://example.org/a'],
      }],
      ['two actors', { startDate: '2017', threatActors: ['Magecart', 'APT28'], impact: ['integrity', 'availability'] }],
      ['a known victim', { victim: { ...odessaTexas }, startDate: '2016-05-02', sources: ['https://example.org/odessa-2016'] }],
      ['a new victim with an abbreviation', { victim: { name: 'Quarry Ledger Agency (QLA)', country: 'US', sector: 'Public administration', kind: 'government', isNew: true } }],
    ] satisfies [string, Partial<IncidentSubmissionInput>][])('GIVEN a report with %s THEN its outcome holds the incident as stored', async (_, overrides) => {
      const outcome = await ledger.report(submission({ victim: { name: 'Outcome Test Utility', country: 'US', region: 'TX', isNew: true }, ...overrides }), analyst);
      expect(outcome.incident).toEqual((await ledger.incident(outcome.incident.reference))?.incident);
      expect([outcome.victim]).toEqual(await ledger.victims([outcome.victim.id]));
      // Its audit entry is written in the same statement as the incident.
      const audited = (await readAudit(ledger.db)).filter((e) => e.subject === outcome.incident.reference);
      expect(audited).toMatchObject([{
        action: 'incident.report', who: { platform: 'cli', workspace: null, userId: null, name: analyst.user, channelId: null },
        detail: { victim: outcome.victim.name, victimId: outcome.victim.id, tlp: outcome.incident.tlp },
      }]);
    });

    it('GIVEN a new victim named with an abbreviation that is not its initials THEN a later report naming the abbreviation finds it (its alias is stored with it)', async () => {
      const first = await ledger.report(submission({ victim: { name: 'Harbor Toll Board (HXTA)', country: 'US', region: 'TX', isNew: true } }), analyst);
      const again = await ledger.report(submission({ victim: { name: 'HXTA', country: 'US', region: 'TX' }, startDate: '2021-01-01' }), analyst);
      expect(first.victimCreated).toBe(true);
      expect(again.victim.id).toBe(first.victim.id);
    });

    it('GIVEN an Odessa incident outside the window THEN no repeat', async () => {
      const outcome = await ledger.report(submission({ victim: { name: 'odessa city', region: 'Texas' }, startDate: '2023-03-01' }), analyst);
      expect(outcome.victim.name).toBe('City of Odessa');
      expect(outcome.verdict.isRepeat).toBe(false);
      expect(outcome.verdict.headline).toBe('first incident within 365 days');
      expect(outcome.verdict.others).toEqual([]);
    });

    it('GIVEN a backdated report THEN it counts, and partial dates compare by the interval they cover', async () => {
      // "2022" covers all of 2022, so it lies within 365 days of 2023-03-01.
      const outcome = await ledger.report(submission({ victim: { ...odessaTexas }, startDate: '2022', vendor: 'Tyler Technologies' }), analyst);
      expect(outcome.verdict.isRepeat).toBe(true);
      expect(outcome.verdict.others.map((o) => o.started.on)).toEqual(['2023-03-01']);
      expect(outcome.verdict.sharedVendors).toEqual([]);
    });

    it('GIVEN Odesa, Ukraine THEN a separate victim, and Odessa, Texas is untouched', async () => {
      const before = (await ledger.search('City of Odessa')).hits[0]?.totalIncidents;
      const outcome = await ledger.report(submission({ victim: { name: 'Odesa', country: 'UA', city: 'Odesa' }, startDate: '2020-05', vendor: undefined }), analyst);
      expect(outcome.victim).toMatchObject({ name: 'Odesa', country: 'UA' });
      expect(outcome.victimCreated).toBe(true);
      expect(outcome.verdict.isRepeat).toBe(false);
      expect((await ledger.search('City of Odessa')).hits[0]?.totalIncidents).toBe(before);
    });

    it('GIVEN only a near match THEN the person is asked, and nothing is stored until confirmed', async () => {
      const incidents = await count(ledger, 'incidents');
      const victims = await count(ledger, 'victims');
      const ask = ledger.report(submission({ victim: { name: 'Odessa' } }), analyst);
      await expect(ask).rejects.toBeInstanceOf(VictimNeedsConfirmation);
      const error = (await ask.catch((e: unknown) => e)) as VictimNeedsConfirmation;
      expect(error.candidates.map((c) => c.name)).toContain('City of Odessa');
      expect(await count(ledger, 'incidents')).toBe(incidents);

      const chosen = ledger.report(submission({ victim: { name: 'Odessa', id: error.candidates.find((c) => c.name === 'City of Odessa')!.id } }), analyst);
      expect((await chosen).victim.name).toBe('City of Odessa');

      const confirmedNew = await ledger.report(submission({ victim: { name: 'Odessa', isNew: true } }), analyst);
      expect(confirmedNew.victimCreated).toBe(true);
      expect(await count(ledger, 'victims')).toBe(victims + 1);
    });

    it('GIVEN City of Baltimore and County of Baltimore THEN two victims', async () => {
      const county = await ledger.report(submission({ victim: { name: 'County of Baltimore', country: 'US', region: 'MD' }, startDate: '2019-06' }), analyst);
      expect(county.victim.name).toBe('County of Baltimore');
      expect(county.victimCreated).toBe(true);
      expect(county.verdict.isRepeat).toBe(false);
    });

    it('GIVEN an unknown victim id THEN a user error, nothing stored', async () => {
      const incidents = await count(ledger, 'incidents');
      await expect(ledger.report(submission({ victim: { name: 'x', id: 999_999 } }), analyst)).rejects.toBeInstanceOf(UserError);
      expect(await count(ledger, 'incidents')).toBe(incidents);
    });

    it.each([
      ['a future date', { startDate: '2999-01-01' }],
      ['an end before the start', { startDate: '2020-04', endDate: '2020-01' }],
      ['an unknown country', { victim: { name: 'Brand New Victim', country: 'XX' } }],
      ['an empty victim', { victim: { name: '' } }],
      ['a huge summary', { summary: 'y'.repeat(10_000) }],
      ['a bad source', { victim: { name: 'Brand New Victim' }, sources: ['https://ok.example', 'file:///etc/passwd'] }],
      ['an unknown technique', { victim: { name: 'Brand New Victim' }, techniques: ['T9999'] }],
      ['control characters', { victim: { name: 'Brand\u0007New' } }],
    ])('GIVEN %s THEN a field error and nothing half-written', async (_what, overrides) => {
      const before = await Promise.all([count(ledger, 'incidents'), count(ledger, 'victims'), count(ledger, 'incident_sources')]);
      await expect(ledger.report(submission(overrides as never), analyst)).rejects.toBeInstanceOf(ValidationError);
      expect(await Promise.all([count(ledger, 'incidents'), count(ledger, 'victims'), count(ledger, 'incident_sources')])).toEqual(before);
    });

    it('GIVEN a failure after the victim was created THEN the whole report rolls back', async () => {
      const before = await Promise.all([count(ledger, 'incidents'), count(ledger, 'victims')]);
      // Two sources differing only after validation would collide on the primary key;
      // here the database itself refuses, after the new victim row was inserted.
      const failing = ledger.db.transaction().execute(async (trx) => {
        await trx.insertInto('victims').values({ name: 'Half Written', normalized_name: 'half written', core_name: 'half written', kind: null, sector: null, country: null, region: null, city: null }).execute();
        await sql`insert into incidents (reference, victim_id, started_on, started_precision, title, summary, reported_platform, reported_by)
                  values ('INC-2020-9999', 1, '2020-04-15', 'month', 't', 's', 'cli', 'x')`.execute(trx);
      });
      await expect(failing).rejects.toThrow(/check/i);
      expect(await Promise.all([count(ledger, 'incidents'), count(ledger, 'victims')])).toEqual(before);
    });

    it.each([
      ['an unknown motive', sql`update incidents set motives = '{revenge}' where id = 1`],
      ['a malformed technique', sql`update incidents set techniques = '{T12}' where id = 1`],
      ['a non-http source', sql`insert into incident_sources (incident_id, position, url) values (1, 99, 'javascript:alert(1)')`],
      ['an end before the start', sql`update incidents set ended_on = '2000-01-01', ended_precision = 'day' where id = 1`],
      ['a lower-case country', sql`update victims set country = 'us' where id = 1`],
      ['a duplicate victim', sql`insert into victims (name, normalized_name, core_name, country, region) select name, normalized_name, core_name, country, region from victims where id = 1`],
    ])('GIVEN %s written past the code THEN the database refuses it', async (_what, statement) => {
      await expect(statement.execute(ledger.db)).rejects.toThrow();
    });

    it('GIVEN injection strings in every text field THEN they are stored as text', async () => {
      const evil = "Robert'); DROP TABLE incidents;--";
      const outcome = await ledger.report(submission({
        victim: { name: `${evil} Inc`, country: 'US', region: evil, city: evil, isNew: true },
        title: evil, summary: `${evil} \\x00 $1 %s`, description: evil, vendor: evil, threatActors: [evil],
      }), analyst);
      expect(outcome.incident).toMatchObject({ title: evil, vendor: evil, description: evil, threatActors: [evil] });
      expect(outcome.victim.city).toBe(evil);
      expect((await ledger.search(outcome.incident.reference)).hits[0]?.incidents[0]?.summary).toBe(`${evil} \\x00 $1 %s`);
    });

    it('GIVEN concurrent reports THEN every incident gets its own reference', async () => {
      const outcomes = await Promise.all(Array.from({ length: 8 }, (_, n) =>
        ledger.report(submission({ startDate: `2021-0${(n % 9) + 1}`, newIncident: true }), analyst)));
      const references = outcomes.map((o) => o.incident.reference);
      expect(new Set(references).size).toBe(8);
      expect(references.every((r) => r.startsWith('INC-2021-'))).toBe(true);
    });

    it('GIVEN a year past its 9,999th incident THEN references go on with five digits', async () => {
      await ledger.db.insertInto('incident_reference_counters').values({ year: 1999, last_number: 9_998 }).execute();
      const references = [];
      for (const day of ['01', '02']) references.push((await ledger.report(submission({ startDate: `1999-03-${day}`, newIncident: true }), analyst)).incident.reference);
      expect(references).toEqual(['INC-1999-9999', 'INC-1999-10000']);
    });

    it('GIVEN threat actors known to ATT&CK THEN they are linked to their group', async () => {
      await ledger.report(submission({ startDate: '2016-05', threatActors: ['APT28', 'Some Crew'] }), analyst);
      const actors = await ledger.db.selectFrom('threat_actors').select(['name', 'attack_group_id']).where('name', 'in', ['APT28', 'Some Crew']).orderBy('name').execute();
      expect(actors).toEqual([{ name: 'APT28', attack_group_id: 'G0007' }, { name: 'Some Crew', attack_group_id: null }]);
    });
  });

  it('GIVEN the demo seed loaded twice THEN nothing is added the second time', async () => {
    expect(await seedDemo(database.db, { windowDays: 365 })).toEqual({ loaded: 0, alreadyLoaded: true });
  });
});

describe.runIf(backends.includes('postgres'))('concurrent reports of one new victim on postgres', () => {
  it('GIVEN the same new victim reported at once THEN one victim, every incident stored', async () => {
    const database = await freshDatabase('postgres');
    try {
      const ledger = createLedger(database.db, { windowDays: 365 });
      const outcomes = await Promise.all(Array.from({ length: 6 }, (_, n) =>
        ledger.report(submission({ victim: { name: 'Springfield Water Board', country: 'US', region: 'IL' }, startDate: `2021-0${n + 1}` }), analyst)));
      expect(new Set(outcomes.map((o) => o.victim.id)).size).toBe(1);
      expect(await count(ledger, 'incidents')).toBe(6);
    } finally {
      await database.close();
    }
  });
});

describe.runIf(backends.includes('postgres'))('a report and an import\'s batch on postgres', () => {
  it('GIVEN a report caught in a deadlock with a batch (each holding what the other wants) THEN it goes again, and both are stored', async () => {
    const database = await freshDatabase('postgres');
    try {
      const ledger = createLedger(database.db, { windowDays: 365 });
      const springfield = { name: 'Springfield Water Board', country: 'US', region: 'IL' };
      await ledger.report(submission({ victim: springfield, startDate: '2021-01' }), analyst);
      let goOn!: () => void;
      const chatWaits = new Promise<void>((resolve) => (goOn = resolve));
      // The batch holds 2021's reference counter, then wants the victim the chat report holds
      // while that one waits for the counter.
      const batch = ledger.batch(async (inBatch) => {
        await inBatch.report(submission({ victim: { name: 'Shelbyville Library', country: 'US', region: 'IL' }, startDate: '2021-02' }), analyst);
        await chatWaits;
        await inBatch.report(submission({ victim: springfield, startDate: '2021-03', newIncident: true }), analyst);
      });
      const chat = ledger.report(submission({ victim: springfield, startDate: '2021-04', newIncident: true }), analyst);
      const waiting = sql<{ n: string }>`select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
      while (Number((await waiting.execute(database.db)).rows[0]!.n) === 0) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      goOn();
      await batch;
      expect((await chat).incident.reference).toMatch(/^INC-2021-/);
      expect(await count(ledger, 'incidents')).toBe(4);
    } finally {
      await database.close();
    }
  });

  it('GIVEN a batch that resolved a known victim THEN it holds the victim from then: a chat report of it waits, and counts the batch\'s incident', async () => {
    const database = await freshDatabase('postgres');
    try {
      const ledger = createLedger(database.db, { windowDays: 365 });
      const springfield = { name: 'Springfield Water Board', country: 'US', region: 'IL' };
      await ledger.report(submission({ victim: springfield, startDate: '2021-01' }), analyst);
      const waiting = sql<{ n: string }>`select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
      let chat: Promise<ReportOutcome> | undefined;
      let chatWaited = false;
      await ledger.batch(async (inBatch) => {
        const later = parseSubmission(submission({ victim: springfield, startDate: '2021-03', newIncident: true }));
        const [resolved] = await inBatch.resolveTogether([later]);
        expect(resolved?.status).toBe('matched');
        chat = ledger.report(submission({ victim: springfield, startDate: '2021-04', newIncident: true }), analyst);
        for (let tries = 0; tries < 200 && !chatWaited; tries++) {
          chatWaited = Number((await waiting.execute(database.db)).rows[0]!.n) > 0;
          if (!chatWaited) await new Promise((resolve) => setTimeout(resolve, 10));
        }
        await inBatch.report(later, analyst, { alerts: false, victimResolution: resolved });
      });
      expect(chatWaited).toBe(true);
      expect((await chat!).verdict.headline).toBe('3rd incident within 365 days');
    } finally {
      await database.close();
    }
  });
});

describe.each(backends)('a submission delivered twice on %s', (backend) => {
  it('GIVEN the same submission key twice, even at once THEN one incident, and the second says it is a duplicate', async () => {
    const database = await freshDatabase(backend);
    try {
      const ledger = createLedger(database.db, { windowDays: 365 });
      const input = submission({ startDate: '2021-05' });
      const [a, b] = await Promise.all([
        ledger.report(input, analyst, { submissionKey: 'slack:T1:V123' }),
        ledger.report(input, analyst, { submissionKey: 'slack:T1:V123' }),
      ]);
      expect(a.incident.reference).toBe(b.incident.reference);
      expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
      const again = await ledger.report(input, analyst, { submissionKey: 'slack:T1:V123' });
      expect(again).toMatchObject({ duplicate: true, incident: { reference: a.incident.reference } });
      expect(await count(ledger, 'incidents')).toBe(1);
      await ledger.report(input, analyst, { submissionKey: 'slack:T1:V124' });
      expect(await count(ledger, 'incidents')).toBe(2);
    } finally {
      await database.close();
    }
  });
});
