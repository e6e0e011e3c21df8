import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/**
 * Runs `work` in the caller's transaction when `db` is one (an import's batch, a report
 * resolving its victim), or in a transaction of its own: either way all of it commits
 * with everything else of that transaction, or none of it.
 */
export function withTransaction<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Transaction<Database>) : db.transaction().execute(work);
}
