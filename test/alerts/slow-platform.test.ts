import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { slackAlertSender } from '../../src/adapters/slack/slack-alerts.js';
import { createAlertDispatcher } from '../../src/alerts/alert-dispatcher.js';
import { openDatabase } from '../../src/db/database.js';
import type { LedgerDatabase } from '../../src/db/database.js';
import type { Actor, ChannelRef } from '../../src/identity.js';
import { createLogger } from '../../src/log.js';
import { FakeSlack } from '../fakes/fake-slack.js';
import { chatHarness } from '../support/chat.js';
import { backends, scratchPostgresDatabase } from '../support/databases.js';
import { freePort } from '../support/net.js';
import { runCli, startBot } from '../support/run-cli.js';
import { SIGNING_SECRET, eventually, interaction, reportModalState, reportSubmission } from '../support/slack-requests.js';
import { analyst, submission } from '../support/submissions.js';

// A post that outlives the lease: Slack answers chat.postMessage only after the lease
// has run out. The process that is still waiting keeps its claim, so no other process
// posts the alert again, and the delivery is recorded once.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(backends)('a Slack post slower than the lease, two dispatchers on one database, on %s', (backend) => {
  const LEASE_MS = 1_000;
  let chat: Awaited<ReturnType<typeof chatHarness>>;
  let fake: FakeSlack;
  let second: LedgerDatabase;
  const slackChannel: ChannelRef = { platform: 'slack', workspace: 'T1', channelId: 'C-SLOW' };
  const admin: Actor = { platform: 'slack', workspace: 'T1', userId: 'U-ADMIN', displayName: 'admin' };

  beforeEach(async () => {
    chat = await chatHarness(backend);
    fake = await new FakeSlack().start();
    await chat.say('/incident alerts on', admin, slackChannel);
    // Each dispatcher has its own connection where the backend has more than one.
    second = backend === 'postgres' ? await openDatabase(chat.database.location) : chat.database;
  });
  afterEach(async () => {
    if (second !== chat.database) await second.close();
    await fake.close();
    await chat.close();
  });

  it('GIVEN the first dispatcher still waiting for Slack when its lease runs out THEN the second does not take the delivery over: one message, sent once, one attempt', async () => {
    const warnings: string[] = [];
    const dispatcherOn = (db: LedgerDatabase['db']) => {
      const dispatcher = createAlertDispatcher({ db, log: createLogger('warn', (line) => warnings.push(line)), leaseMs: LEASE_MS });
      dispatcher.register('slack', slackAlertSender({ botToken: 'xoxb-slow', apiUrl: fake.apiUrl }));
      return dispatcher;
    };
    const first = dispatcherOn(chat.database.db);
    const other = dispatcherOn(second.db);
    fake.slow.set('chat.postMessage', 3 * LEASE_MS);

    await chat.ledger.report(submission({ victim: { name: 'City of Odessa', id: 1 }, startDate: '2020-09-01', newIncident: true }), analyst);
    const sending = first.drain();
    await eventually(() => fake.callsTo('chat.postMessage').length === 1, 'the first post to reach Slack', 10_000);
    await sleep(1.5 * LEASE_MS);
    // The lease the first claim took has run out by now; it must have been renewed.
    expect(await other.drain()).toBe(0);
    expect(await sending).toBe(1);

    expect(fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C-SLOW')).toHaveLength(1);
    expect(fake.messagesIn('C-SLOW')).toHaveLength(1);
    const rows = await chat.database.db.selectFrom('alert_deliveries').select(['status', 'attempts', 'platform_message_id']).where('channel_id', '=', 'C-SLOW').execute();
    expect(rows).toEqual([{ status: 'sent', attempts: 1, platform_message_id: fake.messagesIn('C-SLOW')[0]!.ts }]);
    expect(warnings.join('\n')).not.toMatch(/taken it over/);
  });

  it('GIVEN a process that lost its claim while Slack held its post THEN it neither records the send nor posts again, and says so', async () => {
    const logged: string[] = [];
    const stalled = createAlertDispatcher({ db: chat.database.db, log: createLogger('warn', (line) => logged.push(line)), leaseMs: LEASE_MS });
    stalled.register('slack', slackAlertSender({ botToken: 'xoxb-slow', apiUrl: fake.apiUrl }));
    fake.slow.set('chat.postMessage', 2 * LEASE_MS);
    await chat.ledger.report(submission({ victim: { name: 'City of Odessa', id: 1 }, startDate: '2020-09-01', newIncident: true }), analyst);
    const sending = stalled.drain();
    await eventually(() => fake.callsTo('chat.postMessage').length === 1, 'the post to reach Slack', 10_000);
    // Another process, alive, holds it now under its own token (as after this one froze past its lease).
    await second.db.updateTable('alert_deliveries').set({ claim_token: 'another-process-claim', attempts: 2, claimed_until: new Date(Date.now() + 3_600_000) })
      .where('channel_id', '=', 'C-SLOW').execute();
    await sending;

    const [row] = await chat.database.db.selectFrom('alert_deliveries').select(['status', 'attempts', 'claim_token', 'platform_message_id']).where('channel_id', '=', 'C-SLOW').execute();
    expect(row).toEqual({ status: 'sending', attempts: 2, claim_token: 'another-process-claim', platform_message_id: null });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(logged.join('\n')).toMatch(/after another process had taken it over; this process does not record it/);
  });
});

describe.runIf(backends.includes('postgres'))('two real bot processes on one PostgreSQL, Slack slower than the lease', () => {
  const ALERT_CHANNEL = 'CSLOWALERTS';
  let fake: FakeSlack;
  let dir: string;
  let databaseUrl: string;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-slow-'));
    ({ url: databaseUrl, drop } = await scratchPostgresDatabase());
    expect((await runCli(['migrate'], { env: { DATABASE_URL: databaseUrl } })).code).toBe(0);
    expect((await runCli(['seed-demo'], { env: { DATABASE_URL: databaseUrl } })).code).toBe(0);
  });
  afterAll(async () => {
    await fake.close();
    await drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('GIVEN ALERT_LEASE_SECONDS=1 and chat.postMessage answering after 8 s THEN the other process, polling meanwhile, posts nothing: one message, the row sent once with one attempt', async () => {
    const env = (port: number) => ({
      DATABASE_URL: databaseUrl, PORT: String(port), LOG_LEVEL: 'info',
      SLACK_BOT_TOKEN: 'xoxb-slow-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl,
      SLACK_ALERT_CHANNEL: ALERT_CHANNEL, ALERT_LEASE_SECONDS: '1',
    });
    const [portA, portB] = [await freePort(), await freePort()];
    const a = startBot(env(portA));
    const b = startBot(env(portB));
    try {
      await eventually(() => a.output().includes('breachdesk serving Slack') && b.output().includes('breachdesk serving Slack'), 'both bots to start', 60_000);
      // Longer than the lease and the other process's 5-second poll together.
      fake.slow.set('chat.postMessage', 8_000);
      await interaction(`http://127.0.0.1:${portA}`, reportSubmission('V-slow', reportModalState({
        victim: '#1', startDate: '2020-09-15', summary: 'Card data skimmed from the Click2Gov portal again.', vendor: 'Click2Gov',
      })));
      await eventually(() => fake.messagesIn(ALERT_CHANNEL).length === 1, 'the alert to be answered', 30_000);
      // A second post, had there been one, would have reached Slack (been called) by now.
      await sleep(2_000);
      expect(fake.callsTo('chat.postMessage').filter((c) => c.args.channel === ALERT_CHANNEL)).toHaveLength(1);
      expect(fake.messagesIn(ALERT_CHANNEL)).toHaveLength(1);
      for (let tries = 0; tries < 50 && (await deliveryRow(databaseUrl, ALERT_CHANNEL))?.status !== 'sent'; tries++) await sleep(200);
      expect(await deliveryRow(databaseUrl, ALERT_CHANNEL)).toEqual({ status: 'sent', attempts: 1, platform_message_id: fake.messagesIn(ALERT_CHANNEL)[0]!.ts });
    } finally {
      a.child.kill('SIGTERM');
      b.child.kill('SIGTERM');
    }
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
    expect(a.output() + b.output()).not.toMatch(/taken it over/);
  });
});

async function deliveryRow(url: string, channelId: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ status: string; attempts: number; platform_message_id: string | null }>(
      'select status, attempts, platform_message_id from alert_deliveries where channel_id = $1', [channelId]);
    return rows[0];
  } finally {
    await client.end();
  }
}
