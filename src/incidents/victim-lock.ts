import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * Holds victims until the transaction ends: reports of one victim commit one after
 * another, so each counts those before it — the ordinal its confirmation and its alerts
 * state is the one as of its commit — and judges whether it reports one of them again.
 * (A victim created in the transaction is seen by no one else before it commits:
 * nothing to hold.) Several are taken in id order, so two transactions taking the same
 * ones wait rather than deadlock. Run each report's reads in statements after this one:
 * a statement's snapshot is taken when it starts, before any wait here.
 */
export async function holdVictims(trx: Kysely<Database>, ids: Iterable<number>): Promise<void> {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  if (sorted.length === 0) return;
  await trx.selectFrom('victims').select('id').where('id', 'in', sorted).orderBy('id').forNoKeyUpdate().execute();
}
