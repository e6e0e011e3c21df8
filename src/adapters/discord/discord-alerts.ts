import { DiscordAPIError, REST, RateLimitError, Routes } from 'discord.js';
import type { AlertSender } from '../../alerts/alert-sender.js';
import { DeliveryError } from '../../alerts/alert-sender.js';
import { renderDiscord } from './embeds.js';
import { timelineFiles } from './timeline-files.js';

/** Unknown Channel, Unknown Guild, Missing Access, Missing Permissions, Cannot send messages in this channel. */
const PERMANENT_CODES = new Set([10003, 10004, 50001, 50013, 50008]);
const MISSING_PERMISSIONS = 50013;

/**
 * Posts alerts through a REST client of its own that never retries by itself (the
 * outbox decides), with the delivery's nonce and `enforce_nonce`: Discord returns
 * the first message instead of posting a second when a post is repeated after a crash.
 */
export function discordAlertSender(options: { token: string; apiUrl?: string; timeoutMs?: number }): AlertSender {
  const rest = new REST({ ...(options.apiUrl ? { api: options.apiUrl } : {}), retries: 0, timeout: options.timeoutMs ?? 15_000, rejectOnRateLimit: () => true })
    .setToken(options.token);
  return {
    async send(channel, message, { nonce, threadOf }) {
      // The alert's timeline is attached and shown as its embed's image.
      const drawn = await timelineFiles(renderDiscord(message));
      const { files } = drawn;
      const rendered = { embeds: drawn.message.embeds, components: drawn.message.components, allowed_mentions: drawn.message.allowed_mentions };
      const post = async (replyTo: string | null) => {
        const posted = await rest.post(Routes.channelMessages(channel.channelId), {
          files: files.map((f) => ({ name: f.name, data: f.data, contentType: 'image/png' })),
          body: {
            ...rendered,
            ...(files.length ? { attachments: files.map((f, id) => ({ id, filename: f.name, description: f.description })) } : {}),
            nonce,
            enforce_nonce: true,
            // Later alerts about a victim reply to its first one in the channel.
            ...(replyTo ? { message_reference: { message_id: replyTo, fail_if_not_exists: false } } : {}),
          },
        }) as { id?: string };
        return { messageId: posted.id ?? null };
      };
      try {
        try {
          return await post(threadOf);
        } catch (error) {
          // A reply needs Read Message History, which invites made before it was asked
          // for lack: the alert goes out on its own rather than the channel being lost.
          if (threadOf && error instanceof DiscordAPIError && Number(error.code) === MISSING_PERMISSIONS) return await post(null);
          throw error;
        }
      } catch (error) {
        throw classify(error);
      }
    },
    async tell(_channel, userId, text) {
      const dm = await rest.post(Routes.userChannels(), { body: { recipient_id: userId } }) as { id: string };
      await rest.post(Routes.channelMessages(dm.id), { body: { content: text, allowed_mentions: { parse: [] } } });
    },
  };
}

function classify(error: unknown): DeliveryError {
  if (error instanceof RateLimitError) return new DeliveryError(error.message, { kind: 'rate-limited', retryAfterMs: error.retryAfter });
  if (error instanceof DiscordAPIError) {
    const permanent = PERMANENT_CODES.has(Number(error.code)) || error.status === 403 || error.status === 404;
    return new DeliveryError(`${error.message} (${error.status}${error.code ? `, code ${error.code}` : ''})`, { kind: permanent ? 'permanent' : 'transient' });
  }
  return new DeliveryError(error instanceof Error ? error.message : String(error), { kind: 'transient' });
}
