import type { AlertSender } from '../alerts/alert-sender.js';
import type { ChatPlatform } from '../db/schema.js';

/**
 * The one shape every chat surface (Slack, Discord, the terminal shell) offers the
 * process that serves it, so that process holds a list of surfaces rather than a
 * branch per platform.
 *
 * @example
 *   for (const surface of surfaces) {
 *     await surface.start();
 *     stops.push(() => surface.stop());
 *     if (surface.alertSender) alerts.register(surface.platform, surface.alertSender);
 *   }
 */
export interface ChatSurface {
  readonly platform: ChatPlatform;
  /** Resolves once the surface takes commands (what it resolves to is the surface's own: Slack's HTTP server). */
  start(): Promise<unknown>;
  /** Lets what is in flight finish, replies included, then lets go of the platform. */
  stop(): Promise<void>;
  /**
   * Whether the platform can reach the bot now; null where there is no connection
   * to watch (the terminal), and /healthz does not list such a surface.
   */
  health(): boolean | null;
  /** Posts alerts into this surface's channels. */
  readonly alertSender: AlertSender | null;
  /** The workspace (Slack team, Discord server) a channel belongs to, for channels named at start; null where there is none. */
  workspaceOf(channelId: string): Promise<string | null>;
}
