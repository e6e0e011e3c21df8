import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { visibleTo } from '../trust/tlp.js';
import type { Viewer } from '../trust/tlp.js';
import { selectIncidents, toIncident } from './incident-view.js';
import type { Incident } from './incident-view.js';
import { periodEnd } from './partial-date.js';
import { nearInTime } from './same-event-match.js';
import type { IncidentSubmission } from './submission.js';

/**
 * The victim's incidents (those `viewer` may see) that a report of `s` is judged among,
 * and the reports joined to them, read in one statement before the report is stored:
 * those it may describe again (near its dates: same-event-match.ts) and those that may
 * make it a repeat (within `windowDays` of its start: `othersAmong`, repeat-breach.ts).
 * Each decision then picks its own from these in code, by its own rule; one read
 * instead of two is a round trip fewer for each record of a known victim, and an
 * import's records wait on each other's round trips (bench/README.md).
 */
export async function nearbyIncidents(db: Kysely<Database>, s: IncidentSubmission, victimId: number, viewer: Viewer, windowDays: number): Promise<Incident[]> {
  // Any incident possibly within the window: start intervals at most `windowDays` apart.
  const inWindow = sql<boolean>`(o.started_on <= ${periodEnd(s.startDate)}::date + ${windowDays}::int and o.started_until >= ${s.startDate.on}::date - ${windowDays}::int)`;
  const near = db.selectFrom('incidents as o').select('o.id')
    .where('o.victim_id', '=', victimId)
    .where(visibleTo(viewer, 'o'))
    .where(sql<boolean>`(${nearInTime(s, 'o')} or ${inWindow})`);
  const rows = await selectIncidents(db)
    .where('i.id', 'in', near.unionAll(db.selectFrom('incidents as r').select('r.id').where('r.merged_into', 'in', near).where('r.retracted_at', 'is', null)))
    .execute();
  return rows.map(toIncident);
}
