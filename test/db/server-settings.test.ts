import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseLocation, openDatabase } from '../../src/db/database.js';
import type { LedgerDatabase } from '../../src/db/database.js';
import { scratchPostgresDatabase } from '../support/databases.js';

// The server's JIT compiled a lookup's incidents statement (estimated costly for its
// subqueries) on every run: 100–800 ms for a statement that runs in 3 ms.
describe.runIf(process.env.TEST_DATABASE_URL)('the ledger\'s connections to a PostgreSQL server', () => {
  let database: LedgerDatabase;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const made = await scratchPostgresDatabase();
    drop = made.drop;
    database = await openDatabase(databaseLocation(made.url));
  });
  afterAll(async () => {
    await database.close();
    await drop();
  });

  it('GIVEN a server with JIT on by default THEN every connection of the pool has it off, inside transactions too', async () => {
    const [server] = (await sql<{ setting: string }>`select boot_val as setting from pg_settings where name = 'jit'`.execute(database.db)).rows;
    expect(server?.setting).toBe('on');
    const seen = await Promise.all(Array.from({ length: 4 }, () => database.db.transaction().execute(async (trx) => {
      await sql`select pg_sleep(0.05)`.execute(trx);
      return (await sql<{ jit: string }>`show jit`.execute(trx)).rows[0]?.jit;
    })));
    expect(seen).toEqual(['off', 'off', 'off', 'off']);
  });
});
