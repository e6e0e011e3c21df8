import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../fakes/fake-slack.js';
import { backends, scratchPostgresDatabase } from '../support/databases.js';
import { freePort } from '../support/net.js';
import { runCli, startBot } from '../support/run-cli.js';
import { SIGNING_SECRET, eventually, interaction, reportModalState, reportSubmission } from '../support/slack-requests.js';

const ALERT_CHANNEL = 'CALERTS1';

/** The report modal of a new Odessa incident, submitted as Slack would. */
function odessaSubmission(viewId: string) {
  return reportSubmission(viewId, reportModalState({ victim: '#1', startDate: '2020-09-15', summary: 'Card data skimmed from the Click2Gov portal again.', vendor: 'Click2Gov' }));
}

describe.each(backends)('a bot killed between posting an alert and recording it, on %s', (backend) => {
  let fake: FakeSlack;
  let dir: string;
  let databaseUrl: string;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-crash-'));
    if (backend === 'postgres') {
      const scratch = await scratchPostgresDatabase();
      databaseUrl = scratch.url;
      drop = scratch.drop;
      expect((await runCli(['migrate'], { env: { DATABASE_URL: databaseUrl } })).code).toBe(0);
      expect((await runCli(['seed-demo'], { env: { DATABASE_URL: databaseUrl } })).code).toBe(0);
    } else {
      databaseUrl = `pglite:${path.join(dir, 'db')}`;
    }
  });
  afterAll(async () => {
    await fake.close();
    await drop?.();
    await rm(dir, { recursive: true, force: true });
  });

  const startBotOn = (port: number) => startBot({
    DATABASE_URL: databaseUrl, PORT: String(port), LOG_LEVEL: 'info',
    SLACK_BOT_TOKEN: 'xoxb-crash-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl,
    SLACK_ALERT_CHANNEL: ALERT_CHANNEL, ALERT_LEASE_SECONDS: '1',
  });

  it('GIVEN SIGKILL while Slack holds the post THEN the restarted bot finds the message by its metadata and posts nothing twice', async () => {
    const port = await freePort();
    fake.stalled.add('chat.postMessage');
    const first = startBotOn(port);
    await eventually(() => first.output().includes('breachdesk serving Slack'), 'the bot to start', 30_000);
    expect(first.output()).toMatch(/subscribed the configured alert channel/);

    await interaction(`http://127.0.0.1:${port}`, odessaSubmission('V-crash'));
    await eventually(() => fake.messagesIn(ALERT_CHANNEL).length === 1, 'the alert to reach Slack', 15_000);
    first.child.kill('SIGKILL');
    await first.exited;
    fake.stalled.delete('chat.postMessage');

    const second = startBotOn(port);
    try {
      await eventually(() => second.output().includes('breachdesk serving Slack'), 'the bot to restart', 30_000);
      await eventually(() => fake.callsTo('conversations.history').some((c) => c.args.channel === ALERT_CHANNEL), 'the restarted bot to check the history', 20_000);
      await eventually(() => second.output().includes('alert was already posted before a restart'), 'the delivery to be recognised', 10_000);
    } finally {
      second.child.kill('SIGTERM');
    }
    expect(await second.exited).toBe(0);
    expect(fake.messagesIn(ALERT_CHANNEL)).toHaveLength(1);

    const status = await runCli(['alerts', 'status', '--json'], { env: { DATABASE_URL: databaseUrl } });
    const { channels } = JSON.parse(status.stdout) as { channels: { channelId: string; pending: number; sent: number; failed: number }[] };
    expect(channels.find((c) => c.channelId === ALERT_CHANNEL)).toMatchObject({ pending: 0, sent: 1, failed: 0 });
  });
});
