import type { Kysely } from 'kysely';
import type { AlertCadence, Database, VictimKind, WatchKind } from '../db/schema.js';
import { channelKey } from '../identity.js';
import type { AlertChannel, ChannelRef, Owner } from '../identity.js';
import { channelActor, recordAudit } from '../trust/audit.js';

/** What a channel's repeat-breach alerts are limited to. */
export interface SubscriptionOptions {
  country?: string;
  region?: string;
  sector?: string;
  victimKind?: VictimKind;
  /** Alert from the Nth incident within the window (default 2). */
  minOrdinal?: number;
  /** The channel's own window (default REPEAT_WINDOW_DAYS). */
  windowDays?: number;
  cadence?: AlertCadence;
  /** Also alert on possible repeats, which only partial dates put within the window (default false: certain only). */
  possible?: boolean;
}

export interface Subscription extends Required<Pick<SubscriptionOptions, 'minOrdinal' | 'cadence' | 'possible'>> {
  country: string | null;
  region: string | null;
  sector: string | null;
  victimKind: VictimKind | null;
  windowDays: number | null;
  since: Date;
  by: string;
  brokenReason: string | null;
}

/** Something a channel watches: a victim, vendor, sector, region, threat actor or technique. */
export interface WatchTarget {
  kind: WatchKind;
  /** Normalized, as matched: victim id, lower-case text, technique id. */
  value: string;
  /** As people read it. */
  label: string;
  victimId?: number;
}

export interface Watch extends WatchTarget {
  brokenReason: string | null;
}

/** Subscribes a channel, or changes its filters; 'created' or 'updated'. Clears a broken mark. */
export async function subscribe(db: Kysely<Database>, channel: ChannelRef, owner: Owner, options: SubscriptionOptions = {}): Promise<'created' | 'updated'> {
  const values = {
    country: options.country ?? null,
    region: options.region ?? null,
    sector: options.sector ?? null,
    victim_kind: options.victimKind ?? null,
    min_ordinal: options.minOrdinal ?? 2,
    window_days: options.windowDays ?? null,
    cadence: options.cadence ?? 'immediate',
    possible: options.possible ?? false,
    broken_reason: null,
    broken_at: null,
  };
  const k = channelKey(channel);
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('alert_subscriptions').select('id')
      .where('platform', '=', k.platform).where('workspace', '=', k.workspace).where('channel_id', '=', k.channel_id)
      .executeTakeFirst();
    await trx.insertInto('alert_subscriptions')
      .values({ ...k, created_by: owner.name, created_by_id: owner.id, ...values })
      .onConflict((oc) => oc.columns(['platform', 'workspace', 'channel_id']).doUpdateSet(values))
      .execute();
    await recordAudit(trx, channelActor(channel, owner), existing ? 'alerts.change' : 'alerts.subscribe', channelName(channel), { ...options });
    return existing ? 'updated' : 'created';
  });
}

function channelName(channel: ChannelRef): string {
  return `${channel.platform}:${channel.channelId}`;
}

/** Ends a channel's repeat-breach alerts; true when it was subscribed. */
export async function unsubscribe(db: Kysely<Database>, channel: ChannelRef, by: Owner): Promise<boolean> {
  const k = channelKey(channel);
  return db.transaction().execute(async (trx) => {
    const result = await trx.deleteFrom('alert_subscriptions')
      .where('platform', '=', k.platform).where('workspace', '=', k.workspace).where('channel_id', '=', k.channel_id)
      .executeTakeFirst();
    if (result.numDeletedRows > 0n) await recordAudit(trx, channelActor(channel, by), 'alerts.unsubscribe', channelName(channel));
    return result.numDeletedRows > 0n;
  });
}

export async function subscriptionOf(db: Kysely<Database>, channel: ChannelRef): Promise<Subscription | null> {
  const k = channelKey(channel);
  const row = await db.selectFrom('alert_subscriptions').selectAll()
    .where('platform', '=', k.platform).where('workspace', '=', k.workspace).where('channel_id', '=', k.channel_id)
    .executeTakeFirst();
  if (!row) return null;
  return {
    country: row.country, region: row.region, sector: row.sector, victimKind: row.victim_kind,
    minOrdinal: row.min_ordinal, windowDays: row.window_days, cadence: row.cadence, possible: row.possible,
    since: row.created_at, by: row.created_by, brokenReason: row.broken_reason,
  };
}

/** Adds a watch; true when the channel did not watch it already. */
export async function watch(db: Kysely<Database>, channel: ChannelRef, target: WatchTarget, owner: Owner): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const inserted = await trx.insertInto('watches')
      .values({
        ...channelKey(channel), target_kind: target.kind, target_value: target.value, label: target.label,
        victim_id: target.victimId ?? null, created_by: owner.name, created_by_id: owner.id,
      })
      .onConflict((oc) => oc.columns(['platform', 'workspace', 'channel_id', 'target_kind', 'target_value']).doNothing())
      .returning('id').executeTakeFirst();
    if (inserted) await recordAudit(trx, channelActor(channel, owner), 'watch.add', channelName(channel), { kind: target.kind, value: target.value, label: target.label });
    return inserted !== undefined;
  });
}

export async function unwatch(db: Kysely<Database>, channel: ChannelRef, target: Pick<WatchTarget, 'kind' | 'value'>, by: Owner): Promise<boolean> {
  const k = channelKey(channel);
  return db.transaction().execute(async (trx) => {
    const result = await trx.deleteFrom('watches')
      .where('platform', '=', k.platform).where('workspace', '=', k.workspace).where('channel_id', '=', k.channel_id)
      .where('target_kind', '=', target.kind).where('target_value', '=', target.value)
      .executeTakeFirst();
    if (result.numDeletedRows > 0n) await recordAudit(trx, channelActor(channel, by), 'watch.remove', channelName(channel), { kind: target.kind, value: target.value });
    return result.numDeletedRows > 0n;
  });
}

/** The channel's watchlist, oldest first. */
export async function watchesOf(db: Kysely<Database>, channel: ChannelRef): Promise<Watch[]> {
  const k = channelKey(channel);
  const rows = await db.selectFrom('watches as w')
    .leftJoin('victims as v', 'v.id', 'w.victim_id')
    .select(['w.target_kind', 'w.target_value', 'w.label', 'w.victim_id', 'w.broken_reason', 'v.name as victim_name'])
    .where('w.platform', '=', k.platform).where('w.workspace', '=', k.workspace).where('w.channel_id', '=', k.channel_id)
    .orderBy('w.created_at').orderBy('w.id')
    .execute();
  return rows.map((r) => ({
    kind: r.target_kind, value: r.target_value, label: r.victim_name ?? r.label ?? r.target_value,
    ...(r.victim_id === null ? {} : { victimId: r.victim_id }), brokenReason: r.broken_reason,
  }));
}

/**
 * The platform said this channel cannot be posted to any more (gone, bot removed, no
 * access): its subscription and watches are marked broken, and the people who set
 * them up are returned, to be told.
 */
export async function markChannelBroken(db: Kysely<Database>, channel: AlertChannel, reason: string): Promise<Owner[]> {
  const k = channelKey(channel);
  const subs = await db.updateTable('alert_subscriptions').set({ broken_reason: reason.slice(0, 500), broken_at: new Date() })
    .where('platform', '=', k.platform).where('workspace', '=', k.workspace).where('channel_id', '=', k.channel_id)
    .where('broken_reason', 'is', null)
    .returning(['created_by', 'created_by_id']).execute();
  const watches = await db.updateTable('watches').set({ broken_reason: reason.slice(0, 500) })
    .where('platform', '=', k.platform).where('workspace', '=', k.workspace).where('channel_id', '=', k.channel_id)
    .where('broken_reason', 'is', null)
    .returning(['created_by', 'created_by_id']).execute();
  const owners = new Map<string, Owner>();
  for (const r of [...subs, ...watches]) owners.set(r.created_by_id ?? r.created_by, { name: r.created_by, id: r.created_by_id });
  return [...owners.values()];
}
