import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Brings the query planner's statistics of the tables an import fills up to date
 * (ANALYZE), and returns how many incidents they now count. A table the planner has no
 * statistics of it takes for tiny: as an import filled an empty ledger, victim resolution
 * read every victim for each name instead of its index. PostgreSQL's autovacuum analyzes
 * a minute or so later, and on embedded PGlite the running bot does (embedded-autovacuum.ts),
 * but an import cannot wait a minute between its batches, nor count on a bot running.
 */
export async function analyzeLedger(db: Kysely<Database>): Promise<number> {
  await sql`analyze victims, victim_aliases, incidents, incident_sources, threat_actors, incident_threat_actors`.execute(db);
  const { rows } = await sql<{ incidents: number }>`select greatest(reltuples, 0)::int as incidents from pg_class where oid = 'incidents'::regclass`.execute(db);
  return rows[0]?.incidents ?? 0;
}
