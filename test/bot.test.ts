import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from './fakes/fake-discord.js';
import { FakeSlack } from './fakes/fake-slack.js';
import { freePort } from './support/net.js';
import { runCli, startBot } from './support/run-cli.js';
import { SIGNING_SECRET, eventually, slashCommand } from './support/slack-requests.js';

describe('breachdesk start with Slack credentials', () => {
  let dir: string;
  let fake: FakeSlack;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-bot-'));
    fake = await new FakeSlack().start();
  });
  afterAll(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('GIVEN SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET THEN it serves /slack/events, answers /incident odessa, never logs the token, and stops on SIGTERM', async () => {
    const port = await freePort();
    const { child, output, exited } = startBot({
      DATABASE_URL: `pglite:${path.join(dir, 'db')}`, PORT: String(port),
      SLACK_BOT_TOKEN: 'xoxb-secret-bot-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, LOG_LEVEL: 'debug',
    });
    try {
      await eventually(() => output().includes('breachdesk serving Slack'), 'the bot to start', 30_000);
      expect(output()).toMatch(/HTTP on port \d+, \/slack\/events/);
      // The start's notes are logged once alerts run, a moment after Slack is served.
      await eventually(() => /First start: loaded \d+ demo incidents/.test(output()), 'the first-start note', 15_000);
      // Embedded PGlite has no autovacuum: the bot's own pass analyzes the demo ledger it just loaded.
      await eventually(() => output().split('\n').some((line) => line.includes('embedded autovacuum') && line.includes('incidents')), 'the first autovacuum pass', 15_000);
      await slashCommand(`http://127.0.0.1:${port}`, 'odessa', { responseUrl: fake.responseUrl('bot-1') });
      const answer = await eventually(() => fake.responses.find((r) => r.id === 'bot-1'), 'the answer');
      expect(JSON.stringify(answer.body.blocks)).toContain('City of Odessa');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(output()).toMatch(/shutting down/);
    expect(output()).not.toContain('xoxb-secret-bot-token');
    expect(output()).not.toContain(SIGNING_SECRET);
  });
});

describe('breachdesk start and register-commands with Discord credentials', () => {
  let dir: string;
  let fake: FakeDiscord;
  const token = 'fake-discord-bot-token-never-logged-0123';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-discord-'));
    fake = await new FakeDiscord().start();
  });
  afterAll(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('GIVEN register-commands THEN the commands are registered for the guild', async () => {
    const run = await runCli(['register-commands'], { env: { DISCORD_TOKEN: token, DISCORD_APPLICATION_ID: '111111111111111111', DISCORD_GUILD_ID: '333333333333333333', DISCORD_API_URL: fake.apiUrl } });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/Registered \/incident, "Report as incident" on messages, \/incident-alerts, \/incident-clearance, \/incident-feeds, \/incident-unwatch, \/incident-watch for guild 333333333333333333\./);
    expect(run.stdout).toContain('https://discord.com/oauth2/authorize?client_id=111111111111111111&scope=bot+applications.commands&permissions=84992');
    const missing = await runCli(['register-commands'], { env: {} });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/needs DISCORD_TOKEN and DISCORD_APPLICATION_ID/);
  });

  it('GIVEN DISCORD_TOKEN THEN it connects to the gateway, answers /incident odessa and stops on SIGTERM', async () => {
    const { child, output, exited } = startBot({ DATABASE_URL: `pglite:${path.join(dir, 'db')}`, PORT: '0', DISCORD_TOKEN: token, DISCORD_API_URL: fake.apiUrl, LOG_LEVEL: 'debug' });
    try {
      await eventually(() => output().includes('breachdesk serving Discord'), 'the bot to start', 30_000);
      const id = fake.interact({ type: 2, data: { id: '1', name: 'incident', type: 1, options: [{ type: 3, name: 'query', value: 'odessa' }] } });
      const reply = await eventually(() => fake.callbacks(id)[0], 'the answer');
      expect(JSON.stringify(reply)).toContain('City of Odessa');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(output()).not.toContain(token);
  });
});
