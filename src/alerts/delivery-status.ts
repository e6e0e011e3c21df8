import type { Kysely } from 'kysely';
import type { ChannelRef } from '../identity.js';
import type { Database } from '../db/schema.js';
import { channelKey } from '../identity.js';

/** How a channel's alerts are doing. */
export interface ChannelDeliveries {
  platform: string;
  workspace: string | null;
  channelId: string;
  pending: number;
  sent: number;
  failed: number;
  lastError: string | null;
  brokenReason: string | null;
}

/** Pending, sent and failed deliveries per channel: every channel, or one. */
export async function deliveryStatus(db: Kysely<Database>, channel?: ChannelRef): Promise<ChannelDeliveries[]> {
  let query = db.selectFrom('alert_deliveries as d')
    .leftJoin('alert_subscriptions as s', (join) => join.onRef('s.platform', '=', 'd.platform').onRef('s.workspace', '=', 'd.workspace').onRef('s.channel_id', '=', 'd.channel_id'))
    .select((eb) => [
      'd.platform', 'd.workspace', 'd.channel_id',
      eb.fn.count<number>('d.id').filterWhere('d.status', 'in', ['pending', 'sending']).as('pending'),
      eb.fn.count<number>('d.id').filterWhere('d.status', '=', 'sent').as('sent'),
      eb.fn.count<number>('d.id').filterWhere('d.status', '=', 'failed').as('failed'),
      eb.fn.max('d.last_error').as('last_error'),
      eb.fn.max('s.broken_reason').as('broken_reason'),
    ])
    .groupBy(['d.platform', 'd.workspace', 'd.channel_id'])
    .orderBy('d.platform').orderBy('d.channel_id');
  if (channel) {
    const k = channelKey(channel);
    query = query.where('d.platform', '=', k.platform).where('d.workspace', '=', k.workspace).where('d.channel_id', '=', k.channel_id);
  }
  const rows = await query.execute();
  return rows.map((r) => ({
    platform: r.platform, workspace: r.workspace === '' ? null : r.workspace, channelId: r.channel_id,
    pending: Number(r.pending), sent: Number(r.sent), failed: Number(r.failed),
    lastError: r.last_error, brokenReason: r.broken_reason,
  }));
}

/** Deliveries in the whole outbox by status (for /metrics): pending counts queued, retrying and being sent. */
export async function deliveryTotals(db: Kysely<Database>): Promise<{ pending: number; sent: number; failed: number }> {
  const rows = await db.selectFrom('alert_deliveries').select((eb) => ['status', eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  const count = (...statuses: string[]) => rows.filter((r) => statuses.includes(r.status)).reduce((sum, r) => sum + Number(r.n), 0);
  return { pending: count('pending', 'sending'), sent: count('sent'), failed: count('failed') };
}
