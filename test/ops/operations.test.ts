import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEDGER_UNAVAILABLE } from '../../src/errors.js';
import { RESTARTING } from '../../src/ops/shutdown-gate.js';
import { FakeDiscord } from '../fakes/fake-discord.js';
import { FakeSlack } from '../fakes/fake-slack.js';
import { freePort } from '../support/net.js';
import { startPrivatePostgres } from '../support/private-postgres.js';
import type { PrivatePostgres } from '../support/private-postgres.js';
import { runCli, startBot } from '../support/run-cli.js';
import type { RunningBot } from '../support/run-cli.js';
import { SIGNING_SECRET, eventually, interaction, reportModalState, reportSubmission, slashCommand } from '../support/slack-requests.js';

const ALERT_CHANNEL = 'CALERTS1';

/** The report modal of a new Odessa incident, submitted as Slack would. */
function odessaReport(viewId: string, summary: string, startDate = '2020-09-15') {
  return reportSubmission(viewId, reportModalState({ victim: '#1', startDate, summary: summary, vendor: 'Click2Gov' }));
}

/** Waits until an asynchronous condition holds (a fresh HTTP answer, a query), or fails naming it. */
async function until(probe: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * How many sessions of this database wait on a lock. The caller holds the lock in an
 * open transaction, and PostgreSQL keeps one snapshot of pg_stat_activity per
 * transaction: without clearing it, a probe would see the first answer forever.
 */
async function lockWaiters(client: pg.Client): Promise<number> {
  await client.query('select pg_stat_clear_snapshot()');
  const { rows } = await client.query<{ n: number }>(`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
  return rows[0]!.n;
}

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() as Record<string, unknown> };
}

async function metricsOf(base: string): Promise<string> {
  const response = await fetch(`${base}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

/** The value of one sample of the Prometheus text, e.g. `breachdesk_alert_deliveries{status="sent"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('operating breachdesk on its own PostgreSQL server', () => {
  let server: PrivatePostgres;
  let fake: FakeSlack;

  beforeAll(async () => {
    server = await startPrivatePostgres();
    fake = await new FakeSlack().start();
  });
  afterAll(async () => {
    await fake?.close();
    await server?.destroy();
  });

  /** A migrated, seeded database of its own on the private server. */
  async function ledgerDatabase(): Promise<string> {
    const name = `breachdesk_ops_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = server.url.replace(/\/postgres$/, `/${name}`);
    expect((await runCli(['migrate'], { env: { DATABASE_URL: url } })).code).toBe(0);
    expect((await runCli(['seed-demo'], { env: { DATABASE_URL: url } })).code).toBe(0);
    return url;
  }

  function slackBot(databaseUrl: string, port: number): RunningBot {
    return startBot({
      DATABASE_URL: databaseUrl, PORT: String(port), LOG_LEVEL: 'info',
      SLACK_BOT_TOKEN: 'xoxb-ops-test-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl,
      SLACK_ALERT_CHANNEL: ALERT_CHANNEL, ALERT_LEASE_SECONDS: '1',
    });
  }

  async function lookup(base: string, id: string, text = 'odessa'): Promise<string> {
    await slashCommand(base, text, { responseUrl: fake.responseUrl(id) });
    return JSON.stringify((await eventually(() => fake.responses.find((r) => r.id === id), `the answer ${id}`, 20_000)).body);
  }

  it('GIVEN a running bot in Slack HTTP mode THEN /healthz says the database and Slack are up, and /metrics counts the lookup, the alert and the pool', async () => {
    const databaseUrl = await ledgerDatabase();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const bot = slackBot(databaseUrl, port);
    try {
      await eventually(() => bot.output().includes('breachdesk serving Slack'), 'the bot to start', 30_000);
      await eventually(() => bot.output().includes('health and metrics on port'), 'the ops routes to be announced', 10_000);

      const health = await getJson(`${base}/healthz`);
      expect(health).toEqual({ status: 200, body: { status: 'ok', database: 'ok', adapters: { slack: 'connected' } } });

      const before = await metricsOf(base);
      expect(sample(before, 'breachdesk_command_duration_seconds_count{command="search",platform="slack"}')).toBeUndefined();
      expect(sample(before, 'breachdesk_alert_deliveries{status="sent"}')).toBe(0);

      expect(await lookup(base, 'metrics-1')).toContain('City of Odessa');
      await interaction(base, odessaReport('V-metrics', 'Card data skimmed from the Click2Gov portal again (metrics).'));
      await eventually(() => fake.messagesIn(ALERT_CHANNEL).length === 1, 'the alert', 15_000);
      // Sent is recorded just after the post reaches Slack.
      await until(async () => sample(await metricsOf(base), 'breachdesk_alert_deliveries{status="sent"}') === 1, 'the sent alert to be counted', 10_000);

      const after = await metricsOf(base);
      expect(sample(after, 'breachdesk_command_duration_seconds_count{command="search",platform="slack"}')).toBe(1);
      expect(sample(after, 'breachdesk_form_submission_duration_seconds_count{form="report",platform="slack"}')).toBe(1);
      expect(sample(after, 'breachdesk_alert_deliveries{status="pending"}')).toBe(0);
      expect(sample(after, 'breachdesk_alert_deliveries{status="failed"}')).toBe(0);
      expect(sample(after, 'breachdesk_database_up')).toBe(1);
      expect(sample(after, 'breachdesk_db_pool_connections')).toBeGreaterThanOrEqual(1);
      expect(sample(after, 'breachdesk_db_pool_waiting_requests')).toBeGreaterThanOrEqual(0);
      expect(after).toMatch(/^breachdesk_process_resident_memory_bytes \d+/m);
      expect((await fetch(`${base}/nothing-here`)).status).toBe(404);
    } finally {
      bot.child.kill('SIGTERM');
    }
    expect(await bot.exited).toBe(0);
    expect(bot.output()).not.toContain('xoxb-ops-test-token');
  });

  it('GIVEN SIGTERM while a lookup waits on the database THEN new commands hear "restarting", the lookup is answered, and the bot exits 0', async () => {
    const databaseUrl = await ledgerDatabase();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const bot = slackBot(databaseUrl, port);
    let signalled = false;
    const locker = new pg.Client({ connectionString: databaseUrl });
    await locker.connect();
    try {
      await eventually(() => bot.output().includes('breachdesk serving Slack'), 'the bot to start', 30_000);
      // Another session holds the victims table: the lookup waits for it, in flight.
      await locker.query('begin');
      await locker.query('lock table victims in access exclusive mode');
      expect((await slashCommand(base, 'odessa', { responseUrl: fake.responseUrl('in-flight') })).status).toBe(200);
      await until(async () => {
        if (fake.responses.some((r) => r.id === 'in-flight')) throw new Error('the lookup was answered without waiting for the lock');
        return (await lockWaiters(locker)) > 0;
      }, 'the lookup to wait on the lock', 30_000);

      bot.child.kill('SIGTERM');
      signalled = true;
      await eventually(() => bot.output().includes('shutting down'), 'the bot to start shutting down');
      expect(await lookup(base, 'after-sigterm', 'click2gov')).toContain(RESTARTING);
      expect((await getJson(`${base}/healthz`))).toMatchObject({ status: 503, body: { status: 'shutting down' } });
      expect(fake.responses.find((r) => r.id === 'in-flight')).toBeUndefined();

      await locker.query('rollback');
      const answer = await eventually(() => fake.responses.find((r) => r.id === 'in-flight'), 'the lookup in flight to be answered', 15_000);
      expect(JSON.stringify(answer.body)).toContain('City of Odessa');
    } finally {
      await locker.end().catch(() => undefined);
      if (!signalled) bot.child.kill('SIGTERM');
    }
    expect(await bot.exited).toBe(0);
    expect(bot.output()).toContain('"msg":"stopped"');
  });

  it('GIVEN SIGTERM while the bot is still starting THEN it finishes starting, stops gracefully and exits 0', async () => {
    const databaseUrl = await ledgerDatabase();
    const port = await freePort();
    const locker = new pg.Client({ connectionString: databaseUrl });
    await locker.connect();
    let bot: RunningBot | undefined;
    try {
      // Subscribing the configured alert channel at start waits on this lock, after the
      // Slack surface already listens: the signal arrives in the middle of starting.
      await locker.query('begin');
      await locker.query('lock table alert_subscriptions in access exclusive mode');
      bot = slackBot(databaseUrl, port);
      await until(async () => (await lockWaiters(locker)) > 0, 'the start to wait on the lock', 30_000);
      bot.child.kill('SIGTERM');
      await eventually(() => bot!.output().includes('shutting down'), 'the bot to start shutting down');
      await locker.query('rollback');
      expect(await bot.exited).toBe(0);
    } finally {
      await locker.end().catch(() => undefined);
      if (bot?.child.exitCode === null) bot.child.kill('SIGKILL');
    }
    expect(bot.output()).toContain('breachdesk serving Slack');
    expect(bot.output()).toContain('"msg":"stopped"');
  });

  it('GIVEN SIGTERM while a lookup waits longer than SHUTDOWN_GRACE_SECONDS THEN the bot says so and exits 1 anyway', async () => {
    const databaseUrl = await ledgerDatabase();
    const port = await freePort();
    const bot = startBot({
      DATABASE_URL: databaseUrl, PORT: String(port), LOG_LEVEL: 'info', SHUTDOWN_GRACE_SECONDS: '1',
      SLACK_BOT_TOKEN: 'xoxb-ops-test-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl,
    });
    const locker = new pg.Client({ connectionString: databaseUrl });
    await locker.connect();
    try {
      await eventually(() => bot.output().includes('breachdesk serving Slack'), 'the bot to start', 30_000);
      await locker.query('begin');
      await locker.query('lock table victims in access exclusive mode');
      expect((await slashCommand(`http://127.0.0.1:${port}`, 'odessa', { responseUrl: fake.responseUrl('stuck') })).status).toBe(200);
      await until(async () => (await lockWaiters(locker)) > 0, 'the lookup to wait on the lock', 30_000);
      bot.child.kill('SIGTERM');
      expect(await bot.exited).toBe(1);
    } finally {
      await locker.end().catch(() => undefined);
    }
    expect(bot.output()).toContain('shutdown did not finish within 1 s; exiting now');
  });

  it('GIVEN PostgreSQL stopped and started under the running bot THEN lookups say the ledger is unavailable, /healthz is 503, a report stores nothing, and it all comes back with the queued alert delivered once', async () => {
    const databaseUrl = await ledgerDatabase();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const alertsBefore = fake.messagesIn(ALERT_CHANNEL).length;
    const bot = slackBot(databaseUrl, port);
    try {
      await eventually(() => bot.output().includes('breachdesk serving Slack'), 'the bot to start', 30_000);
      expect(await lookup(base, 'outage-before')).toContain('City of Odessa');

      // An alert queued before the outage: Slack fails the first posts, so it is still waiting when the server stops.
      fake.script('chat.postMessage', [{ status: 500 }, { status: 500 }, { status: 500 }]);
      await interaction(base, odessaReport('V-outage-1', 'Card data skimmed from the Click2Gov portal again (before the outage).'));
      await eventually(() => fake.callsTo('chat.postEphemeral').some((c) => JSON.stringify(c.args).includes('before the outage')), 'the report to be confirmed', 15_000);

      await server.stop();

      const during = await lookup(base, 'outage-during');
      expect(during).toContain(LEDGER_UNAVAILABLE);
      expect(during).not.toMatch(/error [0-9a-f]{8}|Something went wrong/);
      const health = await getJson(`${base}/healthz`);
      expect(health).toEqual({ status: 503, body: { status: 'unavailable', database: 'unavailable', adapters: { slack: 'connected' } } });
      expect(sample(await metricsOf(base), 'breachdesk_database_up')).toBe(0);

      const ephemeralBefore = fake.callsTo('chat.postEphemeral').length;
      await interaction(base, odessaReport('V-outage-2', 'Written during the outage and never stored.'));
      const refusal = await eventually(() => fake.callsTo('chat.postEphemeral').slice(ephemeralBefore)[0], 'the report to be answered', 15_000);
      expect(JSON.stringify(refusal.args)).toContain(LEDGER_UNAVAILABLE);
      expect(fake.messagesIn(ALERT_CHANNEL).length).toBe(alertsBefore);
      // The dispatcher notices on its next poll (every few seconds), and says so once.
      await eventually(() => bot.output().includes('the ledger is unavailable; alert deliveries wait for it'), 'the dispatcher to notice the outage', 20_000);

      await server.start();

      await until(async () => (await lookup(base, `outage-after-${randomBytes(3).toString('hex')}`)).includes('City of Odessa'), 'lookups to work again', 30_000);
      await until(async () => (await getJson(`${base}/healthz`)).status === 200, '/healthz to be 200 again', 10_000);
      await eventually(() => fake.messagesIn(ALERT_CHANNEL).length > alertsBefore, 'the queued alert to be delivered', 30_000);
      await eventually(() => bot.output().includes('listening for new alerts again'), 'the LISTEN connection to come back', 30_000);
      // An alert queued after the outage is delivered too.
      // Another breach, not the same one told again (that would join it and alert nobody).
      await interaction(base, odessaReport('V-outage-3', 'Ransomware locked the utility billing servers (after the outage).', '2021-01-20'));
      await eventually(() => fake.messagesIn(ALERT_CHANNEL).length === alertsBefore + 2, 'the alert queued after the outage', 30_000);
    } finally {
      bot.child.kill('SIGTERM');
    }
    expect(await bot.exited).toBe(0);

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const stored = await client.query<{ n: number }>(`select count(*)::int as n from incidents where summary = 'Written during the outage and never stored.'`);
      expect(stored.rows[0]!.n).toBe(0);
      const deliveries = await client.query<{ status: string; n: number }>(`select status, count(*)::int as n from alert_deliveries group by status order by status`);
      expect(deliveries.rows).toEqual([{ status: 'sent', n: 2 }]);
    } finally {
      await client.end();
    }
    expect(fake.messagesIn(ALERT_CHANNEL).length).toBe(alertsBefore + 2);
    const output = bot.output();
    expect(output).toContain('the ledger is unavailable; alert deliveries wait for it');
    expect(output).not.toMatch(/\n\s+at /);
  });
});

describe('operating breachdesk with Slack in Socket Mode', () => {
  let fake: FakeSlack;
  let dir: string;
  beforeAll(async () => {
    fake = await new FakeSlack().start();
    dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-ops-socket-'));
  });
  afterAll(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('GIVEN an app token THEN /healthz reports the Socket Mode connection from breachdesk\'s own HTTP server', async () => {
    const port = await freePort();
    const bot = startBot({
      DATABASE_URL: `pglite:${path.join(dir, 'db')}`, PORT: String(port), LOG_LEVEL: 'info',
      SLACK_BOT_TOKEN: 'xoxb-socket-ops-token', SLACK_APP_TOKEN: 'xapp-socket-ops-token', SLACK_API_URL: fake.apiUrl,
    });
    try {
      await eventually(() => bot.output().includes('health and metrics on port'), 'the bot to start', 30_000);
      expect(fake.socketConnected).toBe(true);
      expect(await getJson(`http://127.0.0.1:${port}/healthz`)).toEqual({ status: 200, body: { status: 'ok', database: 'ok', adapters: { slack: 'connected' } } });
    } finally {
      bot.child.kill('SIGTERM');
    }
    expect(await bot.exited).toBe(0);
    expect(bot.output()).not.toMatch(/xoxb-socket-ops-token|xapp-socket-ops-token/);
  });
});

describe('operating breachdesk with Discord alone', () => {
  let fake: FakeDiscord;
  let dir: string;
  beforeAll(async () => {
    fake = await new FakeDiscord().start();
    dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-ops-discord-'));
  });
  afterAll(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('GIVEN DISCORD_TOKEN and PORT THEN a small HTTP server answers /healthz and /metrics, and a lookup is counted', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const bot = startBot({ DATABASE_URL: `pglite:${path.join(dir, 'db')}`, PORT: String(port), LOG_LEVEL: 'info', DISCORD_TOKEN: 'fake-discord-bot-token-for-ops-0123', DISCORD_API_URL: fake.apiUrl });
    try {
      await eventually(() => bot.output().includes('breachdesk serving Discord'), 'the bot to start', 30_000);
      await eventually(() => bot.output().includes('health and metrics on port'), 'the ops server', 10_000);
      expect(await getJson(`${base}/healthz`)).toEqual({ status: 200, body: { status: 'ok', database: 'ok', adapters: { discord: 'connected' } } });
      const id = fake.interact({ type: 2, data: { id: '1', name: 'incident', type: 1, options: [{ type: 3, name: 'query', value: 'odessa' }] } });
      await eventually(() => fake.callbacks(id)[0], 'the answer');
      await until(async () => sample(await metricsOf(base), 'breachdesk_command_duration_seconds_count{command="search",platform="discord"}') === 1, 'the lookup to be counted', 10_000);
    } finally {
      bot.child.kill('SIGTERM');
    }
    expect(await bot.exited).toBe(0);
  });
});
