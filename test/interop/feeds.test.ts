import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribe } from '../../src/alerts/subscriptions.js';
import type { LedgerDatabase } from '../../src/db/database.js';
import { createLedger } from '../../src/ledger.js';
import type { Ledger } from '../../src/ledger.js';
import { createLogger } from '../../src/log.js';
import { createFeedPoller } from '../../src/interop/feeds/feed-poller.js';
import { retryDelaySeconds } from '../../src/interop/feeds/feed-run.js';
import { fetchFeed } from '../../src/interop/feeds/feed-fetch.js';
import { addFeed, checkFeed, findFeed, parseEvery } from '../../src/interop/feeds/feed-store.js';
import { isPrivateAddress } from '../../src/interop/feeds/public-address.js';
import type { Feed } from '../../src/interop/feeds/feed-store.js';
import { checkHealth } from '../../src/ops/health.js';
import { createMetrics } from '../../src/ops/metrics.js';
import { backends, freshDatabase } from '../support/databases.js';

/** A day `n` days before today, as HIBP writes BreachDate. */
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const breach = (name: string, title: string, date: string, count: number, account = `${title}: accounts taken.`) => ({
  Name: name, Title: title, Domain: 'forum.example.org', BreachDate: date, AddedDate: `${date}T12:00:00Z`, ModifiedDate: `${date}T12:00:00Z`,
  PwnCount: count, Description: account, DataClasses: ['Email addresses', 'Passwords'],
  IsVerified: true, IsFabricated: false, IsSensitive: false, IsRetired: false, IsSpamList: false, IsMalware: false, IsSubscriptionFree: false, IsStealerLog: false,
});

/** A feed's server on loopback: serves `answer`, which each test sets; records each request's headers. */
class FeedServer {
  answer: { status: number; body?: string; etag?: string; headers?: Record<string, string>; cutOff?: boolean } = { status: 200, body: '[]' };
  requests: IncomingHttpHeaders[] = [];
  private server: Server = createServer((req, res) => {
    this.requests.push(req.headers);
    const { status, body = '', etag, headers = {}, cutOff } = this.answer;
    if (etag && req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json', ...(etag ? { etag } : {}), 'content-length': String(Buffer.byteLength(body) + (cutOff ? 500 : 0)), ...headers });
    if (cutOff) {
      res.write(body);
      res.socket?.destroy();
      return;
    }
    res.end(body);
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/v3/breaches`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('feed schedules', () => {
  it('GIVEN a period as people write it THEN seconds; anything else names the field', () => {
    expect([parseEvery('30m'), parseEvery('6h'), parseEvery('1d')]).toEqual([1800, 21_600, 86_400]);
    expect(() => parseEvery('0m')).toThrow('every "0m" is not a period between 1m and 30d');
    expect(() => parseEvery('weekly')).toThrow('every "weekly"');
  });
  it('GIVEN failures in a row THEN the next try comes after a minute, doubling, never later than the schedule, never before Retry-After', () => {
    expect([1, 2, 3, 9].map((n) => retryDelaySeconds(n, 21_600, null))).toEqual([60, 120, 240, 15_360]);
    expect(retryDelaySeconds(12, 21_600, null)).toBe(21_600);
    expect(retryDelaySeconds(1, 21_600, 900)).toBe(900);
  });
});

describe.each(backends)('polling a feed on %s', (backend) => {
  let database: LedgerDatabase;
  let ledger: Ledger;
  const server = new FeedServer();
  let url = '';
  const told: string[] = [];
  const log = createLogger('error');
  // The feed's server is on loopback: allowed here as FEEDS_ALLOW_PRIVATE would.
  const poller = () => createFeedPoller({ ledger, log, allowPrivate: true, tell: (_feed, text) => Promise.resolve(void told.push(text)) });
  const feed = async () => (await findFeed(database.db, url))!;
  const due = () => sql`update feeds set next_run_at = now()`.execute(database.db);
  const deliveries = async () => Number((await database.db.selectFrom('alert_deliveries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const first = [breach('Adobe', 'Adobe', '2013-10-04', 152_445_165), breach('ExampleForum', 'Example Forum', daysAgo(200), 48_211)];

  beforeAll(async () => {
    database = await freshDatabase(backend);
    ledger = createLedger(database.db, { windowDays: 365 });
    url = await server.start();
    await subscribe(database.db, { platform: 'slack', workspace: 'T1', channelId: 'C-SEC' }, { name: 'analyst', id: 'U1' });
    await addFeed(database.db, 'hibp', url, 21_600, { channel: { platform: 'slack', workspace: 'T1', channelId: 'C-SEC' }, addedBy: 'analyst' }, { allowPrivate: true });
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  it('GIVEN a new feed THEN its first run backfills without alerts, and it is not run again before its time', async () => {
    server.answer = { status: 200, body: JSON.stringify(first), etag: '"v1"' };
    expect(await poller().runDue()).toBe(1);
    expect(await feed()).toMatchObject({ backfilled: true, records_imported: 2, etag: '"v1"', consecutive_failures: 0 });
    expect(await deliveries()).toBe(0);
    expect(await poller().runDue()).toBe(0);
  });

  it('GIVEN an unchanged source THEN one conditional request answered 304, nothing imported', async () => {
    await due();
    server.requests = [];
    expect(await poller().runDue()).toBe(1);
    expect(server.requests[0]?.['if-none-match']).toBe('"v1"');
    expect(await feed()).toMatchObject({ records_imported: 2, runs: 2 });
  });

  it('GIVEN a new breach of a known victim in the source THEN only it is imported and it raises the repeat alert a chat report would', async () => {
    server.answer = { status: 200, body: JSON.stringify([...first, breach('ExampleForum2026', 'Example Forum', daysAgo(20), 52_006, 'A second intrusion, through the image upload, months after the first was fixed.')]), etag: '"v2"' };
    await due();
    await poller().runDue();
    expect(await feed()).toMatchObject({ records_imported: 3, etag: '"v2"' });
    expect(await deliveries()).toBe(1);
  });

  it('GIVEN a record the importer cannot read THEN it alone is left out', async () => {
    server.answer = { status: 200, body: JSON.stringify([...first, { Name: 'Broken', Title: 'Broken', BreachDate: 'soon' }, breach('Other', 'Other Site', daysAgo(400), 900)]), etag: '"v3"' };
    await due();
    await poller().runDue();
    expect(await feed()).toMatchObject({ records_imported: 4, last_error: null });
  });

  it('GIVEN errors (500, 429 with Retry-After, a cut-off body, not JSON) THEN each is recorded, tried again sooner, never past Retry-After', async () => {
    const failWith = async (answer: FeedServer['answer']) => {
      server.answer = answer;
      await due();
      await poller().runDue();
      const f = await feed();
      return { f, waitSeconds: Math.round((f.next_run_at.getTime() - Date.now()) / 1000) };
    };
    const e500 = await failWith({ status: 500, body: 'oops' });
    expect(e500.f).toMatchObject({ last_error: 'HTTP 500 Internal Server Error', consecutive_failures: 1 });
    expect(e500.waitSeconds).toBeGreaterThan(50);
    expect(e500.waitSeconds).toBeLessThanOrEqual(60);
    const e429 = await failWith({ status: 429, body: '', headers: { 'retry-after': '900' } });
    expect(e429.f).toMatchObject({ last_error: 'HTTP 429 Too Many Requests', consecutive_failures: 2 });
    expect(e429.waitSeconds).toBeGreaterThan(890);
    expect((await failWith({ status: 200, body: '[{"Name": "Ad', cutOff: true })).f.last_error).toBe('the answer was cut off before its end');
    expect((await failWith({ status: 200, body: '<html>maintenance</html>' })).f.last_error).toMatch(/^hibp: not JSON/);
    expect(await feed()).toMatchObject({ consecutive_failures: 4, records_imported: 4 });
    expect(told).toEqual([]);
  });

  it('GIVEN a feed failing for a day THEN the channel that added it is told once; once it works again, all is clear', async () => {
    await sql`update feeds set failing_since = now() - interval '25 hours'`.execute(database.db);
    server.answer = { status: 503, body: '' };
    await due();
    await poller().runDue();
    await due();
    await poller().runDue();
    expect(told).toHaveLength(1);
    expect(told[0]).toContain(`The hibp feed ${url} has failed for a day (last: HTTP 503`);
    server.answer = { status: 200, body: JSON.stringify(first), etag: '"v4"' };
    await due();
    await poller().runDue();
    expect(await feed()).toMatchObject<Partial<Feed>>({ consecutive_failures: 0, failing_since: null, failure_told_at: null, last_error: null });
  });

  it('GIVEN two processes polling at once THEN the feed is fetched once', async () => {
    await due();
    server.requests = [];
    const ran = await Promise.all([poller().runDue(), poller().runDue()]);
    expect(ran.sort()).toEqual([0, 1]);
    expect(server.requests).toHaveLength(1);
  });

  it('GIVEN feeds THEN /healthz lists each with its last success and failures, and /metrics has their figures; a failing feed does not make the bot unhealthy', async () => {
    await sql`update feeds set consecutive_failures = 2, failing_since = now(), last_error = 'HTTP 503'`.execute(database.db);
    const health = await checkHealth({ db: database.db, adapters: {}, shuttingDown: () => false });
    expect(health.status).toBe(200);
    expect(health.body.feeds).toMatchObject([{ kind: 'hibp', url, recordsImported: 4, lastError: 'HTTP 503' }]);
    expect(health.body.feeds?.[0]?.lastSuccessAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const { id } = await feed();
    const text = await createMetrics({ db: database.db, pool: database.pool }).registry.metrics();
    expect(text).toContain(`breachdesk_feed_records_imported{feed="${id}",kind="hibp"} 4`);
    expect(text).toContain(`breachdesk_feed_failing{feed="${id}",kind="hibp"} 1`);
    expect(text).toMatch(new RegExp(`breachdesk_feed_last_success_timestamp_seconds\\{feed="${id}",kind="hibp"\\} \\d+`));
  });
});

describe('where a feed may be fetched from', () => {
  it('GIVEN private, loopback and link-local addresses THEN they are told from public ones, IPv6 and mapped IPv4 included', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1']) expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '104.16.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) expect(isPrivateAddress(a), a).toBe(false);
  });

  it('GIVEN a private or loopback address and no FEEDS_ALLOW_PRIVATE THEN it is refused when added and when fetched; redirects are checked; a body over 50 MB is refused', async () => {
    expect(() => checkFeed('hibp', 'http://127.0.0.1:8080/breaches')).toThrow('url: 127.0.0.1:8080 is a private or loopback address');
    expect(() => checkFeed('hibp', 'http://localhost/breaches')).toThrow(/private or loopback/);
    expect(() => checkFeed('hibp', 'http://[::1]/breaches')).toThrow(/private or loopback/);
    expect(checkFeed('hibp', 'http://127.0.0.1:8080/breaches', { allowPrivate: true }).url).toBe('http://127.0.0.1:8080/breaches');
    const server = new FeedServer();
    const url = await server.start();
    try {
      await expect(fetchFeed(url, { etag: null, lastModified: null })).rejects.toThrow(/is a private or loopback address; feeds fetch only from the public internet unless FEEDS_ALLOW_PRIVATE is set/);
      expect(server.requests).toHaveLength(0);
      // Every hop is checked as the first: here, a redirect away from http(s).
      server.answer = { status: 302, headers: { location: 'file:///etc/passwd' } };
      await expect(fetchFeed(url, { etag: null, lastModified: null }, { allowPrivate: true })).rejects.toThrow('redirected to file: (only http and https)');
      server.answer = { status: 200, body: 'x'.repeat(10), headers: { 'content-length': String(60 * 1024 * 1024) } };
      await expect(fetchFeed(url, { etag: null, lastModified: null }, { allowPrivate: true })).rejects.toThrow(/over the 52428800 a feed may be/);
    } finally {
      await server.close();
    }
  });
});
