import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { seesEverything, visibleTo } from '../trust/tlp.js';
import type { Viewer } from '../trust/tlp.js';

/**
 * The victims, of these, that this viewer may know of: those with an incident the
 * viewer may see. A victim's name alone can be the secret (an AMBER ransomware case
 * of another workspace), so a victim with none is, to this viewer, no victim at all.
 */
export async function visibleVictimIds(db: Kysely<Database>, victimIds: number[], viewer: Viewer): Promise<Set<number>> {
  if (seesEverything(viewer) || victimIds.length === 0) return new Set(victimIds);
  const rows = await db.selectFrom('incidents').select('victim_id').distinct()
    .where('victim_id', 'in', victimIds).where(visibleTo(viewer)).execute();
  return new Set(rows.map((r) => r.victim_id));
}
