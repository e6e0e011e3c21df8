import { sql } from 'kysely';
import type { Kysely } from 'kysely';

/**
 * Alerts pending when a ledger is copied exist on both sides afterwards; whichever
 * side runs first posts them. A delivery tried before is checked with the platform
 * before it is posted (Slack's metadata, Discord's nonce: the dispatcher does so for
 * any delivery on its second attempt or later), so counting the copy as one attempt
 * makes the side that runs second find the post and record it instead of posting
 * again. Returns how many deliveries were handed over.
 */
export async function handOverPendingAlerts<DB>(db: Kysely<DB>): Promise<number> {
  const { rows: [present] } = await sql<{ present: boolean }>`select to_regclass('alert_deliveries') is not null as present`.execute(db);
  if (!present?.present) return 0;
  const result = await sql`update alert_deliveries set attempts = 1 where status = 'pending' and attempts = 0`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
