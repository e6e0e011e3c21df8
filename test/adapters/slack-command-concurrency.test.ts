import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackSurface } from '../../src/adapters/slack/slack-surface.js';
import type { SlackSurface } from '../../src/adapters/slack/slack-surface.js';
import type { Dispatcher } from '../../src/chat/dispatcher.js';
import { FakeSlack } from '../fakes/fake-slack.js';
import { chatHarness } from '../support/chat.js';
import { SIGNING_SECRET, slashCommand } from '../support/slack-requests.js';

// The surface acknowledges every command at once and runs `commandConcurrency` of them
// at a time (COMMAND_CONCURRENCY: 8 on PostgreSQL, 4 on PGlite, by default).
describe('Slack commands under load: acknowledged at once, run a set number at a time', () => {
  let fake: FakeSlack;
  let chat: Awaited<ReturnType<typeof chatHarness>>;
  let surface: SlackSurface;
  let base: string;
  let running = 0;
  let most = 0;

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    chat = await chatHarness('pglite');
    // The real dispatcher, each command held a moment so that they overlap.
    const slow: Dispatcher = {
      ...chat.dispatcher,
      async invoke(request) {
        running += 1;
        most = Math.max(most, running);
        try {
          await new Promise((resolve) => setTimeout(resolve, 100));
          return await chat.dispatcher.invoke(request);
        } finally {
          running -= 1;
        }
      },
    };
    surface = createSlackSurface({ dispatcher: slow, log: chat.services.log, botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl, port: 0, commandConcurrency: 3 });
    const server = (await surface.start()) as Server;
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await surface.stop();
    await fake.close();
    await chat.close();
  });

  it('GIVEN 9 lookups at once and commandConcurrency 3 THEN all are acked, at most 3 run at once, and every one is answered', async () => {
    const ids = Array.from({ length: 9 }, (_, i) => `burst-${i}`);
    const answered = ids.map((id) => fake.nextResponse(id));
    const acks = await Promise.all(ids.map((id) => slashCommand(base, 'odessa', { responseUrl: fake.responseUrl(id) })));
    expect(acks.map((a) => a.status)).toEqual(ids.map(() => 200));
    await Promise.all(answered);
    expect(most).toBe(3);
    const answers = fake.responses.filter((r) => r.id.startsWith('burst-')).map((r) => JSON.stringify(r.body));
    expect(answers).toHaveLength(ids.length);
    for (const answer of answers) expect(answer).toContain('City of Odessa');
  });
});
