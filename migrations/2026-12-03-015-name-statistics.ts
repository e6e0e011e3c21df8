import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// The planner estimates a trigram search (`%`, `<%`) by running the operator on the
// column's statistics, every histogram bound and common value: at the default target of
// 100 that is about 180 name comparisons per clause, and a lookup's ranking statement has
// four such clauses, planned anew each time (a custom plan for the name typed). At a
// million incidents that was 3.0 of its 10 ms; at 10 it is 1.3, with the same plans
// (bench/README.md, "What a lookup costs the server at 1M, planned"). Equality on these
// columns is estimated from their distinct count, which a smaller sample keeps.
const COLUMNS = [['victims', 'normalized_name'], ['victim_aliases', 'normalized_alias']] as const;
const TARGET = 10;

export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, column] of COLUMNS) await sql.raw(`alter table ${table} alter column ${column} set statistics ${TARGET}`).execute(db);
  // A ledger already analyzed gets the smaller statistics now, not at its next analyze;
  // one never analyzed is left so (embedded autovacuum analyzes it when it fills).
  const { rows } = await sql<{ table: string }>`select relname as table from pg_class
    where oid in (${sql.join(COLUMNS.map(([table]) => sql`${table}::regclass`))}) and reltuples > 0`.execute(db);
  if (rows.length > 0) await sql.raw(`analyze ${rows.map((r) => r.table).join(', ')}`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [table, column] of COLUMNS) await sql.raw(`alter table ${table} alter column ${column} set statistics -1`).execute(db);
}
