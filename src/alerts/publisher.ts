import type { Kysely } from 'kysely';
import type { ChatPlatform, Database } from '../db/schema.js';
import type { Message } from '../chat/message.js';
import type { ReportOutcome } from '../incidents/report.js';
import type { Logger } from '../log.js';
import { alertMessage } from './alert-message.js';
import { audienceFor } from './subscriptions.js';
import type { AlertChannel } from './subscriptions.js';

/** A chat surface's way of posting into one of its channels. */
export type AlertSender = (channel: AlertChannel, message: Message) => Promise<void>;

export interface AlertPublisher {
  /** Tells the subscribed and watching channels of a newly recorded incident. */
  publish(outcome: ReportOutcome): Promise<void>;
  /** Lets a chat surface post alerts into its channels. */
  register(platform: ChatPlatform, send: AlertSender): void;
}

/**
 * Delivers alerts right after the report commits, in this process, to the surfaces
 * that are running. Best effort: a failed post is logged, not retried. (The outbox
 * that makes alerts durable and exactly-once is its own piece of work.)
 */
export function createAlertPublisher(db: Kysely<Database>, log: Logger): AlertPublisher {
  const senders = new Map<ChatPlatform, AlertSender>();
  return {
    register(platform, send) {
      senders.set(platform, send);
    },
    async publish(outcome) {
      const audience = await audienceFor(db, outcome.victim.id, outcome.verdict.isRepeat);
      await Promise.all(audience.map(async ({ channel, reason }) => {
        const send = senders.get(channel.platform);
        if (!send) return;
        try {
          await send(channel, alertMessage(outcome, reason));
        } catch (error) {
          log.error('alert not delivered', { channel: channel.channelId, platform: channel.platform, error });
        }
      }));
    },
  };
}
