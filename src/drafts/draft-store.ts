import type { ChatPlatform } from '../db/schema.js';

/** What a draft holds: the surface's own JSON (a form and what is filled in so far). */
export type DraftContent = Record<string, unknown>;

/**
 * Forms filled in across several round trips with the platform (Discord's report
 * form, five fields a modal), kept outside any one process: whichever process
 * receives the next click carries on, and a restart or a deploy loses nothing. A
 * draft expires when left alone for its time to live; each read gives it that long again.
 *
 * @example
 *   const id = await drafts.create('discord', { form, values: {} });
 *   const content = await drafts.get('discord', id); // null once expired or removed
 *   await drafts.save('discord', id, { ...content, values });
 *   await drafts.remove('discord', id); // recorded or cancelled
 */
export interface DraftStore {
  /** Keeps a new draft and returns its id: random, URL-safe, 12 characters (fits a Discord custom_id). */
  create(platform: ChatPlatform, content: DraftContent): Promise<string>;
  /** The draft, now good for another time to live; null when it never was, has expired or was removed. */
  get(platform: ChatPlatform, id: string): Promise<DraftContent | null>;
  /** Replaces what the draft holds; false when it has expired or was removed meanwhile. */
  save(platform: ChatPlatform, id: string, content: DraftContent): Promise<boolean>;
  remove(platform: ChatPlatform, id: string): Promise<void>;
}

/** How long a draft left alone is kept: long enough to look something up, short enough not to pile up. */
export const DRAFT_TTL_MS = 30 * 60_000;
