import { webApi } from '@slack/bolt';
import type { AlertSender } from '../../alerts/alert-sender.js';
import { DeliveryError } from '../../alerts/alert-sender.js';
import { renderBlockKit } from './block-kit.js';
import { slackPictureUploader } from './timeline-upload.js';
import type { Logger } from '../../log.js';

/** Errors after which posting to the channel will not work until someone acts. */
const PERMANENT = new Set(['channel_not_found', 'not_in_channel', 'is_archived', 'account_inactive', 'invalid_auth', 'token_revoked',
  'missing_scope', 'restricted_action', 'no_permission', 'team_access_not_granted', 'ekm_access_denied', 'not_authed']);

const METADATA_EVENT = 'breachdesk_alert';

/**
 * Posts alerts with a Web API client of its own that never retries by itself: the
 * outbox decides about retries (5xx back off, 429 waits Retry-After), so a post is
 * never repeated behind its back. Each post carries the delivery's nonce in its
 * message metadata, so after a crash the channel's history tells whether it went out.
 */
export function slackAlertSender(options: { botToken: string; apiUrl?: string; timeoutMs?: number; log?: Logger }): AlertSender {
  const client = new webApi.WebClient(options.botToken, {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    // The client waits forever by default; the dispatcher renews its lease while it waits, so bound it.
    timeout: options.timeoutMs ?? 30_000,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: webApi.LogLevel.ERROR,
  });
  const uploadPictures = slackPictureUploader(client, options.log);
  return {
    async send(channel, message, { nonce, threadOf }) {
      const pictures = await uploadPictures(message);
      const post = (withPictures: boolean) => client.chat.postMessage({
        channel: channel.channelId,
        ...renderBlockKit(message, [], withPictures ? pictures : undefined),
        unfurl_links: false,
        unfurl_media: false,
        metadata: { event_type: METADATA_EVENT, event_payload: { nonce } },
        ...(threadOf ? { thread_ts: threadOf } : {}),
      });
      try {
        let result;
        try {
          result = await post(pictures.size > 0);
        } catch (error) {
          // Refused for a picture (invalid_blocks): the alert goes with its timeline as text.
          if (pictures.size === 0 || (error as { data?: { error?: string } }).data?.error !== 'invalid_blocks') throw error;
          result = await post(false);
        }
        return { messageId: result.ts ?? null };
      } catch (error) {
        throw classify(error);
      }
    },
    async findSent(channel, nonce) {
      try {
        const history = await client.conversations.history({ channel: channel.channelId, limit: 100, include_all_metadata: true });
        // The response types know no payload fields ({}), so read it as the record it is.
        const found = history.messages?.find((m) => (m.metadata?.event_payload as Record<string, unknown> | undefined)?.nonce === nonce);
        return found?.ts ?? null;
      } catch {
        return undefined; // Cannot tell (no history scope, Slack down): the caller resends.
      }
    },
    async tell(_channel, userId, text) {
      await client.chat.postMessage({ channel: userId, text });
    },
  };
}

function classify(error: unknown): DeliveryError {
  const e = error as { code?: string; message?: string; data?: { error?: string }; retryAfter?: number; statusCode?: number };
  const message = e.message ?? String(error);
  if (e.code === webApi.ErrorCode.RateLimitedError) return new DeliveryError(message, { kind: 'rate-limited', retryAfterMs: (e.retryAfter ?? 1) * 1000 });
  if (e.code === webApi.ErrorCode.PlatformError && PERMANENT.has(e.data?.error ?? '')) return new DeliveryError(e.data?.error ?? message, { kind: 'permanent' });
  return new DeliveryError(message, { kind: 'transient' });
}
