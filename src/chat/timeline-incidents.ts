import type { Incident, IncidentOutline } from '../incidents/incident-view.js';
import { TIMELINE_MAX } from '../presentation/victim-timeline.js';
import type { Services } from '../services.js';
import type { Viewer } from '../trust/tlp.js';

/** A victim as a page shows it: the incidents shown, and how many it has in all. */
export interface ShownVictim {
  victimId: number;
  shown: Incident[];
  total: number;
  /** Its newest incidents as outlines, when the statement that found it brought them (a search's page). */
  outlines?: IncidentOutline[];
}

/**
 * Every incident of each victim this viewer may see (the newest TIMELINE_MAX), for
 * their timelines, in the order given: the page already loaded when it holds them all,
 * else the outlines the victim came with, else their outlines — for all such victims in
 * one more statement, which filters by TLP as every lookup does. Undefined for a victim
 * with fewer than two.
 */
export async function timelineIncidents(services: Services, victims: readonly ShownVictim[], viewer: Viewer): Promise<(IncidentOutline[] | undefined)[]> {
  const partial = victims.filter((v) => v.total >= 2 && v.shown.length < v.total && !v.outlines).map((v) => v.victimId);
  const outlines = await services.ledger.outlines(partial, TIMELINE_MAX, viewer);
  return victims.map(({ victimId, shown, total, outlines: brought }) => {
    if (total < 2) return undefined;
    const all = shown.length >= total ? shown : brought ?? outlines.get(victimId)!;
    return all.length > 0 ? all : undefined;
  });
}
