import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordSurface } from '../../src/adapters/discord/discord-surface.js';
import { databaseDrafts } from '../../src/drafts/database-drafts.js';
import type { DiscordSurface } from '../../src/adapters/discord/discord-surface.js';
import { REFUSALS } from '../../src/trust/permissions.js';
import { FakeDiscord } from '../fakes/fake-discord.js';
import { chatHarness } from '../support/chat.js';
import { eventually } from '../support/slack-requests.js';

const SOC_ROLE = '808080808080808080';
const asMember = (roles: string[], userId: string) => ({
  type: 2, data: { id: '1', name: 'incident', type: 1, options: [{ type: 3, name: 'query', value: 'report' }] },
  member: { user: { id: userId, username: 'member', global_name: 'Member', discriminator: '0', avatar: null }, roles, permissions: '0', joined_at: '2020-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0 },
});

// DISCORD_REPORTERS names a role: discord.js hands the member's roles to the surface,
// and the dispatcher decides.
describe('Discord roles in the permission lists, through the real discord.js Client', () => {
  let fake: FakeDiscord;
  let chat: Awaited<ReturnType<typeof chatHarness>>;
  let surface: DiscordSurface;

  beforeAll(async () => {
    fake = await new FakeDiscord().start();
    chat = await chatHarness('pglite', { trust: { reporters: { slack: null, discord: [SOC_ROLE] }, admins: { slack: null, discord: null } } });
    surface = createDiscordSurface({ dispatcher: chat.dispatcher, log: chat.services.log, token: 'fake-discord-bot-token-0123456789', apiUrl: fake.apiUrl, drafts: databaseDrafts(chat.ledger.db) });
    await surface.start();
  });
  afterAll(async () => {
    await surface.stop();
    await fake.close();
    await chat.close();
  });

  it('GIVEN a member with the reporters\' role THEN the report modal; GIVEN one without THEN the refusal, privately', async () => {
    const withRole = fake.interact(asMember([SOC_ROLE], '111111111111111111'));
    const opened = await eventually(() => fake.callbacks(withRole)[0] as { type: number } | undefined, 'the answer to the member with the role');
    expect(opened.type).toBe(9);
    const without = fake.interact(asMember(['909090909090909090'], '121212121212121212'));
    const refused = await eventually(() => fake.callbacks(without)[0] as { type: number; data?: { flags?: number } } | undefined, 'the answer to the member without it');
    expect(refused.type).toBe(4);
    expect(refused.data?.flags).toBe(64);
    expect(JSON.stringify(refused.data)).toContain(REFUSALS.report);
  });
});
