import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_ID, FakeDiscord, GUILD_ID, OTHER_GUILD_ID } from '../fakes/fake-discord.js';
import { FakeSlack } from '../fakes/fake-slack.js';
import { backends, scratchPostgresDatabase } from '../support/databases.js';
import type { Backend } from '../support/databases.js';
import { runCli, startBot } from '../support/run-cli.js';
import type { RunningBot } from '../support/run-cli.js';
import { SIGNING_SECRET, eventually, slashCommand } from '../support/slack-requests.js';

// Several real `breachdesk start` processes, as an operator runs them: on one host
// (their own ports, or none), across a restart, and splitting Discord's gateway shards.

const TOKEN = 'fake-discord-bot-token-processes-0123';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ephemeralMessage = { id: '777777777777777777', channel_id: CHANNEL_ID, type: 0, content: '', embeds: [], components: [], attachments: [], mentions: [], mention_roles: [], pinned: false, mention_everyone: false, tts: false, timestamp: '2026-01-01T00:00:00.000Z', edited_timestamp: null, flags: 64, author: { id: '222222222222222222', username: 'breachdesk', discriminator: '0', bot: true, avatar: null } };
const search = (guildId: string, query: string) => ({ type: 2, guild_id: guildId, data: { id: '1', name: 'incident', type: 1, options: [{ type: 3, name: 'query', value: query }] } });
const button = (guildId: string, customId: string) => ({ type: 3, guild_id: guildId, data: { custom_id: customId, component_type: 2 }, message: ephemeralMessage });
const firstPage = (guildId: string, draft: string, summary: string) => ({
  type: 5, guild_id: guildId,
  data: { custom_id: `bd-form:${draft}:modal:0`, components: [
    { type: 18, id: 1, component: { type: 4, id: 10, custom_id: 'victim', value: 'City of Odessa' } },
    { type: 18, id: 2, component: { type: 4, id: 11, custom_id: 'startDate', value: '2020-09' } },
    { type: 18, id: 3, component: { type: 4, id: 12, custom_id: 'summary', value: summary } },
    { type: 18, id: 4, component: { type: 4, id: 13, custom_id: 'vendor', value: 'Click2Gov' } },
    { type: 18, id: 5, component: { type: 22, id: 14, custom_id: 'impact', values: ['confidentiality'] } },
  ] },
});

async function stop(bot: RunningBot): Promise<number | null> {
  bot.child.kill('SIGTERM');
  return bot.exited;
}

/** A ledger for real processes: a PGlite folder (one process at a time), or a scratch database on the server, seeded with the demo. */
async function ledgerFor(backend: Backend, dir: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (backend === 'pglite') return { url: `pglite:${path.join(dir, 'db')}`, drop: () => Promise.resolve() };
  const scratch = await scratchPostgresDatabase();
  expect((await runCli(['migrate'], { env: { DATABASE_URL: scratch.url } })).code).toBe(0);
  expect((await runCli(['seed-demo'], { env: { DATABASE_URL: scratch.url } })).code).toBe(0);
  return scratch;
}

describe.each(backends)('a Discord report form across a restart of the bot, on %s', (backend) => {
  let fake: FakeDiscord;
  let dir: string;
  let ledger: { url: string; drop: () => Promise<void> };
  beforeAll(async () => {
    fake = await new FakeDiscord().start();
    dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-restart-'));
    ledger = await ledgerFor(backend, dir);
  });
  afterAll(async () => {
    await fake.close();
    await ledger.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('GIVEN a form begun, then SIGTERM and a new start THEN the form is finished after it and recorded; PORT=off serves no HTTP', async () => {
    const env = { DATABASE_URL: ledger.url, PORT: 'off', DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, LOG_LEVEL: 'info' };
    const before = startBot(env);
    let draft = '';
    try {
      await eventually(() => before.output().includes('breachdesk serving Discord'), 'the bot to start', 60_000);
      const open = fake.interact(search(GUILD_ID, 'report City of Odessa'));
      const modal = await eventually(() => fake.callbacks(open)[0] as { data: { custom_id: string } } | undefined, 'the form', 15_000);
      draft = /^bd-form:([^:]+):/.exec(modal.data.custom_id)![1]!;
      const step = fake.interact(firstPage(GUILD_ID, draft, 'Begun before the restart.'));
      expect(JSON.stringify(await eventually(() => fake.callbacks(step)[0], 'page 1 taken', 15_000))).toMatch(/page 1 of 4 done/);
    } finally {
      expect(await stop(before)).toBe(0);
    }
    expect(before.output()).toMatch(/no health or metrics server: PORT is off/);
    expect(before.output()).not.toMatch(/health and metrics on port/);

    const after = startBot(env);
    try {
      await eventually(() => after.output().includes('breachdesk serving Discord'), 'the bot to start again', 60_000);
      const page2 = fake.interact(button(GUILD_ID, `bd-form:${draft}:page:1`));
      expect((await eventually(() => fake.callbacks(page2)[0] as { type: number } | undefined, 'page 2', 15_000)).type).toBe(9);
      const record = fake.interact(button(GUILD_ID, `bd-form:${draft}:record`));
      const recorded = JSON.stringify(await eventually(() => fake.callbacks(record)[0], 'the record', 15_000));
      expect(recorded).toMatch(/Recorded INC-2020-\d{4}/);
      expect(recorded).toContain('Begun before the restart.');
    } finally {
      expect(await stop(after)).toBe(0);
    }
  }, 240_000);
});

describe('PORT when another process on the host holds it', () => {
  let dir: string;
  let fake: FakeSlack;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-port-'));
    fake = await new FakeSlack().start();
  });
  afterAll(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('GIVEN Slack in HTTP mode on a port already taken THEN the start stops with one line naming PORT, no stack trace', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      const run = await runCli(['start'], { env: {
        DATABASE_URL: `pglite:${path.join(dir, 'db')}`, PORT: String(port), LOG_LEVEL: 'warn', LOG_FORMAT: 'json',
        SLACK_BOT_TOKEN: 'xoxb-port-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl,
      }, timeoutMs: 90_000 });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`cannot listen on PORT ${port} for Slack's requests (EADDRINUSE); give each process on this host its own PORT (0 takes any free one).`);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    } finally {
      holder.close();
    }
  }, 120_000);
});

describe.runIf(backends.includes('postgres'))('two bot processes on one host, with Slack and Discord, on one PostgreSQL', () => {
  const SLACK_ALERTS = 'CTWOPROCESSES';
  const DISCORD_ALERTS = '888888888888888888';
  let slack: FakeSlack;
  let discord: FakeDiscord;
  let dir: string;
  let ledger: { url: string; drop: () => Promise<void> };
  beforeAll(async () => {
    slack = await new FakeSlack().start();
    discord = await new FakeDiscord().start();
    discord.shardCount = 2;
    dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-two-'));
    ledger = await ledgerFor('postgres', dir);
  });
  afterAll(async () => {
    await slack.close();
    await discord.close();
    await ledger.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('GIVEN PORT=0 and SHARD_COUNT=2 with SHARD_IDS 0 and 1 THEN both start on their own ports, answer Slack and their servers on Discord, either finishes a form, and each alert goes out once', async () => {
    const env = (shard: string) => ({
      DATABASE_URL: ledger.url, PORT: '0', LOG_LEVEL: 'info',
      SLACK_BOT_TOKEN: 'xoxb-two-processes', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, SLACK_ALERT_CHANNEL: SLACK_ALERTS,
      DISCORD_TOKEN: TOKEN, DISCORD_API_URL: discord.apiUrl, DISCORD_ALERT_CHANNEL: DISCORD_ALERTS, SHARD_COUNT: '2', SHARD_IDS: shard,
    });
    const bots = [startBot(env('0')), startBot(env('1'))];
    try {
      await eventually(() => bots.every((b) => b.output().includes('breachdesk serving Discord')), 'both bots to start', 90_000);
      expect(bots[0]!.output()).toMatch(/serving Discord \(shard 0 of 2\)/);
      expect(bots[1]!.output()).toMatch(/serving Discord \(shard 1 of 2\)/);
      const ports = bots.map((b) => Number(/Slack \(HTTP on port (\d+), \/slack\/events\)/.exec(b.output())?.[1]));
      expect(ports.every((p) => p > 0)).toBe(true);
      expect(ports[0]).not.toBe(ports[1]);
      expect(discord.identified.sort()).toEqual([[0, 2], [1, 2]]);

      for (const [n, port] of ports.entries()) {
        const health = await fetch(`http://127.0.0.1:${port}/healthz`);
        expect(health.status).toBe(200);
        expect(await health.json()).toMatchObject({ status: 'ok', adapters: { slack: 'connected', discord: 'connected' } });
        await slashCommand(`http://127.0.0.1:${port}`, 'odessa', { responseUrl: slack.responseUrl(`answer-${n}`) });
        const answer = await eventually(() => slack.responses.find((r) => r.id === `answer-${n}`), `process ${n}'s answer`);
        expect(JSON.stringify(answer.body.blocks)).toContain('City of Odessa');
      }
      for (const guild of [GUILD_ID, OTHER_GUILD_ID]) {
        const id = discord.interact(search(guild, 'click2gov'));
        expect(JSON.stringify(await eventually(() => discord.callbacks(id)[0], `the answer in ${guild}`, 15_000))).toContain('Click2Gov');
        expect(discord.callbacks(id)).toHaveLength(1);
      }

      // Begun on the process of shard 0, recorded on the other (as after a resharding).
      const open = discord.interact(search(GUILD_ID, 'report City of Odessa'));
      const modal = await eventually(() => discord.callbacks(open)[0] as { data: { custom_id: string } } | undefined, 'the form', 15_000);
      const draft = /^bd-form:([^:]+):/.exec(modal.data.custom_id)![1]!;
      const step = discord.interact(firstPage(GUILD_ID, draft, 'Skimmed again; begun on one process, recorded on the other.'));
      await eventually(() => discord.callbacks(step)[0], 'page 1 taken', 15_000);
      const record = discord.interact(button(GUILD_ID, `bd-form:${draft}:record`), { shard: 1 });
      expect(JSON.stringify(await eventually(() => discord.callbacks(record)[0], 'the record', 15_000))).toMatch(/Recorded INC-2020-\d{4}/);

      const discordAlerts = () => discord.channelMessages(DISCORD_ALERTS).filter((m) => JSON.stringify(m).includes('Repeat breach: City of Odessa'));
      await eventually(() => slack.messagesIn(SLACK_ALERTS).length === 1 && discordAlerts().length === 1, 'the alert in both channels', 30_000);
      // Both processes poll every 5 seconds: a second delivery, had there been one, would be here by now.
      await sleep(6_000);
      expect(slack.messagesIn(SLACK_ALERTS)).toHaveLength(1);
      expect(slack.callsTo('chat.postMessage').filter((c) => c.args.channel === SLACK_ALERTS)).toHaveLength(1);
      expect(discordAlerts()).toHaveLength(1);
    } finally {
      for (const bot of bots) bot.child.kill('SIGTERM');
    }
    expect(await bots[0]!.exited).toBe(0);
    expect(await bots[1]!.exited).toBe(0);
    expect(bots.map((b) => b.output()).join('\n')).not.toMatch(/EADDRINUSE|unexpected error/);
  }, 240_000);
});
