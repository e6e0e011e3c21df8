import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { Database } from '../db/schema.js';
import { seesEverything, visibleTo } from '../trust/tlp.js';
import type { Viewer } from '../trust/tlp.js';

// A victim's name alone can be the secret (an AMBER ransomware case of another
// workspace), so a victim with no incident the viewer may see is, to that viewer,
// no victim at all: not found, not suggested, not offered, not nameable by `#id`.

/** SQL: the victim `victimId` has an incident this viewer may see (always true for the operators). */
export function victimVisibleTo(viewer: Viewer, victimId: RawBuilder<unknown>): RawBuilder<boolean> {
  if (seesEverything(viewer)) return sql<boolean>`true`;
  return sql<boolean>`exists (select from incidents v where v.victim_id = ${victimId} and ${visibleTo(viewer, 'v')})`;
}

/** The victims, of these, that this viewer may know of. */
export async function visibleVictimIds(db: Kysely<Database>, victimIds: number[], viewer: Viewer): Promise<Set<number>> {
  if (seesEverything(viewer) || victimIds.length === 0) return new Set(victimIds);
  const rows = await db.selectFrom('victims').select('id')
    .where('id', 'in', victimIds).where(victimVisibleTo(viewer, sql.ref('victims.id'))).execute();
  return new Set(rows.map((r) => r.id));
}
