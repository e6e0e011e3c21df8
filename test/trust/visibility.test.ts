import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerDatabase } from '../../src/db/database.js';
import type { Platform } from '../../src/db/schema.js';
import { loadIncidents } from '../../src/incidents/incident-view.js';
import type { Incident } from '../../src/incidents/incident-view.js';
import { reportIncident } from '../../src/incidents/report.js';
import { TLP_LEVELS, mayView, narrower, visibleTo } from '../../src/trust/tlp.js';
import type { Viewer } from '../../src/trust/tlp.js';
import { backends, freshDatabase } from '../support/databases.js';

// Alerts decide in code (mayView) what lookups decide in SQL (visibleTo): the two
// must never disagree, or a channel would hear of what a lookup hides.
const workspaces = [null, 'T1', 'T2'];
const users = ['U1', 'U2', 'U3'];
const platforms: Platform[] = ['slack', 'discord'];

const viewer: fc.Arbitrary<Viewer> = fc.record({
  upTo: fc.constantFrom(...TLP_LEVELS),
  workspace: fc.constantFrom(...workspaces),
  everywhere: fc.option(fc.constant(true as const), { nil: undefined }),
  red: fc.oneof(fc.constantFrom('all' as const, 'none' as const), fc.record({ platform: fc.constantFrom(...platforms), userId: fc.constantFrom(...users) })),
}).map(({ everywhere, ...v }) => (everywhere ? { ...v, everywhere } : v));

describe.each(backends)('the TLP visibility rule on %s', (backend) => {
  let database: LedgerDatabase;
  let incidents: Incident[];

  beforeAll(async () => {
    database = await freshDatabase(backend);
    // Every combination of marking, reporting workspace, reporter and retraction.
    let n = 0;
    for (const tlp of TLP_LEVELS) {
      for (const workspace of workspaces) {
        for (const [p, platform] of platforms.entries()) {
          const user = users[(n + p) % users.length]!;
          n += 1;
          const { incident } = await reportIncident(database.db, {
            victim: { name: `Victim ${n}`, isNew: true }, startDate: '2024-01', summary: `Incident ${n}`, tlp,
          }, { platform, workspace, user, userId: user }, { windowDays: 365 });
          if (n % 4 === 0) await database.db.updateTable('incidents').set({ retracted_at: new Date() }).where('id', '=', incident.id).execute();
        }
      }
    }
    incidents = await loadIncidents(database.db, (await database.db.selectFrom('incidents').select('id').execute()).map((r) => r.id));
  });
  afterAll(() => database.close());

  it('GIVEN any viewer THEN the SQL condition and the in-code check pick the same incidents', async () => {
    await fc.assert(fc.asyncProperty(viewer, async (v) => {
      const rows = await database.db.selectFrom('incidents').select('reference').where(visibleTo(v)).orderBy('reference').execute();
      const expected = incidents.filter((i) => mayView(v, i)).map((i) => i.reference).sort();
      expect(rows.map((r) => r.reference)).toEqual(expected);
      expect(expected.every((r) => !incidents.find((i) => i.reference === r)!.retractedAt)).toBe(true);
    }), { numRuns: 60 });
  });

  it('GIVEN two viewers THEN what they share is at most what each may see alone', () => {
    fc.assert(fc.property(viewer, viewer, (a, b) => {
      const both = narrower(a, b);
      for (const i of incidents) if (mayView(both, i)) expect(mayView(a, i) && mayView(b, i)).toBe(true);
    }), { numRuns: 1000 });
  });
});
