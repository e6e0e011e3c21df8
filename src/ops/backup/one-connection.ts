import { Kysely, PostgresDialect } from 'kysely';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';
import { DatabaseUnavailableError } from '../../errors.js';
import { isConnectionError } from '../../db/database.js';

/**
 * Runs `work` on one connection of `pool` inside one transaction (`begin` as given),
 * through a Kysely whose every query, the migrator's included, uses that connection:
 * a restore migrates, loads and checks all or nothing. Commits when `work` returns,
 * rolls back when it throws.
 */
export async function inOneTransaction<T>(pool: pg.Pool, begin: string, description: string, work: (db: Kysely<unknown>) => Promise<T>): Promise<T> {
  const client = await pool.connect().catch((error: unknown) => {
    throw isConnectionError(error) ? new DatabaseUnavailableError(`cannot reach ${description}: ${(error as Error).message}`) : error;
  });
  let broken = false;
  const lost = () => (broken = true);
  client.on('error', lost);
  const single: PostgresPool = {
    connect: () => Promise.resolve({ query: client.query.bind(client), release: () => undefined } as unknown as PostgresPoolClient),
    end: () => Promise.resolve(),
  };
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: single }) });
  try {
    await client.query(begin);
    const result = await work(db);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => (broken = true));
    if (isConnectionError(error)) throw new DatabaseUnavailableError(`${description} went away: ${(error as Error).message}`, { cause: error });
    throw error;
  } finally {
    client.off('error', lost);
    client.release(broken);
    await db.destroy();
  }
}
