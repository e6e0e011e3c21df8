import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerDatabase } from '../../src/db/database.js';
import type { Incident } from '../../src/incidents/incident-view.js';
import { incidentWithVerdict, repeatVerdict } from '../../src/incidents/repeat-breach.js';
import type { Certainty } from '../../src/incidents/repeat-window.js';
import { createLedger } from '../../src/ledger.js';
import type { Ledger } from '../../src/ledger.js';
import { ANYONE, OPERATOR } from '../../src/trust/tlp.js';
import { backends, freshDatabase } from '../support/databases.js';
import { analyst, submission } from '../support/submissions.js';
import { WINDOW_EDGES } from './window-edges.js';

// Cities whose Click2Gov portals were breached: one per case, so each pair stands alone.
const CITIES = ['Odessa', 'Oxnard', 'Ames', 'Bakersfield', 'Topeka', 'Wellington', 'Midland', 'Pompano Beach', 'Ormond Beach', 'Coral Springs',
  'Palm Bay', 'Lakeland', 'Garland', 'Waco', 'Bloomington', 'Beaumont', 'Cathedral City', 'Tyler', 'Durango', 'Kalamazoo', 'Saint Petersburg',
  'Hialeah', 'Fort Lauderdale', 'Daytona Beach', 'Provo', 'Pueblo', 'Billings', 'Boise', 'Fresno', 'Modesto', 'Redding', 'Salinas', 'Yuma',
  'Flagstaff', 'Laredo', 'Abilene', 'Amarillo', 'Lubbock', 'Killeen', 'Denton'];

describe.each(backends)('the repeat rule in SQL on real rows, on %s', (backend) => {
  let database: LedgerDatabase;
  let ledger: Ledger;
  const report = async (victim: Record<string, unknown>, startDate: string, more: Record<string, unknown> = {}, into = ledger) =>
    into.report(submission({ victim: victim as never, startDate, newIncident: true, vendor: undefined, ...more }), analyst, { alerts: false });
  const references = (incidents: Incident[]) => incidents.map((i) => i.reference);

  beforeAll(async () => {
    database = await freshDatabase(backend);
    ledger = createLedger(database.db, { windowDays: 365 });
  });
  afterAll(() => database.close());

  it.each(WINDOW_EDGES.map((edge, n) => [...edge, CITIES[n]!] as const))(
    'GIVEN %s and %s within %i days THEN %s, judging either one',
    async (earlier, later, windowDays, expected: Certainty | null, city) => {
      const first = await report({ name: `City of ${city}`, country: 'US', region: 'TX', kind: 'city', isNew: true }, earlier);
      const second = await report({ name: `City of ${city}`, id: first.victim.id }, later, {}, createLedger(database.db, { windowDays }));
      // The verdict a report states, judged among what it read before it was stored, is the one read after.
      expect(references(second.verdict.others)).toEqual(expected ? [first.incident.reference] : []);
      expect(second.verdict.certainty).toBe(expected);
      for (const [judged, other] of [[second.incident, first.incident], [first.incident, second.incident]] as const) {
        const possibly = await repeatVerdict(database.db, judged, windowDays, OPERATOR, 'possible');
        expect(references(possibly.others)).toEqual(expected ? [other.reference] : []);
        expect(possibly.certainty).toBe(expected);
        const surely = await repeatVerdict(database.db, judged, windowDays, OPERATOR, 'certain');
        expect(references(surely.others)).toEqual(expected === 'certain' ? [other.reference] : []);
        // Read with the incident in one statement (what a joined report answers with): the same.
        const loaded = await incidentWithVerdict(database.db, judged.id, windowDays);
        expect(loaded?.incident).toEqual(judged);
        expect(references(loaded!.verdict.others)).toEqual(expected ? [other.reference] : []);
        expect(loaded!.verdict.certainty).toBe(expected);
      }
      const listed = (await ledger.repeats({ windowDays, limit: 10_000 })).find((r) => r.victim.id === first.victim.id);
      expect(listed?.certainty ?? null).toBe(expected);
      expect(listed ? references(listed.incidents).sort() : []).toEqual(expected ? [first.incident.reference, second.incident.reference].sort() : []);
      const listedCertain = (await ledger.repeats({ windowDays, limit: 10_000, certainty: 'certain' })).some((r) => r.victim.id === first.victim.id);
      expect(listedCertain).toBe(expected === 'certain');
    },
  );
});

describe.each(backends)('repeat victims listed, on %s', (backend) => {
  let database: LedgerDatabase;
  let ledger: Ledger;
  const victims: Record<string, number> = {};
  const report = async (name: string, startDate: string, more: Record<string, unknown> = {}) => {
    const victim = victims[name] ? { name, id: victims[name] } : { name, country: 'US', region: 'FL', kind: 'company', isNew: true };
    const outcome = await ledger.report(submission({ victim, startDate, newIncident: true, vendor: undefined, ...more }), analyst, { alerts: false });
    victims[name] = outcome.victim.id;
    return outcome.incident;
  };
  const names = async (options: Parameters<Ledger['repeats']>[0] = {}) => (await ledger.repeats(options)).map((r) => r.victim.name);

  beforeAll(async () => {
    database = await freshDatabase(backend);
    ledger = createLedger(database.db, { windowDays: 365 });
  });
  // Seeded by the first test that needs it, not in beforeAll: Stryker counts code run in
  // a hook as covered by every test, and would run them all for each mutant.
  let seeded: Promise<void> | undefined;
  const seed = () => (seeded ??= (async () => {
    // Latest first: Hialeah 2022-03, Lakeland 2021-05, Bakersfield 2021-03, Durango 2020-04, Ames 2020-01, then Boise and Provo, both last breached 2019-06-01.
    await report('Lakeland Regional Health', '2021-05-10');
    await report('Lakeland Regional Health', '2020-12-01');
    await report('Lakeland Regional Health', '2021-02-01');
    await report('Lakeland Regional Health', '2017-03-01');
    await report('Ames Community Schools', '2019');
    await report('Ames Community Schools', '2020-01-15');
    await report('Hialeah Hospital', '2021');
    await report('Hialeah Hospital', '2022-03-01');
    await report('Hialeah Hospital', '2022-01-15');
    await report('Boise Cascade', '2019-06-01');
    await report('Boise Cascade', '2019-01-01');
    await report('Provo Craft', '2019-06-01');
    await report('Provo Craft', '2018-07-01');
    // Its newest incident reported first: the listing goes by the newest, not the last stored.
    await report('Bakersfield College', '2021-03-01');
    await report('Bakersfield College', '2020-03-15');
    await report('Durango Mountain Resort', '2020-03-01');
    await report('Durango Mountain Resort', '2020-04-01', { tlp: 'TLP:AMBER' });
  })());
  afterAll(() => database.close());

  it('GIVEN seven repeat victims THEN the most recently breached first, the earlier-created first on a tie, and a limit keeps the newest', async () => {
    await seed();
    expect(await names()).toEqual(['Hialeah Hospital', 'Lakeland Regional Health', 'Bakersfield College', 'Durango Mountain Resort', 'Ames Community Schools', 'Boise Cascade', 'Provo Craft']);
    expect(await names({ limit: 2 })).toEqual(['Hialeah Hospital', 'Lakeland Regional Health']);
    expect(await names({ limit: 6 })).toEqual(['Hialeah Hospital', 'Lakeland Regional Health', 'Bakersfield College', 'Durango Mountain Resort', 'Ames Community Schools', 'Boise Cascade']);
  });

  it('GIVEN a victim with an old incident THEN only the incidents within the window are listed, newest first', async () => {
    await seed();
    const lakeland = (await ledger.repeats()).find((r) => r.victim.name === 'Lakeland Regional Health')!;
    expect(lakeland.incidents.map((i) => i.started.on)).toEqual(['2021-05-10', '2021-02-01', '2020-12-01']);
    expect(lakeland.certainty).toBe('certain');
  });

  it('GIVEN one certain and one possible pair THEN certain; GIVEN only a possible pair THEN possible, and gone when only certain ones are asked for', async () => {
    await seed();
    const all = await ledger.repeats();
    expect(all.find((r) => r.victim.name === 'Hialeah Hospital')).toMatchObject({ certainty: 'certain' });
    expect(all.find((r) => r.victim.name === 'Hialeah Hospital')!.incidents.map((i) => i.started.on)).toEqual(['2022-03-01', '2022-01-15', '2021-01-01']);
    expect(all.find((r) => r.victim.name === 'Ames Community Schools')).toMatchObject({ certainty: 'possible' });
    const certain = await ledger.repeats({ certainty: 'certain' });
    expect(certain.map((r) => r.victim.name)).not.toContain('Ames Community Schools');
    expect(certain.find((r) => r.victim.name === 'Hialeah Hospital')!.incidents.map((i) => i.started.on)).toEqual(['2022-03-01', '2022-01-15']);
    expect(certain.every((r) => r.certainty === 'certain')).toBe(true);
  });

  it('GIVEN a window of 30 or 31 days THEN only the pairs that close remain', async () => {
    await seed();
    // 2021 ends 15 days before 2022-01-15, 2019 as long before 2020-01-15: possibly within 30 days. Durango's two are 31 days apart.
    expect(await names({ windowDays: 30 })).toEqual(['Hialeah Hospital', 'Ames Community Schools']);
    expect(await names({ windowDays: 30, certainty: 'certain' })).toEqual([]);
    expect(await names({ windowDays: 31 })).toEqual(['Hialeah Hospital', 'Durango Mountain Resort', 'Ames Community Schools']);
    expect(await names({ windowDays: 31, certainty: 'certain' })).toEqual(['Durango Mountain Resort']);
  });

  it('GIVEN an AMBER incident THEN a viewer who may not see it hears of no repeat, from either side', async () => {
    await seed();
    expect(await names({ viewer: ANYONE })).not.toContain('Durango Mountain Resort');
    const incidents = (await ledger.repeats()).find((r) => r.victim.name === 'Durango Mountain Resort')!.incidents;
    expect(incidents).toHaveLength(2);
    for (const incident of incidents) {
      expect((await repeatVerdict(database.db, incident, 365, ANYONE)).others).toEqual([]);
      expect((await repeatVerdict(database.db, incident, 365, OPERATOR)).others).toHaveLength(1);
      const hidden = await incidentWithVerdict(database.db, incident.id, 365, ANYONE);
      expect(hidden?.incident.reference).toBe(incident.reference);
      expect(hidden!.verdict.others).toEqual([]);
    }
  });

  it('GIVEN a victim\'s third incident THEN its verdict names the other two oldest first and counts it 3rd', async () => {
    await seed();
    const [latest] = (await ledger.repeats()).find((r) => r.victim.name === 'Lakeland Regional Health')!.incidents;
    const verdict = await repeatVerdict(database.db, latest!, 365);
    expect(verdict.others.map((i) => i.started.on)).toEqual(['2020-12-01', '2021-02-01']);
    expect(verdict.headline).toBe('3rd incident within 365 days');
    const loaded = await incidentWithVerdict(database.db, latest!.id, 365);
    expect(loaded!.verdict.others.map((i) => i.started.on)).toEqual(['2020-12-01', '2021-02-01']);
    expect(loaded!.verdict.headline).toBe('3rd incident within 365 days');
    expect(await incidentWithVerdict(database.db, 999_999, 365)).toBeNull();
  });
});
