import { timelinePng } from '../../presentation/timeline-png.js';
import type { Logger } from '../../log.js';
import type { DiscordMessage } from './embeds.js';

/** A drawn picture, ready to attach. */
export interface DiscordFile {
  name: string;
  data: Buffer;
  description: string;
}

/**
 * Draws the message's timeline pictures (Discord's dark theme). A picture that cannot
 * be drawn is left out, and its embed loses the image: the answer goes out all the same.
 */
export async function timelineFiles(message: DiscordMessage, log?: Logger): Promise<{ message: DiscordMessage; files: DiscordFile[] }> {
  if (message.pictures.length === 0) return { message, files: [] };
  const drawn = await Promise.all(message.pictures.map(async (p) => {
    try {
      return { name: p.name, data: await timelinePng(p.timeline, 'dark'), description: p.alt };
    } catch (error) {
      log?.warn('could not draw a timeline; the answer goes without it', { error });
      return null;
    }
  }));
  const files = drawn.filter((f): f is DiscordFile => f !== null);
  const names = new Set(files.map((f) => `attachment://${f.name}`));
  const embeds = message.embeds.map((e) => (e.image && !names.has(e.image.url) ? { ...e, image: undefined } : e));
  return { message: { ...message, embeds }, files };
}
