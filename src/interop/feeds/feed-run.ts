import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Ledger } from '../../ledger.js';
import type { ImportSummary } from '../import-summary.js';
import { FEED_SOURCES } from './feed-kinds.js';
import { fetchFeed } from './feed-fetch.js';
import type { Feed } from './feed-store.js';

/** What one run of a feed did. */
export type FeedRun =
  | { ok: true; changed: boolean; summary: ImportSummary | null; backfill: boolean }
  | { ok: false; error: string; retryAfterSeconds: number | null; failingForADay: boolean };

/** After a failure the next try comes sooner than the schedule: a minute, doubling, never later than the schedule. */
export function retryDelaySeconds(consecutiveFailures: number, everySeconds: number, retryAfterSeconds: number | null): number {
  const backOff = Math.min(everySeconds, 60 * 2 ** Math.min(consecutiveFailures - 1, 20));
  return Math.max(backOff, retryAfterSeconds ?? 0);
}

const DAY_MS = 86_400_000;

/**
 * Runs one claimed feed: a conditional fetch, then its importer. The first run backfills
 * without alerts; later runs raise the alerts a report typed in chat would. The outcome
 * is recorded under the claim's token (a run whose claim another process took over
 * records nothing).
 */
export async function runFeed(ledger: Ledger, feed: Feed, token: string, options: { allowPrivate?: boolean } = {}): Promise<FeedRun> {
  const db = ledger.db;
  let run: FeedRun;
  try {
    const fetched = await fetchFeed(feed.url, { etag: feed.etag, lastModified: feed.last_modified }, { allowPrivate: options.allowPrivate });
    const hash = fetched.changed ? createHash('sha256').update(fetched.body).digest('hex') : feed.body_hash;
    // A server without validators sends the same body again: nothing to read.
    const changed = fetched.changed && hash !== feed.body_hash;
    const summary = changed && fetched.changed ? await FEED_SOURCES[feed.kind].importBody(ledger, fetched.body, { alerts: feed.backfilled }) : null;
    await db.updateTable('feeds').where('id', '=', feed.id).where('claim_token', '=', token).set((eb) => ({
      ...(fetched.changed ? { etag: fetched.etag, last_modified: fetched.lastModified, body_hash: hash } : {}),
      backfilled: true, runs: eb('runs', '+', 1), records_imported: eb('records_imported', '+', summary?.imported ?? 0),
      consecutive_failures: 0, failing_since: null, failure_told_at: null, last_error: null,
      last_success_at: sql<Date>`now()`, next_run_at: sql<Date>`now() + ${feed.every_seconds} * interval '1 second'`,
      claimed_until: null, claim_token: null,
    })).execute();
    run = { ok: true, changed, summary, backfill: !feed.backfilled };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const retryAfter = (error as { retryAfterSeconds?: number | null }).retryAfterSeconds ?? null;
    const failures = feed.consecutive_failures + 1;
    const since = feed.failing_since ?? new Date();
    await db.updateTable('feeds').where('id', '=', feed.id).where('claim_token', '=', token).set((eb) => ({
      failures: eb('failures', '+', 1), consecutive_failures: failures, last_error: message.slice(0, 500),
      failing_since: sql<Date>`coalesce(failing_since, now())`, runs: eb('runs', '+', 1),
      next_run_at: sql<Date>`now() + ${retryDelaySeconds(failures, feed.every_seconds, retryAfter)} * interval '1 second'`,
      claimed_until: null, claim_token: null,
    })).execute();
    run = { ok: false, error: message, retryAfterSeconds: retryAfter, failingForADay: Date.now() - since.getTime() >= DAY_MS && feed.failure_told_at === null };
  }
  return run;
}

/** Records that the channel was told of a feed failing for a day (once, until it works again). */
export async function markFailureTold(ledger: Ledger, feedId: number): Promise<void> {
  await ledger.db.updateTable('feeds').where('id', '=', feedId).set({ failure_told_at: sql<Date>`now()` }).execute();
}
