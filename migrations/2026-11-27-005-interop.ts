import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// What imports need: the source's own id (re-importing updates, never duplicates) and
// a hash of what was read (unchanged records are skipped), the attack vector as text,
// victims that are placeholders ("Unknown", "Unidentified hospital"), and incidents
// that are probably a second record of another (same source, overlapping dates).
export async function up(db: Kysely<any>): Promise<void> {
  const run = (statement: string) => sql.raw(statement).execute(db);
  await run(`alter table incidents add column external_id text check (length(external_id) between 1 and 200)`);
  await run(`create unique index incidents_external_id on incidents (external_id)`);
  await run(`alter table incidents add column source_hash text check (length(source_hash) <= 100)`);
  await run(`alter table incidents add column vector text check (length(vector) between 1 and 500)`);
  await run(`alter table incidents add column duplicate_of integer references incidents (id) on delete set null check (duplicate_of <> id)`);
  await run(`alter table victims add column unattributed boolean not null default false`);
  // Placeholders are one victim per incident and may share a name ("Unknown").
  await run(`drop index victims_identity`);
  await run(`create unique index victims_identity on victims (normalized_name, coalesce(country, ''), coalesce(region, '')) where not unattributed`);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['external_id', 'source_hash', 'vector', 'duplicate_of']) {
    await db.schema.alterTable('incidents').dropColumn(column).execute();
  }
  await db.schema.alterTable('victims').dropColumn('unattributed').execute();
}
