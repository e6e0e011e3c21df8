import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// An alert names the other victims of the same vendor within the repeat window
// ("3 other victims of Click2Gov since 2019"), found by lower(vendor). Without an index
// that was a scan of every incident: 81 ms of each alert's 90 ms at 100,000 incidents
// (PostgreSQL), all of it before the platform was called.
export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(`create index incidents_vendor_lower on incidents (lower(vendor), started_on) where vendor is not null`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`drop index incidents_vendor_lower`).execute(db);
}
