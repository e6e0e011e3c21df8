import type { Incident } from '../incidents/incident-view.js';
import { TIMELINE_MAX } from '../presentation/victim-timeline.js';
import type { Services } from '../services.js';
import type { Viewer } from '../trust/tlp.js';

/**
 * Every incident of a victim this viewer may see (the newest TIMELINE_MAX), for its
 * timeline: the page already loaded when it holds them all, else one more lookup
 * through the ledger, which filters by TLP as every lookup does.
 */
export async function timelineIncidents(services: Services, victimId: number, shown: Incident[], total: number, viewer: Viewer): Promise<Incident[] | undefined> {
  if (total < 2) return undefined;
  if (shown.length >= total) return shown;
  return (await services.ledger.victim(victimId, { offset: 0, limit: TIMELINE_MAX }, viewer))?.incidents;
}
