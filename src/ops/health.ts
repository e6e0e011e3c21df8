import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { feedJson } from '../interop/feeds/feed-book.js';
import { listFeeds } from '../interop/feeds/feed-store.js';
import { withTimeout } from './metrics.js';

/** What /healthz answers: 200 when everything is up, 503 otherwise. */
export interface Health {
  status: 200 | 503;
  body: {
    status: 'ok' | 'unavailable' | 'shutting down';
    database: 'ok' | 'unavailable';
    adapters: Record<string, 'connected' | 'disconnected'>;
    /** Each public feed polled (`breachdesk feeds`): a failing feed is told here, not by the status, since the bot still serves. */
    feeds?: FeedHealth[];
  };
}

/** What /healthz tells of a feed: how it runs, not who added it where (the endpoint is unauthenticated). */
export type FeedHealth = Pick<ReturnType<typeof feedJson>, 'id' | 'kind' | 'url' | 'lastSuccessAt' | 'recordsImported' | 'failures' | 'failingSince' | 'lastError'>;
const feedHealth = (f: Parameters<typeof feedJson>[0]): FeedHealth => {
  const { id, kind, url, lastSuccessAt, recordsImported, failures, failingSince, lastError } = feedJson(f);
  return { id, kind, url, lastSuccessAt, recordsImported, failures, failingSince, lastError };
};

export interface HealthSources {
  db: Kysely<Database>;
  /** Each chat surface that runs, and whether it is connected right now. */
  adapters: Record<string, () => boolean>;
  shuttingDown: () => boolean;
  timeoutMs?: number;
}

/** Asks the database for `select 1` (with a short timeout) and each surface for its connection. */
export async function checkHealth(sources: HealthSources): Promise<Health> {
  const database = await withTimeout(sql`select 1`.execute(sources.db), sources.timeoutMs ?? 2_000).then(() => 'ok' as const, () => 'unavailable' as const);
  const adapters = Object.fromEntries(Object.entries(sources.adapters).map(([name, connected]) => [name, connected() ? 'connected' as const : 'disconnected' as const]));
  const up = database === 'ok' && Object.values(adapters).every((a) => a === 'connected');
  const status = sources.shuttingDown() ? 'shutting down' : up ? 'ok' : 'unavailable';
  const feeds = database === 'ok' ? await withTimeout(listFeeds(sources.db), sources.timeoutMs ?? 2_000).catch(() => []) : [];
  return {
    status: status === 'ok' ? 200 : 503,
    body: { status, database, adapters, ...(feeds.length > 0 ? { feeds: feeds.map(feedHealth) } : {}) },
  };
}
