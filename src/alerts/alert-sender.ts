import type { Message } from '../presentation/message.js';
import type { AlertChannel } from '../identity.js';

/** How a platform refused a post. */
export type DeliveryFailure =
  /** Try again later: a 5xx, a timeout, a network error. */
  | { kind: 'transient' }
  /** Too many requests: try again after this long. */
  | { kind: 'rate-limited'; retryAfterMs: number }
  /** Never going to work: channel gone, bot removed, missing access. */
  | { kind: 'permanent' };

export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  constructor(
    message: string,
    readonly failure: DeliveryFailure,
  ) {
    super(message);
  }
}

/** A chat surface's way of posting alerts into its channels. */
export interface AlertSender {
  /**
   * Posts one alert. `nonce` travels with the message (Discord's nonce, Slack's
   * message metadata) so a resend after a crash is recognised; `threadOf` is the
   * platform id of the victim's first alert in this channel, to reply under.
   * Every platform call is bounded by a timeout of its own (the dispatcher renews its
   * lease meanwhile); a timeout is a transient failure, retried after asking `findSent`.
   * Throws a DeliveryError saying whether to retry.
   */
  send(channel: AlertChannel, message: Message, options: { nonce: string; threadOf: string | null }): Promise<{ messageId: string | null }>;
  /**
   * After a crash between posting and recording it: the id of the message already
   * posted with this nonce, if the platform can tell; undefined when it cannot.
   */
  findSent?(channel: AlertChannel, nonce: string): Promise<string | null | undefined>;
  /** Tells a person (the one who set alerts up) something, privately. Best effort. */
  tell?(channel: AlertChannel, userId: string, text: string): Promise<void>;
}
