import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_ID, FakeDiscord } from '../fakes/fake-discord.js';
import { startBot } from '../support/run-cli.js';
import type { RunningBot } from '../support/run-cli.js';
import { eventually } from '../support/slack-requests.js';
import { botLedger } from './bot-ledger.js';
import type { LedgerCounts } from './bot-ledger.js';

type Callback = { type: number; data?: { content?: string; embeds?: unknown[]; custom_id?: string; allowed_mentions?: { parse: string[] }; components?: { components: { custom_id: string; label?: string }[] }[] } };

const MENTION = /@(everyone|here)|<[@#][!&]?\d|<\/\w/;
const ephemeralMessage = { id: '777777777777777777', channel_id: CHANNEL_ID, type: 0, content: '', embeds: [], components: [], attachments: [], mentions: [], mention_roles: [], pinned: false, mention_everyone: false, tts: false, timestamp: '2026-01-01T00:00:00.000Z', edited_timestamp: null, flags: 64, author: { id: '222222222222222222', username: 'breachdesk', discriminator: '0', bot: true, avatar: null } };
const command = (query: unknown, name = 'incident') => ({ type: 2, data: { id: '1', name, type: 1, options: [{ type: 3, name: 'query', value: query }] } });
const button = (customId: string) => ({ type: 3, data: { custom_id: customId, component_type: 2 }, message: ephemeralMessage });
const modalSubmit = (customId: string, fields: Record<string, string | string[]>) => ({
  type: 5,
  data: { custom_id: customId, components: Object.entries(fields).map(([id, v], n) => ({ type: 18, id: n + 1, component: Array.isArray(v) ? { type: 22, id: n + 10, custom_id: id, values: v } : { type: 4, id: n + 10, custom_id: id, value: v } })) },
});

describe('a running bot, given malformed, truncated, oversized and replayed Discord interactions', () => {
  let fake: FakeDiscord;
  let ledger: Awaited<ReturnType<typeof botLedger>>;
  let bot: RunningBot;
  let before: LedgerCounts;
  let ids = 800000000000000000n;
  const callback = (id: string, n = 0) => eventually(() => fake.callbacks(id)[n] as Callback | undefined, `callback ${n} of interaction ${id}`);
  /** An interaction with an id of our choosing, so it can be sent again. */
  const send = (interaction: Record<string, unknown>, id = String(++ids)) => {
    fake.interact({ ...interaction, id, token: `token-${id}` });
    return id;
  };

  async function stillServing() {
    const answer = await callback(send(command('odessa')));
    expect(JSON.stringify(answer)).toContain('City of Odessa');
    expect(bot.child.exitCode).toBeNull();
  }

  beforeAll(async () => {
    fake = await new FakeDiscord().start();
    fake.acknowledgeOnce = true;
    ledger = await botLedger();
    bot = startBot({ ...ledger.env, DISCORD_TOKEN: 'fake-discord-hostile-token-0123456789', DISCORD_API_URL: fake.apiUrl, LOG_LEVEL: 'info' });
    // The ledger as it was before any request: counted while the bot starts.
    [before] = await Promise.all([ledger.before(), eventually(() => bot.output().includes('breachdesk serving Discord'), 'the bot to start', 60_000)]);
  });
  afterAll(async () => {
    if (process.env.SHOW_BOT) console.log(bot.output());
    if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
    await fake.close();
    await ledger.close();
  });

  it('GIVEN interactions with missing fields, wrong types and unknown types THEN each is ignored or refused, and the bot keeps serving', async () => {
    fake.dispatch('INTERACTION_CREATE', {});
    fake.dispatch('INTERACTION_CREATE', null);
    fake.dispatch('INTERACTION_CREATE', { id: 'x', type: 'command' });
    send({ type: 2 });
    send({ type: 2, member: undefined, user: undefined });
    send({ type: 2, data: { id: '1', name: 'incident', type: 1, options: 'odessa' } });
    send({ type: 99, data: {} });
    send({ type: 4, data: { id: '1', name: 'incident', type: 1, options: [{ type: 3, name: 'query', value: 12345, focused: true }] } });
    send({ type: 5, data: { custom_id: 'bd-form:x:modal:0' } });
    send({ type: 5, data: { custom_id: 'bd-form:x:modal:0', components: [{ type: 18 }, { type: 18, component: { type: 4 } }, { type: 1, components: 'x' }] } });
    await stillServing();
    // discord.js could not build these; each would have ended the process (see interaction-guard.ts).
    expect(bot.output().match(/ignored a malformed interaction/g)?.length).toBeGreaterThanOrEqual(5);
  });

  it('GIVEN wrong option types, unknown commands and unknown component ids THEN each is answered or ignored, and every answer has mentions off', async () => {
    const answered = [
      send(command(12345)),
      send(command('x'.repeat(100_000))),
      send(command('<@123> @everyone report')),
      send({ type: 2, data: { id: '1', name: 'no-such-command', type: 1, options: [] } }),
      send(button('bd-form:no-such-draft:page:0')),
      send(button('bd-form:::')),
      send({ type: 3, data: { custom_id: 'bd-form:no-such-draft:answer', component_type: 3, values: [] }, message: ephemeralMessage }),
      send(modalSubmit('bd-form:no-such-draft:modal:0', { summary: 'x' })),
    ];
    send(button('zzz'));
    send(button(`bd:${'x'.repeat(97)}`));
    send(button('bd-share:'));
    for (const id of answered) {
      const reply = await callback(id);
      if (reply.type === 4 || reply.type === 7) {
        expect(reply.data?.allowed_mentions, JSON.stringify(reply).slice(0, 200)).toEqual({ parse: [] });
        // What people read (a button's custom_id is never shown): the text, the embeds, the labels.
        const shown = [reply.data?.content, reply.data?.embeds, reply.data?.components?.flatMap((r) => r.components.map((c) => c.label))];
        expect(JSON.stringify(shown)).not.toMatch(MENTION);
      }
    }
    await stillServing();
  });

  it('GIVEN a report page submitted with oversized and hostile values THEN the step names the problems, fits Discord, pings nobody', async () => {
    const opened = await callback(send(command('report')));
    expect(opened.type).toBe(9);
    const draft = /^bd-form:([^:]+):/.exec(opened.data!.custom_id!)![1]!;
    const step = await callback(send(modalSubmit(`bd-form:${draft}:modal:0`, {
      victim: '@everyone <@&123> [click](http://evil.example)', startDate: '<@123>', summary: `@here ${'s'.repeat(100_000)}`, vendor: '<#123> `x`', impact: ['@everyone', 'confidentiality'],
    })));
    expect([4, 7]).toContain(step.type);
    expect(step.data?.content).toMatch(/Please fix/);
    expect(step.data?.content?.length).toBeLessThanOrEqual(2000);
    expect(step.data?.content).not.toMatch(MENTION);
    expect(step.data?.content).not.toContain('[click](http://evil.example)');
    expect(step.data?.allowed_mentions).toEqual({ parse: [] });
    await stillServing();
  });

  it('GIVEN the same interaction delivered twice THEN the second callback meets 40060, it is logged, and a report is recorded once', async () => {
    const lookup = send(command('odessa'));
    await callback(lookup);
    send(command('odessa'), lookup);
    const refused = await eventually(() => fake.requests.find((r) => r.path.startsWith(`/api/v10/interactions/${lookup}/`) && fake.callbacks(lookup).length === 2), 'the second callback');
    expect(refused).toBeDefined();
    await eventually(() => /already been acknowledged/.test(bot.output()), 'the 40060 in the log');

    const opened = await callback(send(command('report')));
    const draft = /^bd-form:([^:]+):/.exec(opened.data!.custom_id!)![1]!;
    await callback(send(modalSubmit(`bd-form:${draft}:modal:0`, { victim: 'Zyxwvut Replay Parish', startDate: '2020-03', summary: 'Recorded once, whatever is replayed.', vendor: 'Replayware', impact: [] })));
    const record = String(++ids);
    send(button(`bd-form:${draft}:record`), record);
    send(button(`bd-form:${draft}:record`), record);
    const recorded = await callback(record);
    expect(JSON.stringify(recorded)).toMatch(/Recorded INC-2020-\d{4}/);
    await eventually(() => fake.callbacks(record).length === 2, 'the replayed press to be answered (and refused)');
    await stillServing();
  });

  it('GIVEN all of that THEN the ledger holds the one report and nothing else, and the bot stops cleanly', async () => {
    expect(bot.output()).not.toContain('fake-discord-hostile-token');
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(await ledger.after()).toEqual({ ...before, incidents: before.incidents + 1, victims: before.victims + 1 });
  });
});
