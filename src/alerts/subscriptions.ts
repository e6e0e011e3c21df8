import type { Kysely } from 'kysely';
import type { ChannelRef } from '../chat/command.js';
import type { ChatPlatform, Database } from '../db/schema.js';
import { UserError } from '../errors.js';
import { loadVictims } from '../incidents/incident-view.js';
import type { Victim } from '../incidents/incident-view.js';

/** A channel that hears of repeat breaches or watches a victim. */
export interface AlertChannel extends ChannelRef {
  platform: ChatPlatform;
}

export interface ChannelAlertStatus {
  subscribed: boolean;
  since: Date | null;
  watching: Victim[];
}

function chatChannel(channel: ChannelRef): AlertChannel {
  if (channel.platform === 'cli' || channel.platform === 'import') {
    throw new UserError('Alerts go to chat channels; the command line has none.', 'not_a_channel');
  }
  return { ...channel, platform: channel.platform };
}

const key = (channel: ChannelRef) => {
  const c = chatChannel(channel);
  return { platform: c.platform, workspace: c.workspace ?? '', channel_id: c.channelId };
};

/** Subscribes a channel to repeat-breach alerts; true when it was not subscribed before. */
export async function subscribe(db: Kysely<Database>, channel: ChannelRef, by: string): Promise<boolean> {
  const inserted = await db.insertInto('alert_subscriptions').values({ ...key(channel), created_by: by })
    .onConflict((oc) => oc.columns(['platform', 'workspace', 'channel_id']).doNothing())
    .returning('id').executeTakeFirst();
  return inserted !== undefined;
}

/** Ends a channel's repeat-breach alerts; true when it was subscribed. */
export async function unsubscribe(db: Kysely<Database>, channel: ChannelRef): Promise<boolean> {
  const k = key(channel);
  const result = await db.deleteFrom('alert_subscriptions')
    .where('platform', '=', k.platform).where('workspace', '=', k.workspace).where('channel_id', '=', k.channel_id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function watch(db: Kysely<Database>, channel: ChannelRef, victimId: number, by: string): Promise<boolean> {
  const inserted = await db.insertInto('watches').values({ ...key(channel), victim_id: victimId, created_by: by })
    .onConflict((oc) => oc.columns(['platform', 'workspace', 'channel_id', 'victim_id']).doNothing())
    .returning('id').executeTakeFirst();
  return inserted !== undefined;
}

export async function unwatch(db: Kysely<Database>, channel: ChannelRef, victimId: number): Promise<boolean> {
  const k = key(channel);
  const result = await db.deleteFrom('watches')
    .where('platform', '=', k.platform).where('workspace', '=', k.workspace).where('channel_id', '=', k.channel_id)
    .where('victim_id', '=', victimId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function channelStatus(db: Kysely<Database>, channel: ChannelRef): Promise<ChannelAlertStatus> {
  const k = key(channel);
  const subscription = await db.selectFrom('alert_subscriptions').select('created_at')
    .where('platform', '=', k.platform).where('workspace', '=', k.workspace).where('channel_id', '=', k.channel_id)
    .executeTakeFirst();
  const watched = await db.selectFrom('watches').select('victim_id')
    .where('platform', '=', k.platform).where('workspace', '=', k.workspace).where('channel_id', '=', k.channel_id)
    .orderBy('created_at').execute();
  return { subscribed: !!subscription, since: subscription?.created_at ?? null, watching: await loadVictims(db, watched.map((w) => w.victim_id)) };
}

/** Who hears of a new incident: every subscribed channel when it is a repeat breach, and the victim's watchers. */
export async function audienceFor(db: Kysely<Database>, victimId: number, isRepeat: boolean): Promise<{ channel: AlertChannel; reason: 'repeat' | 'watch' }[]> {
  const toChannel = (r: { platform: ChatPlatform; workspace: string; channel_id: string }): AlertChannel =>
    ({ platform: r.platform, workspace: r.workspace === '' ? null : r.workspace, channelId: r.channel_id });
  const subscribed = isRepeat ? await db.selectFrom('alert_subscriptions').select(['platform', 'workspace', 'channel_id']).execute() : [];
  const watching = await db.selectFrom('watches').select(['platform', 'workspace', 'channel_id']).where('victim_id', '=', victimId).execute();
  const seen = new Set<string>();
  const audience: { channel: AlertChannel; reason: 'repeat' | 'watch' }[] = [];
  for (const [rows, reason] of [[subscribed, 'repeat'], [watching, 'watch']] as const) {
    for (const row of rows) {
      const id = `${row.platform}\u0000${row.workspace}\u0000${row.channel_id}`;
      if (seen.has(id)) continue;
      seen.add(id);
      audience.push({ channel: toChannel(row), reason });
    }
  }
  return audience;
}
