import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerDatabase } from '../../src/db/database.js';
import { parseSubmission } from '../../src/incidents/submission.js';
import type { IncidentSubmissionInput } from '../../src/incidents/submission.js';
import { resolveTogether, trigramSimilarity } from '../../src/incidents/resolve-together.js';
import { resolutionInput } from '../../src/incidents/submission-victim.js';
import { resolveVictim } from '../../src/incidents/victim-resolution.js';
import { createLedger } from '../../src/ledger.js';
import type { Ledger } from '../../src/ledger.js';
import { OPERATOR } from '../../src/trust/tlp.js';
import type { Viewer } from '../../src/trust/tlp.js';
import { backends, freshDatabase } from '../support/databases.js';
import { submission } from '../support/submissions.js';

// An import's batch resolves its records' victims in one statement, before the records
// are recorded one after another; a record an earlier one of them could change resolves
// alone in its turn. These check both halves: what is resolved together is what alone
// would give, and what an earlier record touches is left alone.

const reportOf = (victim: IncidentSubmissionInput['victim']) => parseSubmission(submission({ victim }));

describe.each(backends)('victims resolved together, on %s', (backend) => {
  let database: LedgerDatabase;
  let ledger: Ledger;
  beforeAll(async () => {
    database = await freshDatabase(backend);
    ledger = createLedger(database.db, { windowDays: 365 });
    for (const victim of [
      { name: 'City of Odessa', country: 'US', region: 'TX' },
      { name: 'Larkspur Dental Group' },
      { name: 'Harbor Valley Medical', aliases: ['hvmed.example'] },
    ]) await ledger.report(submission({ victim }), { platform: 'cli', workspace: null, user: 't' }, { alerts: false });
  });
  afterAll(() => database.close());

  it('GIVEN names matched, near and new THEN each resolves together as it does alone', async () => {
    const reports = [
      reportOf({ name: 'Odessa', region: 'Texas' }),
      reportOf({ name: 'Larkspur Dental Clinic' }),
      reportOf({ name: 'hvmed.example' }),
      reportOf({ name: 'Quillon Games' }),
      reportOf({ name: 'HVM' }),
    ];
    const together = await ledger.resolveTogether(reports);
    const alone = await Promise.all(reports.map((r) => resolveVictim(database.db, resolutionInput(r))));
    expect(together.map((r) => r?.status)).toEqual(['matched', 'uncertain', 'matched', 'new', 'matched']);
    expect(together).toEqual(alone);
  });

  it('GIVEN a name whose initials cut a character outside the BMP in half THEN it resolves, alone and together', async () => {
    // "𐊵" is two UTF-16 units; its initial is the first alone, which JSON cannot carry to the server.
    const report = reportOf({ name: '<!channel>𐊵 Ⰰ' });
    expect((await resolveVictim(database.db, resolutionInput(report))).status).toBe('new');
    expect((await ledger.resolveTogether([report, reportOf({ name: 'Quillon Games' })])).map((r) => r?.status)).toEqual(['new', 'new']);
  });

  it('GIVEN a report an earlier one could change (its name, a near one, its core, an alias it gives) THEN it is left to resolve alone', async () => {
    const reports = [
      reportOf({ name: 'Brightwater Marina', aliases: ['Tidewell Boats'] }),
      reportOf({ name: 'Brightwater Marina' }), // the same name: the first may create it
      reportOf({ name: 'Brightwater Marinas' }), // a near name
      reportOf({ name: 'Tidewell Boats' }), // the first's alias
      reportOf({ name: 'City of Pineport', region: 'OR' }),
      reportOf({ name: 'Pineport', region: 'OR' }), // the same core name
      reportOf({ name: 'Unrelated Orchard Supply' }),
      reportOf({ id: 1, name: 'City of Odessa', aliases: ['Sunfield Dairy'] }), // by #id: not resolved by name, and its alias may be anyone's
      reportOf({ name: 'Sunfield Dairy' }),
      reportOf({ name: 'Placeholder', unattributed: true }),
    ];
    const together = await ledger.resolveTogether(reports);
    expect(together.map((r) => r === undefined)).toEqual([false, true, true, true, false, true, false, true, true, true]);
  });

  it('GIVEN a viewer who does not see everything THEN none is resolved together (what they may see changes with each report)', async () => {
    const channel: Viewer = { upTo: 'green', workspace: 'T1', red: 'none' };
    expect(await resolveTogether(database.db, [reportOf({ name: 'Quillon Games' })], channel)).toEqual([undefined]);
    expect(await resolveTogether(database.db, [reportOf({ name: 'Quillon Games' })], OPERATOR)).toEqual([expect.objectContaining({ status: 'new' })]);
  });

  it('GIVEN names alike and unalike THEN their similarity is pg_trgm\'s own', async () => {
    const pairs = [['odessa', 'odesa'], ['larkspur dental group', 'larkspur dental clinic'], ['baltimore county', 'harris county'], ['hvm', 'harbor valley medical'],
      ['st. mary\'s hospital', 'saint marys hospital'], ['münchen stadtwerke', 'munchen stadtwerke'], ['a', 'a'], ['x1 2y', 'x12y']];
    for (const [a, b] of pairs) {
      const { rows: [row] } = await sql<{ s: number }>`select similarity(${a}, ${b}) as s`.execute(database.db);
      expect(trigramSimilarity(a!, b!), `${a} / ${b}`).toBeCloseTo(Number(row!.s), 5);
    }
  });
});
