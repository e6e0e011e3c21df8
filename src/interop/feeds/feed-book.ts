import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { addFeed, listFeeds, removeFeed } from './feed-store.js';
import type { Feed, FeedOwner } from './feed-store.js';

/** The feeds as commands see them: listed, added, removed (the poller runs them). */
export interface FeedBook {
  list(): Promise<Feed[]>;
  add(kind: string, url: string, everySeconds: number, owner: FeedOwner): Promise<{ feed: Feed; added: boolean }>;
  /** By number or address; the feed removed, or null when there is none such. */
  remove(which: string): Promise<Feed | null>;
}

export function feedBook(db: Kysely<Database>, options: { allowPrivate?: boolean } = {}): FeedBook {
  return {
    list: () => listFeeds(db),
    add: (kind, url, everySeconds, owner) => addFeed(db, kind, url, everySeconds, owner, options),
    remove: (which) => removeFeed(db, which),
  };
}

/** "6 h", "30 min", "1 day": a feed's period as people read it. */
export function period(seconds: number): string {
  if (seconds % 86_400 === 0) return seconds === 86_400 ? '1 day' : `${seconds / 86_400} days`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  return `${Math.round(seconds / 60)} min`;
}

/** One line a feed: what it is, how often, how it has done. */
export function feedLine(f: Feed): string {
  const state = f.consecutive_failures > 0
    ? `failing since ${f.failing_since?.toISOString().slice(0, 16).replace('T', ' ')} UTC: ${f.last_error ?? 'unknown error'}`
    : f.last_success_at ? `last run ${f.last_success_at.toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'not run yet';
  return `#${f.id} ${f.kind} ${f.url} — every ${period(f.every_seconds)}; ${Number(f.records_imported).toLocaleString('en-US')} records imported; ${state}`;
}

/** A feed as programs read it (`feeds list --json`, `/healthz`). */
export function feedJson(f: Feed) {
  return {
    id: f.id, kind: f.kind, url: f.url, everySeconds: f.every_seconds, addedBy: f.added_by,
    channel: f.channel_id ? { platform: f.platform, workspace: f.workspace || null, channelId: f.channel_id } : null,
    nextRunAt: f.next_run_at.toISOString(), lastSuccessAt: f.last_success_at?.toISOString() ?? null, recordsImported: Number(f.records_imported),
    failures: f.failures, failingSince: f.failing_since?.toISOString() ?? null, lastError: f.last_error,
  };
}
