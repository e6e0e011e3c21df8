import { createHash } from 'node:crypto';
import type { AlertSender } from '../../alerts/alert-sender.js';
import { textMessage } from '../../presentation/message.js';
import type { Feed } from './feed-store.js';

/**
 * Tells the channel that added a feed, through the platform's alert sender, that the
 * feed has failed for a day. One notice a failing spell: its nonce names the feed and
 * the day the spell began, so a retry after a crash is recognised as sent.
 */
export function feedFailureNotice(senders: ReadonlyMap<string, AlertSender>) {
  return async (feed: Feed, text: string): Promise<void> => {
    const sender = feed.platform && feed.channel_id ? senders.get(feed.platform) : undefined;
    if (!sender || !feed.platform || !feed.channel_id) return;
    const since = (feed.failing_since ?? new Date()).toISOString().slice(0, 10);
    // Discord takes a nonce of at most 25 characters.
    const nonce = createHash('sha256').update(`feed ${feed.id} failing since ${since}`).digest('base64url').slice(0, 20);
    await sender.send({ platform: feed.platform, workspace: feed.workspace === '' ? null : feed.workspace, channelId: feed.channel_id }, textMessage(text), { nonce, threadOf: null });
  };
}
