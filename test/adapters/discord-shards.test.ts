import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordSurface } from '../../src/adapters/discord/discord-surface.js';
import type { DiscordSurface } from '../../src/adapters/discord/discord-surface.js';
import { databaseDrafts } from '../../src/drafts/database-drafts.js';
import { FakeDiscord, GUILD_ID, OTHER_GUILD_ID } from '../fakes/fake-discord.js';
import { chatHarness } from '../support/chat.js';
import { eventually } from '../support/slack-requests.js';

// Discord's gateway split in shards: each server's interactions arrive on the shard
// (guild id >> 22) % shard count, through the real discord.js against the fake gateway.

const TOKEN = 'fake-discord-bot-token-0123456789';
const search = (guildId: string, query: string) => ({ type: 2, guild_id: guildId, data: { id: '1', name: 'incident', type: 1, options: [{ type: 3, name: 'query', value: query }] } });
const ephemeralMessage = { id: '777777777777777777', channel_id: '444444444444444444', type: 0, content: '', embeds: [], components: [], attachments: [], mentions: [], mention_roles: [], pinned: false, mention_everyone: false, tts: false, timestamp: '2026-01-01T00:00:00.000Z', edited_timestamp: null, flags: 64, author: { id: '222222222222222222', username: 'breachdesk', discriminator: '0', bot: true, avatar: null } };

describe('Discord with two gateway shards, through the real discord.js Client against the fake gateway', () => {
  let fake: FakeDiscord;
  let chat: Awaited<ReturnType<typeof chatHarness>>;
  let surfaces: DiscordSurface[] = [];
  const surface = (shards: { count: number; ids?: number[] }) => {
    const created = createDiscordSurface({ dispatcher: chat.dispatcher, log: chat.services.log, token: TOKEN, apiUrl: fake.apiUrl, drafts: databaseDrafts(chat.ledger.db), shards });
    surfaces.push(created);
    return created;
  };
  const firstCallback = (id: string) => eventually(() => fake.callbacks(id)[0] as { type: number; data?: Record<string, unknown> } | undefined, `the answer to ${id}`);

  beforeAll(async () => {
    fake = await new FakeDiscord().start();
    fake.shardCount = 2;
    chat = await chatHarness('pglite');
  });
  afterEach(async () => {
    for (const s of surfaces) await s.stop();
    surfaces = [];
  });
  afterAll(async () => {
    await fake.close();
    await chat.close();
  });

  it('GIVEN SHARD_COUNT=2 in one process THEN it identifies as shards 0 and 1 of 2, is healthy once both are ready, and answers servers on either', async () => {
    const both = surface({ count: 2 });
    await both.start();
    expect(fake.identified.slice(-2).sort()).toEqual([[0, 2], [1, 2]]);
    expect(both.health()).toBe(true);
    expect(fake.shardOf(GUILD_ID)).toBe(0);
    expect(fake.shardOf(OTHER_GUILD_ID)).toBe(1);
    for (const guild of [GUILD_ID, OTHER_GUILD_ID]) {
      const id = fake.interact(search(guild, 'odessa'));
      expect(JSON.stringify(await firstCallback(id))).toContain('City of Odessa');
    }
  });

  it('GIVEN two processes with SHARD_IDS=0 and SHARD_IDS=1 THEN each identifies as its own shard, answers its own servers, and either finishes a form begun on the other', async () => {
    const zero = surface({ count: 2, ids: [0] });
    const one = surface({ count: 2, ids: [1] });
    const before = fake.identified.length;
    await Promise.all([zero.start(), one.start()]);
    expect(fake.identified.slice(before).sort()).toEqual([[0, 2], [1, 2]]);
    const onOther = fake.interact(search(OTHER_GUILD_ID, 'click2gov'));
    expect(JSON.stringify(await firstCallback(onOther))).toContain('Click2Gov');

    const opened = await firstCallback(fake.interact(search(GUILD_ID, 'report City of Odessa')));
    const draft = /^bd-form:([^:]+):/.exec((opened.data as { custom_id: string }).custom_id)![1]!;
    await firstCallback(fake.interact({
      type: 5, guild_id: GUILD_ID,
      data: { custom_id: `bd-form:${draft}:modal:0`, components: [
        { type: 18, id: 1, component: { type: 4, id: 10, custom_id: 'victim', value: 'City of Odessa' } },
        { type: 18, id: 2, component: { type: 4, id: 11, custom_id: 'startDate', value: '2023-02' } },
        { type: 18, id: 3, component: { type: 4, id: 12, custom_id: 'summary', value: 'Begun on shard 0.' } },
        { type: 18, id: 4, component: { type: 4, id: 13, custom_id: 'vendor', value: 'Click2Gov' } },
        { type: 18, id: 5, component: { type: 22, id: 14, custom_id: 'impact', values: ['confidentiality'] } },
      ] },
    }));
    // As after a resharding moved the server to the other process.
    const recorded = await firstCallback(fake.interact({ type: 3, guild_id: GUILD_ID, data: { custom_id: `bd-form:${draft}:record`, component_type: 2 }, message: ephemeralMessage }, { shard: 1 }));
    expect(JSON.stringify(recorded.data)).toMatch(/Recorded INC-2023-\d{4}/);
  });
});
