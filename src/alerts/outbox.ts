import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { ReportOutcome } from '../incidents/report.js';
import { listenersFor } from './audience.js';
import type { Clearance } from '../trust/clearance.js';

/** The Postgres channel a dispatcher listens on; a NOTIFY commits with the incident. */
export const ALERTS_CHANNEL = 'breachdesk_alerts';

export interface OutboxOptions {
  windowDays: number;
  /** When daily digests go out, UTC hour 0–23. */
  digestHourUtc: number;
  /** A channel's clearance until it sets one. */
  clearanceDefault?: Clearance;
  now?: Date;
}

/**
 * Queues the alerts of a newly recorded incident: one row per listening channel,
 * written in the report's own transaction, so an alert exists exactly when its
 * incident does. The NOTIFY wakes the dispatchers when the transaction commits.
 */
export async function queueAlerts(trx: Kysely<Database>, outcome: ReportOutcome, options: OutboxOptions): Promise<number> {
  const listeners = await listenersFor(trx, outcome, options.windowDays, options.clearanceDefault);
  if (listeners.length === 0) return 0;
  const now = options.now ?? new Date();
  // The rows and the NOTIFY in one statement (a data-modifying CTE runs whether or not it is
  // read): it runs while the report holds its year's reference counter.
  await trx.with('queued', (db) => db.insertInto('alert_deliveries')
    .values(listeners.map((l) => ({
      incident_id: outcome.incident.id,
      victim_id: outcome.victim.id,
      platform: l.channel.platform,
      workspace: l.channel.workspace ?? '',
      channel_id: l.channel.channelId,
      reason: l.reason,
      window_days: l.windowDays,
      possible: l.possible,
      digest: l.digest,
      next_attempt_at: l.digest ? nextDigestAt(now, options.digestHourUtc) : now,
      nonce: randomBytes(12).toString('base64url'),
      // Counted now, in the report's transaction: the alert says what the confirmation said, however late it goes out.
      counted_incident_ids: l.counted,
    })))
    .onConflict((oc) => oc.columns(['incident_id', 'platform', 'workspace', 'channel_id']).doNothing()))
    .selectNoFrom(sql<string>`pg_notify(${ALERTS_CHANNEL}, '')`.as('notified'))
    .execute();
  return listeners.length;
}

/** The next digest time after `now`: today's digest hour, or tomorrow's if it has passed. */
export function nextDigestAt(now: Date, hourUtc: number): Date {
  const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hourUtc));
  if (at <= now) at.setUTCDate(at.getUTCDate() + 1);
  return at;
}
