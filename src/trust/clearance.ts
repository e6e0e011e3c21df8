import type { Kysely } from 'kysely';
import type { ChannelRef, Owner } from '../identity.js';
import type { Database, Tlp } from '../db/schema.js';
import { channelKey } from '../identity.js';
import { channelActor, recordAudit } from './audit.js';

export type Clearance = Exclude<Tlp, 'red'>;

/** The highest marking a channel may be shown: its own setting, or the configured default. */
export async function clearanceOf(db: Kysely<Database>, channel: ChannelRef, fallback: Clearance): Promise<Clearance> {
  if (channel.platform === 'cli' || channel.platform === 'import') return fallback;
  const k = channelKey(channel);
  const row = await db.selectFrom('channel_clearances').select('clearance')
    .where('platform', '=', k.platform).where('workspace', '=', k.workspace).where('channel_id', '=', k.channel_id)
    .executeTakeFirst();
  return row?.clearance ?? fallback;
}

/** Every channel's own setting, keyed by platform, workspace and channel (for alerts to many channels). */
export async function allClearances(db: Kysely<Database>): Promise<Map<string, Clearance>> {
  const rows = await db.selectFrom('channel_clearances').select(['platform', 'workspace', 'channel_id', 'clearance']).execute();
  return new Map(rows.map((r) => [clearanceKey(r), r.clearance]));
}

export function clearanceKey(r: { platform: string; workspace: string | null; channel_id: string }): string {
  return `${r.platform}\u0000${r.workspace ?? ''}\u0000${r.channel_id}`;
}

/** Sets a channel's clearance, recorded in the audit log with who set it. */
export async function setClearance(db: Kysely<Database>, channel: ChannelRef, clearance: Clearance, by: Owner): Promise<void> {
  const k = channelKey(channel);
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('channel_clearances').values({ ...k, clearance, set_by: by.name })
      .onConflict((oc) => oc.columns(['platform', 'workspace', 'channel_id']).doUpdateSet({ clearance, set_by: by.name, set_at: new Date() }))
      .execute();
    await recordAudit(trx, channelActor({ ...channel, platform: k.platform }, by),
      'channel.clearance', `${k.platform}:${k.channel_id}`, { clearance });
  });
}
