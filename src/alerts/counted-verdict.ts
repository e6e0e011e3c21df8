import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { loadIncidents } from '../incidents/incident-view.js';
import type { Incident } from '../incidents/incident-view.js';
import { verdictOf } from '../incidents/repeat-breach.js';
import type { RepeatVerdict } from '../incidents/repeat-breach.js';
import { inRepeatWindow } from '../incidents/repeat-window.js';
import type { Certainty } from '../incidents/repeat-window.js';
import type { Viewer } from '../trust/tlp.js';

/**
 * The repeat verdict an alert states: among the incidents its channel counted when the
 * report committed (`counted`), those still within the window and visible to the
 * channel now. Incidents recorded after the report never raise its ordinal; one
 * retracted or marked higher since is left out.
 *
 * @example
 *   // Odessa's 3rd incident, sent after a 4th was recorded: still "3rd incident within 365 days".
 *   await countedVerdict(db, incident, [first.id, second.id], 365, viewer, 'possible')
 */
export async function countedVerdict(
  db: Kysely<Database>,
  incident: Incident,
  counted: readonly number[],
  windowDays: number,
  viewer: Viewer,
  certainty: Certainty,
): Promise<RepeatVerdict> {
  if (counted.length === 0) return verdictOf(incident, [], windowDays);
  const rows = await db.selectFrom('incidents as i')
    .innerJoin('incidents as o', (join) => join.onRef('o.victim_id', '=', 'i.victim_id').onRef('o.id', '<>', 'i.id'))
    .select('o.id')
    .where('i.id', '=', incident.id)
    .where('o.id', 'in', [...counted])
    .where(inRepeatWindow(windowDays, viewer, certainty))
    .execute();
  // Oldest first, as repeatVerdict lists them.
  const others: Incident[] = (await loadIncidents(db, rows.map((r) => r.id))).reverse();
  return verdictOf(incident, others, windowDays);
}
