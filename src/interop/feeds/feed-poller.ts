import type { Ledger } from '../../ledger.js';
import type { Logger } from '../../log.js';
import { markFailureTold, runFeed } from './feed-run.js';
import type { FeedRun } from './feed-run.js';
import { claimDueFeed } from './feed-store.js';
import type { Feed } from './feed-store.js';

export interface FeedPollerOptions {
  ledger: Ledger;
  log: Logger;
  /** Tells the channel that added a feed that it has failed for a day. Best effort. */
  tell?: (feed: Feed, text: string) => Promise<void>;
  /** How often the poller looks for due feeds (default 30 s). */
  intervalMs?: number;
  /** How long a claimed run is this process's (default 10 min: an HHS file imports in under a minute). */
  leaseMs?: number;
  /** FEEDS_ALLOW_PRIVATE. */
  allowPrivate?: boolean;
}

export interface FeedPoller {
  start(): void;
  /** Stops looking; a run under way finishes. */
  stop(): Promise<void>;
  /** Runs every due feed now, one at a time; how many ran. */
  runDue(): Promise<number>;
}

/**
 * Polls the feeds on their schedules. Any number of processes may run one: each run
 * is claimed in the database, so a feed is polled by one process at a time.
 */
export function createFeedPoller(options: FeedPollerOptions): FeedPoller {
  const { ledger, log } = options;
  const leaseMs = options.leaseMs ?? 10 * 60_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | null = null;
  let stopped = false;

  async function runOne(feed: Feed, token: string): Promise<FeedRun> {
    const run = await runFeed(ledger, feed, token, { allowPrivate: options.allowPrivate });
    const name = `${feed.kind} feed ${feed.id}`;
    if (run.ok) {
      if (run.summary) log.info(`${name}: ${run.backfill ? 'backfilled' : 'imported'} ${run.summary.imported} new, ${run.summary.updated} updated, ${run.summary.invalid.length} invalid`, { feed: feed.id });
      return run;
    }
    log.warn(`${name} failed: ${run.error}`, { feed: feed.id });
    if (run.failingForADay && options.tell && feed.channel_id) {
      await options.tell(feed, `The ${feed.kind} feed ${feed.url} has failed for a day (last: ${run.error}). breachdesk keeps trying; /incident feeds shows it.`)
        .then(() => markFailureTold(ledger, feed.id))
        .catch((error: unknown) => log.warn(`${name}: could not tell its channel that it fails`, { error }));
    }
    return run;
  }

  async function runDue(): Promise<number> {
    let ran = 0;
    while (!stopped) {
      const claimed = await claimDueFeed(ledger.db, leaseMs);
      if (!claimed) break;
      await runOne(claimed.feed, claimed.token);
      ran += 1;
    }
    return ran;
  }

  const tick = () => {
    if (running || stopped) return;
    running = runDue().catch((error: unknown) => {
      log.warn('feed poller could not run', { error });
      return 0;
    }).finally(() => (running = null));
  };

  return {
    start() {
      stopped = false;
      timer = setInterval(tick, options.intervalMs ?? 30_000);
      timer.unref();
      tick();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
    runDue,
  };
}
