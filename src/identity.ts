import type { ChatPlatform, Platform } from './db/schema.js';
import { UserError } from './errors.js';

// Who acted and where, in no platform's terms: the core, the alerts, the dispatcher and
// every chat surface speak of people and channels with these.

/** Who is asking, in no platform's terms. */
export interface Actor {
  platform: Platform;
  /** Slack workspace (team id) or Discord guild id; null in the shell. */
  workspace: string | null;
  userId: string;
  displayName?: string;
  /** Whether the platform says this person may manage the channel's alerts. */
  canManageChannel?: boolean;
  /** Slack user groups or Discord roles this person holds, for the permission lists. */
  groups?: readonly string[];
}

/** Where a command was typed, and where a channel's alerts go. */
export interface ChannelRef {
  platform: Platform;
  workspace: string | null;
  channelId: string;
}

/** A chat channel: one that can hear of repeat breaches or watch something (the command line and imports are none). */
export interface AlertChannel extends ChannelRef {
  platform: ChatPlatform;
}

/** Who set something up for a channel: their name to show, their platform id to tell them when it breaks. */
export interface Owner {
  name: string;
  id: string | null;
}

/** A person as the owner of what they set up (the terminal's user has no platform id). */
export function ownerOf(actor: Actor): Owner {
  return { name: actor.displayName ?? actor.userId, id: actor.platform === 'shell' ? null : actor.userId };
}

/** The channel as a chat channel; the command line and imports have none, which is the person's to hear. */
export function chatChannel(channel: ChannelRef): AlertChannel {
  if (channel.platform === 'cli' || channel.platform === 'import') {
    throw new UserError('Alerts go to chat channels; the command line has none.', 'not_a_channel');
  }
  return { ...channel, platform: channel.platform };
}

/** The key columns of a channel: `workspace` is '' where the platform has none. */
export function channelKey(channel: ChannelRef) {
  const c = chatChannel(channel);
  return { platform: c.platform, workspace: c.workspace ?? '', channel_id: c.channelId };
}
