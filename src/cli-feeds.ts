import type { Ledger } from './ledger.js';
import { UserError } from './errors.js';
import { feedJson, feedLine } from './interop/feeds/feed-book.js';
import { runFeed } from './interop/feeds/feed-run.js';
import type { FeedRun } from './interop/feeds/feed-run.js';
import { DEFAULT_EVERY, addFeed, claimDueFeed, findFeed, listFeeds, parseEvery, removeFeed } from './interop/feeds/feed-store.js';
import type { Feed } from './interop/feeds/feed-store.js';

/** `breachdesk feeds list|add|remove|run`: what it prints, as lines, or JSON with --json. */
export async function feedsCommand(ledger: Ledger, positionals: string[], values: { every?: string; json?: boolean }, context: { by: string; allowPrivate: boolean }, out: (text: string) => void): Promise<void> {
  const [action = 'list', ...rest] = positionals;
  const db = ledger.db;
  if (action === 'list' && rest.length === 0) {
    const feeds = await listFeeds(db);
    if (values.json) return out(JSON.stringify({ feeds: feeds.map(feedJson) }, null, 2));
    return out(feeds.length === 0 ? 'No feeds yet. breachdesk feeds add hibp https://haveibeenpwned.com/api/v3/breaches adds one.' : feeds.map(feedLine).join('\n'));
  }
  if (action === 'add' && rest.length === 2) {
    const { feed, added } = await addFeed(db, rest[0]!.toLowerCase(), rest[1]!, parseEvery(values.every ?? DEFAULT_EVERY), { channel: null, addedBy: context.by }, { allowPrivate: context.allowPrivate });
    if (values.json) return out(JSON.stringify({ added, feed: feedJson(feed) }, null, 2));
    return out(added ? `Added ${feedLine(feed)}\nA running bot polls it when due; breachdesk feeds run ${feed.id} polls it now.` : `Already polled: ${feedLine(feed)}`);
  }
  if (action === 'remove' && rest.length === 1) {
    const removed = await removeFeed(db, rest[0]!);
    if (!removed) throw new UserError(`No feed "${rest[0]!.slice(0, 80)}"; breachdesk feeds list shows them.`);
    return out(`Removed feed #${removed.id} (${removed.kind} ${removed.url}); what it imported stays in the ledger.`);
  }
  if (action === 'run' && rest.length <= 1) {
    const which = rest[0] === undefined ? null : await findFeed(db, rest[0]);
    if (rest[0] !== undefined && !which) throw new UserError(`No feed "${rest[0].slice(0, 80)}"; breachdesk feeds list shows them.`);
    const runs: { feed: Feed; run: FeedRun }[] = [];
    for (;;) {
      const claimed = await claimDueFeed(db, 10 * 60_000, which ? { feedId: which.id } : {});
      if (!claimed) break;
      runs.push({ feed: claimed.feed, run: await runFeed(ledger, claimed.feed, claimed.token, { allowPrivate: context.allowPrivate }) });
      if (which) break;
    }
    if (which && runs.length === 0) throw new UserError(`Feed #${which.id} is being run by another process right now.`);
    if (values.json) return out(JSON.stringify({ runs: runs.map(({ feed, run }) => ({ feed: feed.id, kind: feed.kind, url: feed.url, ...run })) }, null, 2));
    return out(runs.length === 0 ? 'No feed is due.' : runs.map(({ feed, run }) => `#${feed.id} ${feed.kind}: ${runText(run)}`).join('\n'));
  }
  throw new UserError('usage: breachdesk feeds list | add hhs|hibp|ransomware URL [--every 6h] | remove NUMBER|URL | run [NUMBER]', 'usage');
}

function runText(run: FeedRun): string {
  if (!run.ok) return `failed: ${run.error}`;
  if (!run.changed || !run.summary) return 'unchanged since the last run';
  const s = run.summary;
  return `${run.backfill ? 'backfilled (no alerts)' : 'imported'} ${s.imported} new, ${s.updated} updated, ${s.skipped} unchanged, ${s.invalid.length} invalid${s.alerted ? `, ${s.alerted} alerts queued` : ''}`;
}
