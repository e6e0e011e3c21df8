import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerDatabase } from '../../src/db/database.js';
import * as nameStatistics from '../../migrations/2026-12-03-015-name-statistics.js';
import { backends, freshDatabase } from '../support/databases.js';

// The planner runs a trigram operator on every histogram bound and common value of a
// name column to estimate a search (migrations/2026-12-03-015-name-statistics.ts).
describe.each(backends)('the statistics of the names searched by trigram (%s)', (backend) => {
  let database: LedgerDatabase;
  beforeAll(async () => {
    database = await freshDatabase(backend);
    await sql`insert into victims (name, normalized_name, core_name, country)
      select 'Victim ' || g, 'victim ' || g, 'victim ' || g, 'US' from generate_series(1, 2000) g`.execute(database.db);
    await sql`insert into victim_aliases (victim_id, alias, normalized_alias)
      select id, 'Alias ' || id, 'alias ' || id from victims`.execute(database.db);
    await sql`analyze victims, victim_aliases`.execute(database.db);
  });
  afterAll(async () => {
    await database.close();
  });

  it('GIVEN 2,000 victims analyzed THEN their names and aliases keep at most 11 histogram bounds, other columns the default', async () => {
    const { rows } = await sql<{ column: string; bounds: number }>`
      select attname as column, coalesce(array_length(histogram_bounds::text::text[], 1), 0) as bounds
        from pg_stats where tablename in ('victims', 'victim_aliases') and attname in ('normalized_name', 'normalized_alias', 'core_name')
       order by attname`.execute(database.db);
    expect(rows).toEqual([
      { column: 'core_name', bounds: 101 },
      { column: 'normalized_alias', bounds: 11 },
      { column: 'normalized_name', bounds: 11 },
    ]);
  });

  it('GIVEN a name of the ledger THEN equality on it is still estimated as about one row', async () => {
    const { rows } = await sql<{ 'QUERY PLAN': string }>`explain select id from victims where normalized_name = 'victim 1234'`.execute(database.db);
    expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/rows=1 /);
  });

  it('GIVEN a ledger analyzed before the migration THEN the migration analyzes it again, with the smaller statistics', async () => {
    const bounds = async (column: string) => (await sql<{ n: number }>`
      select coalesce(array_length(histogram_bounds::text::text[], 1), 0) as n from pg_stats where attname = ${column}`.execute(database.db)).rows[0]?.n;
    await sql`alter table victims alter column normalized_name set statistics -1`.execute(database.db);
    await sql`alter table victim_aliases alter column normalized_alias set statistics -1`.execute(database.db);
    await sql`analyze victims, victim_aliases`.execute(database.db);
    expect([await bounds('normalized_name'), await bounds('normalized_alias')]).toEqual([101, 101]);
    await nameStatistics.up(database.db);
    expect([await bounds('normalized_name'), await bounds('normalized_alias')]).toEqual([11, 11]);
  });
});
