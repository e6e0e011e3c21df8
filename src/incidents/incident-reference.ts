import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { visibleTo } from '../trust/tlp.js';
import type { Viewer } from '../trust/tlp.js';

/** What a typed reference stands for: an incident, reached directly or through a report joined to it. */
export interface ReferencedIncident {
  incidentId: number;
  /** The incident's own reference. */
  reference: string;
  /** The typed reference when it is a report joined to the incident. */
  viaReport: string | null;
}

/**
 * The incident `typed` names, as `viewer` may see it: a report joined to an incident
 * (one event, many reports) leads to that incident, so the reference a person was
 * given when they reported still finds their event.
 */
export async function referencedIncident(db: Kysely<Database>, typed: string, viewer: Viewer): Promise<ReferencedIncident | null> {
  const reference = typed.trim().toUpperCase();
  const row = await db.selectFrom('incidents as r').innerJoin('incidents as i', (join) => join.on((eb) => eb('i.id', '=', eb.fn.coalesce('r.merged_into', 'r.id'))))
    .select(['i.id', 'i.reference', 'r.merged_into'])
    .where('r.reference', '=', reference).where('r.retracted_at', 'is', null).where(visibleTo(viewer, 'i'))
    .executeTakeFirst();
  return row ? { incidentId: row.id, reference: row.reference, viaReport: row.merged_into === null ? null : reference } : null;
}
