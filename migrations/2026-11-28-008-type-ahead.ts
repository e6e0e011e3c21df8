import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Victim type-ahead at a million incidents (measured by `npm run bench`): names and
// aliases that start with what was typed are read as an index range, in byte order,
// stopping at the first few. The trigram indexes cannot stop early: "spr" is in
// thousands of names (type-ahead p95 was 723 ms at 1M). "C" ordering makes LIKE
// 'spr%' a range in any database collation.
export async function up(db: Kysely<any>): Promise<void> {
  const run = (statement: string) => sql.raw(statement).execute(db);
  await run(`create index victims_name_prefix on victims (normalized_name collate "C")`);
  await run(`create index victims_core_prefix on victims (core_name collate "C")`);
  await run(`create index victim_aliases_prefix on victim_aliases (normalized_alias collate "C")`);
}

export async function down(db: Kysely<any>): Promise<void> {
  const run = (statement: string) => sql.raw(statement).execute(db);
  await run(`drop index victim_aliases_prefix`);
  await run(`drop index victims_core_prefix`);
  await run(`drop index victims_name_prefix`);
}
