import type { Kysely } from 'kysely';
import type { Database } from './db/schema.js';
import type { ChannelRef, Owner } from './identity.js';
import { deliveryStatus } from './alerts/delivery-status.js';
import type { ChannelDeliveries } from './alerts/delivery-status.js';
import { subscribe, subscriptionOf, unsubscribe, unwatch, watch, watchesOf } from './alerts/subscriptions.js';
import type { Subscription, SubscriptionOptions, Watch, WatchTarget } from './alerts/subscriptions.js';
import { clearanceOf, setClearance } from './trust/clearance.js';
import type { Clearance } from './trust/clearance.js';

/**
 * What a channel has asked for: repeat-breach alerts and their filters, the victims,
 * vendors and techniques it watches, and the highest TLP it may be shown. Commands
 * read and change these only through here.
 */
export interface ChannelSettings {
  subscription(channel: ChannelRef): Promise<Subscription | null>;
  subscribe(channel: ChannelRef, by: Owner, options?: SubscriptionOptions): Promise<'created' | 'updated'>;
  unsubscribe(channel: ChannelRef, by: Owner): Promise<boolean>;
  /** The channel's alerts pending, sent and failed. */
  deliveries(channel: ChannelRef): Promise<ChannelDeliveries | undefined>;
  watches(channel: ChannelRef): Promise<Watch[]>;
  watch(channel: ChannelRef, target: WatchTarget, by: Owner): Promise<boolean>;
  unwatch(channel: ChannelRef, target: Pick<WatchTarget, 'kind' | 'value'>, by: Owner): Promise<boolean>;
  /** The channel's clearance, or the configured default until it sets one. */
  clearance(channel: ChannelRef): Promise<Clearance>;
  setClearance(channel: ChannelRef, clearance: Clearance, by: Owner): Promise<void>;
}

export function createChannelSettings(db: Kysely<Database>, clearanceDefault: Clearance): ChannelSettings {
  return {
    subscription: (channel) => subscriptionOf(db, channel),
    subscribe: (channel, by, options) => subscribe(db, channel, by, options),
    unsubscribe: (channel, by) => unsubscribe(db, channel, by),
    deliveries: async (channel) => (await deliveryStatus(db, channel))[0],
    watches: (channel) => watchesOf(db, channel),
    watch: (channel, target, by) => watch(db, channel, target, by),
    unwatch: (channel, target, by) => unwatch(db, channel, target, by),
    clearance: (channel) => clearanceOf(db, channel, clearanceDefault),
    setClearance: (channel, clearance, by) => setClearance(db, channel, clearance, by),
  };
}
