import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

// A STIX consumer keeps, for each id, the version with the latest `modified`, and ignores one
// whose `modified` it already holds. So every export must stamp an object with the time its
// content last changed in the ledger, never the time of the export, and never a time that
// depends on which incidents the export picked.

/**
 * When each incident's current version came to be: its last edit, re-import, join or split
 * (each keeps the version before it in incident_revisions), or a report joining it, which
 * adds sources without a revision of its own; else when it was reported.
 */
export async function incidentVersionTimes(db: Kysely<Database>, ids: readonly number[]): Promise<Map<number, Date>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('incidents as i')
    .select([
      'i.id',
      sql<Date>`greatest(i.reported_at,
        (select max(r.changed_at) from incident_revisions r where r.incident_id = i.id),
        (select max(greatest(m.merged_at, (select max(mr.changed_at) from incident_revisions mr where mr.incident_id = m.id)))
           from incidents m where m.merged_into = i.id))`.as('changed_at'),
    ])
    .where('i.id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, new Date(r.changed_at)]));
}

/** When each victim was first recorded; victims are never changed in place. */
export async function victimRecordedTimes(db: Kysely<Database>, ids: readonly number[]): Promise<Map<number, Date>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('victims').select(['id', 'created_at']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, new Date(r.created_at)]));
}

/** When an incident first named each threat actor (by lower-cased name), whichever incidents an export holds. */
export async function actorFirstNamedTimes(db: Kysely<Database>, names: readonly string[]): Promise<Map<string, Date>> {
  if (names.length === 0) return new Map();
  const rows = await db.selectFrom('threat_actors as a')
    .innerJoin('incident_threat_actors as ita', 'ita.threat_actor_id', 'a.id')
    .innerJoin('incidents as i', 'i.id', 'ita.incident_id')
    .select((eb) => ['a.name', eb.fn.min('i.reported_at').as('first')])
    .where('a.name', 'in', names)
    .groupBy('a.name')
    .execute();
  const times = new Map<string, Date>();
  for (const r of rows) {
    const key = r.name.toLowerCase();
    const at = new Date(r.first);
    if (!times.has(key) || at < times.get(key)!) times.set(key, at);
  }
  return times;
}
