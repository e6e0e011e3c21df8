import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { LedgerDatabase } from '../../src/db/database.js';
import type { Database } from '../../src/db/schema.js';
import { createsItsVictim } from '../../src/incidents/report-new-victims.js';
import type { ReportOutcome } from '../../src/incidents/report.js';
import { parseSubmission } from '../../src/incidents/submission.js';
import type { IncidentSubmissionInput } from '../../src/incidents/submission.js';
import { createLedger } from '../../src/ledger.js';
import type { Ledger } from '../../src/ledger.js';
import { backends, freshDatabase } from '../support/databases.js';
import { analyst, submission } from '../support/submissions.js';

// An import's records that create their victims are written many to a statement
// (report-new-victims.ts). Each must leave the ledger exactly as its report alone would:
// the same ids, references in order, victims, aliases, sources, threat actors, markings
// and audit entries, and the same outcome.

const reports: IncidentSubmissionInput[] = [
  submission({ victim: { name: 'Quillon Games', aliases: ['quillon.example'] }, startDate: '2019-03-01', sources: ['https://a.example/1', 'https://a.example/2'] }),
  submission({ victim: { name: 'National Bureau of Harbours (NBH)', country: 'US' }, startDate: '2020-05', threatActors: ['FIN7', 'APT28'] }),
  submission({ victim: { name: 'Larkspur Dental Clinic' }, startDate: '2019', threatActors: ['FIN7'], tlp: 'TLP:AMBER' }),
  submission({ victim: { name: 'City of Pineport', country: 'US', region: 'OR' }, startDate: '2021-11-30', endDate: '2021-12-02', sources: [] }),
  submission({ victim: { name: '<!channel>𐊵 Ⰰ' }, startDate: '2020-01-01', summary: 'A name whose initials cut a character outside the BMP in half.' }),
  submission({ victim: { name: 'Unknown', unattributed: true }, startDate: '2019-07-01' }),
];

/** Everything a report stores, but the times it was stored at. */
async function ledgerRows(db: Kysely<Database>) {
  return {
    victims: await db.selectFrom('victims').selectAll().orderBy('id').execute().then((rows) => rows.map(({ created_at: _, ...r }) => r)),
    aliases: await db.selectFrom('victim_aliases').selectAll().orderBy('victim_id').orderBy('normalized_alias').execute(),
    incidents: await db.selectFrom('incidents').selectAll().orderBy('id').execute().then((rows) => rows.map(({ reported_at: _, ...r }) => r)),
    sources: await db.selectFrom('incident_sources').selectAll().orderBy('incident_id').orderBy('position').execute(),
    actors: await db.selectFrom('incident_threat_actors as ita').innerJoin('threat_actors as t', 't.id', 'ita.threat_actor_id')
      .select(['ita.incident_id', 't.id', 't.name', 't.attack_group_id']).orderBy('ita.incident_id').orderBy('t.name').execute(),
    counters: await db.selectFrom('incident_reference_counters').selectAll().orderBy('year').execute(),
    audit: await db.selectFrom('audit_log').select(['id', 'platform', 'user_name', 'action', 'subject', 'detail']).orderBy('id').execute(),
  };
}

/** An outcome but the time its incident was stored at. */
const untimed = ({ incident: { reportedAt: _, ...incident }, ...outcome }: ReportOutcome) => ({ ...outcome, incident });

describe.each(backends)('reports that create their victims, written together, on %s', (backend) => {
  let together: LedgerDatabase;
  let alone: LedgerDatabase;
  const known = submission({ victim: { name: 'Larkspur Dental Group' }, startDate: '2019-02-01' });
  beforeAll(async () => {
    [together, alone] = await Promise.all([freshDatabase(backend), freshDatabase(backend)]);
    // A year's counter taken already, and a victim the third report is near.
    for (const { db } of [together, alone]) await createLedger(db, { windowDays: 365 }).report(known, analyst, { alerts: false });
  });
  afterAll(async () => {
    await together.close();
    await alone.close();
  });

  it('GIVEN new victims (one near a known one, with aliases, actors, a marking, in several years; an unattributed one) THEN the ledger and the outcomes are as reported one at a time', async () => {
    const submissions = reports.map((r) => parseSubmission(r));
    const outcomes = await createLedger(together.db, { windowDays: 365 }).batch(async (ledger: Ledger) => {
      const resolved = await ledger.resolveTogether(submissions);
      expect(resolved.map((r) => r?.status)).toEqual(['new', 'new', 'uncertain', 'new', 'new', undefined]);
      expect(submissions.every((s, i) => createsItsVictim(s, resolved[i]))).toBe(true);
      return ledger.reportNewVictims(submissions.map((submission, i) => ({ submission, resolution: resolved[i], externalId: `x:${i}`, sourceHash: `h${i}` })), analyst);
    });
    const aloneLedger = createLedger(alone.db, { windowDays: 365 });
    const expected = [];
    for (const [i, r] of reports.entries()) {
      expected.push(await aloneLedger.report(r, analyst, { alerts: false, nearMatch: 'new', externalId: `x:${i}`, sourceHash: `h${i}` }));
    }
    const rows = await ledgerRows(together.db);
    expect(rows).toEqual(await ledgerRows(alone.db));
    expect(outcomes.map(untimed)).toEqual(expected.map(untimed));
    // What that equality covers: references in order within each year, after the one taken.
    expect(rows.incidents.map((i) => i.reference)).toEqual(['INC-2019-0001', 'INC-2019-0002', 'INC-2020-0001', 'INC-2019-0003', 'INC-2021-0001', 'INC-2020-0002', 'INC-2019-0004']);
    expect(rows.aliases.map((a) => a.alias)).toEqual(expect.arrayContaining(['quillon.example', 'NBH']));
    expect(outcomes[2]!.similarTo).toEqual(['Larkspur Dental Group']);
    expect(outcomes[1]!.incident.threatActors).toHaveLength(2);
  });

  it('GIVEN a report whose victim is known THEN nothing of the batch is written, with why', async () => {
    const before = await ledgerRows(together.db);
    const submissions = [parseSubmission(submission({ victim: { name: 'Sunfield Orchard Supply' } })), parseSubmission(known)];
    await expect(createLedger(together.db, { windowDays: 365 }).batch(async (ledger) => {
      const resolved = await ledger.resolveTogether(submissions);
      expect(resolved.map((r) => r?.status)).toEqual(['new', 'matched']);
      return ledger.reportNewVictims(submissions.map((s, i) => ({ submission: s, resolution: resolved[i]! })), analyst);
    })).rejects.toThrow('does not create its victim');
    expect(await ledgerRows(together.db)).toEqual(before);
  });
});
