import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Brings the query planner's statistics of the tables an import fills up to date
 * (ANALYZE), and returns how many incidents they now count. A table the planner has no
 * statistics of it takes for tiny: as an import filled an empty ledger, victim resolution
 * read every victim for each name instead of its index. PostgreSQL's autovacuum analyzes
 * a minute or so later; embedded PGlite has no autovacuum and never does.
 */
export async function analyzeLedger(db: Kysely<Database>): Promise<number> {
  await sql`analyze victims, victim_aliases, incidents, incident_sources, threat_actors, incident_threat_actors`.execute(db);
  const { rows } = await sql<{ incidents: number }>`select greatest(reltuples, 0)::int as incidents from pg_class where oid = 'incidents'::regclass`.execute(db);
  return rows[0]?.incidents ?? 0;
}
