import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
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
 * SQL: the id of the incident `typed` names, or null: a report joined to an incident
 * (one event, many reports) leads to that incident, so the reference a person was
 * given when they reported still finds their event. Who may see it is the caller's
 * condition on the incident.
 */
export function referencedIncidentId(typed: string): RawBuilder<number | null> {
  return sql<number | null>`(select coalesce(r.merged_into, r.id) from incidents r where r.reference = ${typed.trim().toUpperCase()} and r.retracted_at is null)`;
}

/** The incident `typed` names (referencedIncidentId), as `viewer` may see it. */
export async function referencedIncident(db: Kysely<Database>, typed: string, viewer: Viewer): Promise<ReferencedIncident | null> {
  const reference = typed.trim().toUpperCase();
  const row = await db.selectFrom('incidents as i').select(['i.id', 'i.reference'])
    .where('i.id', '=', referencedIncidentId(typed)).where(visibleTo(viewer, 'i'))
    .executeTakeFirst();
  // References are unique: another one than typed is the incident a typed report joined.
  return row ? { incidentId: row.id, reference: row.reference, viaReport: row.reference === reference ? null : reference } : null;
}
