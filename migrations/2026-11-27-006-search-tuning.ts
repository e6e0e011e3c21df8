import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Search at a million incidents (measured by `npm run bench`):
// - one text configuration ('simple': words as written, searched by prefix) instead of
//   English stems OR'd with words as typed, so one tsquery whose row estimate lets the
//   planner use the GIN index instead of scanning every incident;
// - the planner is told that trigram comparisons are costly (they are, per row), so it
//   uses the trigram index on victim names rather than comparing all of them. Changing
//   an extension's functions needs their owner; where the role is not, search is still
//   right, only slower, and the migration goes on.
export async function up(db: Kysely<any>): Promise<void> {
  const run = (statement: string) => sql.raw(statement).execute(db);
  await run(`drop index incidents_search_text`);
  await run(`alter table incidents drop column search_text`);
  await run(`alter table incidents add column search_text tsvector generated always as (
      setweight(to_tsvector('simple', coalesce(vendor, '')), 'A') ||
      setweight(to_tsvector('simple', title), 'B') ||
      setweight(to_tsvector('simple', summary), 'C')
    ) stored`);
  await run(`create index incidents_search_text on incidents using gin (search_text)`);
  await run(`
    do $$
    begin
      alter function word_similarity_op(text, text) cost 100;
      alter function word_similarity_commutator_op(text, text) cost 100;
      alter function similarity_op(text, text) cost 100;
    exception when insufficient_privilege then
      raise notice 'breachdesk: not the owner of pg_trgm''s functions; trigram search keeps default costs';
    end
    $$`);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`select 1`.execute(db);
}
