import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely, Selectable } from 'kysely';
import { FEED_KINDS } from '../../db/schema.js';
import type { ChatPlatform, Database, FeedKind, FeedTable } from '../../db/schema.js';
import { ValidationError } from '../../errors.js';
import { isPrivateHost } from './public-address.js';

export type Feed = Selectable<FeedTable>;

/** The channel a feed was added from (told when it fails for a day), or none from the command line. */
export interface FeedOwner {
  channel: { platform: ChatPlatform; workspace: string | null; channelId: string } | null;
  addedBy: string;
}

const UNITS: Record<string, number> = { m: 60, h: 3600, d: 86_400 };
export const DEFAULT_EVERY = '6h';

/** "30m", "6h", "1d": seconds, between a minute and thirty days. */
export function parseEvery(text: string): number {
  const match = /^(\d{1,4})\s*([mhd])$/i.exec(text.trim());
  const seconds = match ? Number(match[1]) * UNITS[match[2]!.toLowerCase()]! : NaN;
  if (!(seconds >= 60 && seconds <= 30 * 86_400)) {
    throw new ValidationError([{ field: 'every', message: `every "${text}" is not a period between 1m and 30d, such as 30m, 6h or 1d.` }]);
  }
  return seconds;
}

/** Checks a feed's kind and address before anything is stored (a private address, when named as one, unless allowed). */
export function checkFeed(kind: string, url: string, options: { allowPrivate?: boolean } = {}): { kind: FeedKind; url: string } {
  if (!(FEED_KINDS as readonly string[]).includes(kind)) throw new ValidationError([{ field: 'kind', message: `a feed is one of: ${FEED_KINDS.join(', ')}; not "${kind}".` }]);
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    // reported below
  }
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || url.length > 2000) {
    throw new ValidationError([{ field: 'url', message: `the feed's address must be an http(s) URL, not "${url.slice(0, 80)}".` }]);
  }
  if (!options.allowPrivate && isPrivateHost(parsed.hostname)) {
    throw new ValidationError([{ field: 'url', message: `${parsed.host} is a private or loopback address; feeds fetch only from the public internet unless FEEDS_ALLOW_PRIVATE is set.` }]);
  }
  return { kind: kind as FeedKind, url: parsed.href };
}

export async function addFeed(db: Kysely<Database>, kind: string, url: string, everySeconds: number, owner: FeedOwner, options: { allowPrivate?: boolean } = {}): Promise<{ feed: Feed; added: boolean }> {
  const checked = checkFeed(kind, url, options);
  const inserted = await db.insertInto('feeds').values({
    kind: checked.kind, url: checked.url, every_seconds: everySeconds, added_by: owner.addedBy,
    platform: owner.channel?.platform ?? null, workspace: owner.channel?.workspace ?? '', channel_id: owner.channel?.channelId ?? null,
  }).onConflict((oc) => oc.columns(['kind', 'url']).doNothing()).returningAll().executeTakeFirst();
  if (inserted) return { feed: inserted, added: true };
  return { feed: (await db.selectFrom('feeds').selectAll().where('kind', '=', checked.kind).where('url', '=', checked.url).executeTakeFirstOrThrow()), added: false };
}

export function listFeeds(db: Kysely<Database>): Promise<Feed[]> {
  return db.selectFrom('feeds').selectAll().orderBy('id').execute();
}

/** A feed by its number or its address. */
export async function findFeed(db: Kysely<Database>, which: string): Promise<Feed | null> {
  const id = /^\d{1,9}$/.test(which.trim()) ? Number(which) : null;
  return (await db.selectFrom('feeds').selectAll()
    .where((eb) => (id !== null ? eb('id', '=', id) : eb('url', '=', which.trim())))
    .executeTakeFirst()) ?? null;
}

export async function removeFeed(db: Kysely<Database>, which: string): Promise<Feed | null> {
  const feed = await findFeed(db, which);
  if (!feed) return null;
  await db.deleteFrom('feeds').where('id', '=', feed.id).execute();
  return feed;
}

/**
 * Claims one feed that is due (or whose claim ran out: its process died) for `leaseMs`,
 * skipping feeds another process holds. Null when none is due.
 */
export async function claimDueFeed(db: Kysely<Database>, leaseMs: number, options: { feedId?: number } = {}): Promise<{ feed: Feed; token: string } | null> {
  const token = randomUUID();
  const { rows } = await sql<Feed>`
    update feeds as f
       set claimed_until = now() + ${leaseMs} * interval '1 millisecond', claim_token = ${token}
      from (select id from feeds
             where (claimed_until is null or claimed_until < now())
               and ${options.feedId === undefined ? sql`next_run_at <= now()` : sql`id = ${options.feedId}`}
             order by next_run_at, id
             limit 1
             for update skip locked) as due
     where f.id = due.id
 returning f.*`.execute(db);
  return rows[0] ? { feed: rows[0], token } : null;
}
