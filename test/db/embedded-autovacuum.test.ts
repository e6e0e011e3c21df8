import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerDatabase } from '../../src/db/database.js';
import { autovacuumOnce, createEmbeddedAutovacuum, tablesDue } from '../../src/db/embedded-autovacuum.js';
import { createLogger } from '../../src/log.js';
import { freshDatabase } from '../support/databases.js';

// Embedded PGlite only: it has no autovacuum of its own, and the bot runs this there alone.
describe('embedded autovacuum (PGlite)', () => {
  let database: LedgerDatabase;
  beforeEach(async () => {
    database = await freshDatabase('pglite');
  });
  afterEach(async () => {
    await database.close();
  });

  const addVictims = (from: number, count: number) => sql`
    insert into victims (name, normalized_name, core_name, country)
    select 'Victim ' || g, 'victim ' || g, 'victim ' || g, 'US' from generate_series(${from}::int, ${from + count - 1}::int) g`.execute(database.db);
  /** The cumulative statistics as the next pass reads them (a backend reports its counts about a second after it wrote). */
  const reported = () => sql`select pg_stat_force_next_flush()`.execute(database.db);
  const planned = async (table: string) => (await sql<{ reltuples: number }>`select reltuples::int as reltuples from pg_class where oid = ${table}::regclass`.execute(database.db)).rows[0]!.reltuples;
  const dead = async (table: string) => (await sql<{ n: number }>`select n_dead_tup::int as n from pg_stat_user_tables where relname = ${table}`.execute(database.db)).rows[0]!.n;

  it('GIVEN a table filled and never analyzed THEN it is analyzed, and not again until a tenth of it (and 50 rows) has changed', async () => {
    await addVictims(1, 300);
    await reported();
    expect(await planned('victims')).toBeLessThanOrEqual(0);
    expect(await tablesDue(database.db)).toContainEqual({ table: 'victims', vacuum: false, analyze: true });

    expect((await autovacuumOnce(database.db)).map((t) => t.table)).toContain('victims');
    expect(await planned('victims')).toBe(300);
    await reported();
    expect(await tablesDue(database.db)).toEqual([]);

    // 80 changed rows are not past 50 + 0.1 × 300; one more is.
    await addVictims(301, 80);
    await reported();
    expect(await tablesDue(database.db)).toEqual([]);
    await addVictims(381, 1);
    await reported();
    expect(await tablesDue(database.db)).toEqual([{ table: 'victims', vacuum: false, analyze: true }]);
    await autovacuumOnce(database.db);
    expect(await planned('victims')).toBe(381);
  });

  it('GIVEN a table with rows, never analyzed, whose counts were lost (a crash resets them) THEN it is analyzed all the same', async () => {
    await addVictims(1, 30);
    await reported();
    await sql`select pg_stat_reset()`.execute(database.db);
    expect(await tablesDue(database.db)).toContainEqual({ table: 'victims', vacuum: false, analyze: true });
    await autovacuumOnce(database.db);
    expect(await planned('victims')).toBe(30);
  });

  it('GIVEN a fifth of a table (and 50 rows) deleted THEN it is vacuumed and analyzed in one pass', async () => {
    await addVictims(1, 400);
    await autovacuumOnce(database.db);
    await sql`delete from victims where id % 4 = 0`.execute(database.db);
    await reported();
    expect(await dead('victims')).toBe(100);
    // 100 dead rows against 50 + 0.2 × 400 = 130: not yet.
    expect((await tablesDue(database.db)).filter((t) => t.vacuum)).toEqual([]);
    await sql`delete from victims where id % 4 = 1`.execute(database.db);
    await reported();
    expect(await tablesDue(database.db)).toEqual([{ table: 'victims', vacuum: true, analyze: true }]);
    await autovacuumOnce(database.db);
    await reported();
    expect(await dead('victims')).toBe(0);
    expect(await planned('victims')).toBe(200);
  });

  it('GIVEN the bot\'s schedule started on a ledger never analyzed THEN its first pass analyzes it at once, and stop waits for a pass under way', async () => {
    await addVictims(1, 120);
    const autovacuum = createEmbeddedAutovacuum({ db: database.db, log: createLogger('silent'), naptimeMs: 60_000 });
    autovacuum.start();
    try {
      for (let waited = 0; (await planned('victims')) !== 120; waited += 20) {
        if (waited > 10_000) throw new Error('the first pass did not analyze the victims');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await autovacuum.stop();
    }
    expect(await planned('victims')).toBe(120);
  });
});
