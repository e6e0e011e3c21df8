import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// A GIN index collects new entries in a pending list, merged only by (auto)vacuum or
// when it passes 4 MB, and every search reads that list from end to end. Victim
// resolution searches the name trigram indexes for every report: during an import they
// took 3 ms each, 0.1 ms once merged. Entries now go straight into the index (a report
// costs a little more to write, every lookup less to read); what is pending is merged now.
const INDEXES = ['victims_name_trgm', 'victim_aliases_trgm', 'incidents_search_text'];

export async function up(db: Kysely<any>): Promise<void> {
  for (const index of INDEXES) {
    await sql.raw(`alter index ${index} set (fastupdate = off)`).execute(db);
    await sql.raw(`select gin_clean_pending_list('${index}'::regclass)`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of INDEXES) await sql.raw(`alter index ${index} reset (fastupdate)`).execute(db);
}
