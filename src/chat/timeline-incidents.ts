import type { Incident, IncidentOutline } from '../incidents/incident-view.js';
import { TIMELINE_MAX } from '../presentation/victim-timeline.js';
import type { Services } from '../services.js';
import type { Viewer } from '../trust/tlp.js';

/**
 * Every incident of a victim this viewer may see (the newest TIMELINE_MAX), for its
 * timeline: the page already loaded when it holds them all, else their outlines in one
 * more statement, which filters by TLP as every lookup does.
 */
export async function timelineIncidents(services: Services, victimId: number, shown: Incident[], total: number, viewer: Viewer): Promise<IncidentOutline[] | undefined> {
  if (total < 2) return undefined;
  if (shown.length >= total) return shown;
  const outlines = await services.ledger.outlines(victimId, TIMELINE_MAX, viewer);
  return outlines.length > 0 ? outlines : undefined;
}
