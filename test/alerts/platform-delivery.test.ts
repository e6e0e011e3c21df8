import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discordAlertSender } from '../../src/adapters/discord/discord-alerts.js';
import { slackAlertSender } from '../../src/adapters/slack/slack-alerts.js';
import { deliveryStatus } from '../../src/alerts/delivery-status.js';
import { subscriptionOf } from '../../src/alerts/subscriptions.js';
import type { Actor, ChannelRef } from '../../src/identity.js';
import { CHANNEL_ID, DM_CHANNEL_ID, FakeDiscord } from '../fakes/fake-discord.js';
import { FakeSlack } from '../fakes/fake-slack.js';
import { backends } from '../support/databases.js';
import { chatHarness, textOf } from '../support/chat.js';
import { analyst, submission } from '../support/submissions.js';

const odessaRepeat = () => submission({ victim: { name: 'City of Odessa', id: 1 }, startDate: '2020-09-01', newIncident: true });

describe.each(backends)('alert delivery to the fake platforms on %s', (backend) => {
  let chat: Awaited<ReturnType<typeof chatHarness>>;
  beforeEach(async () => (chat = await chatHarness(backend)));
  afterEach(() => chat.close());

  describe('Slack', () => {
    let fake: FakeSlack;
    const slackChannel: ChannelRef = { platform: 'slack', workspace: 'T1', channelId: 'C-ALERTS' };
    const admin: Actor = { platform: 'slack', workspace: 'T1', userId: 'U-ADMIN', displayName: 'admin' };
    beforeEach(async () => {
      fake = await new FakeSlack().start();
      chat.alerts.register('slack', slackAlertSender({ botToken: 'xoxb-test', apiUrl: fake.apiUrl }));
      await chat.say('/incident alerts on', admin, slackChannel);
    });
    afterEach(() => fake.close());

    it('GIVEN Slack answers 500, then 429 with Retry-After, then OK THEN exactly one message, with its metadata and a fallback', async () => {
      fake.script('chat.postMessage', [{ status: 500 }, { status: 429, retryAfter: 1 }]);
      await chat.ledger.report(odessaRepeat(), analyst);
      const started = Date.now();
      await chat.deliver();
      const afterRateLimit = await waitUntil(async () => (await chat.deliver(), fake.messagesIn('C-ALERTS').length > 0), 10_000);
      expect(afterRateLimit).toBe(true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C-ALERTS')).toHaveLength(3);
      const [message] = fake.messagesIn('C-ALERTS');
      expect(fake.messagesIn('C-ALERTS')).toHaveLength(1);
      expect(message!.metadata).toMatchObject({ event_type: 'breachdesk_alert', event_payload: { nonce: expect.any(String) as string } });
      expect(String(message!.text)).toMatch(/^Repeat breach: City of Odessa — 2nd incident within 365 days/);
      expect(await deliveryStatus(chat.ledger.db, slackChannel)).toMatchObject([{ pending: 0, sent: 1, failed: 0 }]);
    });

    it('GIVEN the bot was removed from the channel THEN no retry loop: the delivery fails, the subscription is broken, and the admin is told', async () => {
      fake.notInChannel.add('C-ALERTS');
      await chat.ledger.report(odessaRepeat(), analyst);
      await chat.deliver();
      await chat.deliver();
      expect(fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C-ALERTS')).toHaveLength(1);
      expect(fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'U-ADMIN')?.args.text).toMatch(/can no longer post alerts .*not_in_channel/);
      expect((await subscriptionOf(chat.ledger.db, slackChannel))?.brokenReason).toBe('not_in_channel');
      expect(await deliveryStatus(chat.ledger.db, slackChannel)).toMatchObject([{ pending: 0, sent: 0, failed: 1, brokenReason: 'not_in_channel' }]);
      expect(textOf(await chat.say('/incident alerts status', admin, slackChannel))).toMatch(/Broken: the last alert could not be posted \(not_in_channel\)[\s\S]*1 failed/);
      // A broken channel queues nothing more; turning alerts on again mends it.
      await chat.ledger.report(submission({ victim: { name: 'City of Odessa', id: 1 }, startDate: '2020-09-20' }), analyst);
      expect(await deliveryStatus(chat.ledger.db, slackChannel)).toMatchObject([{ pending: 0, failed: 1 }]);
      await chat.say('/incident alerts on', admin, slackChannel);
      expect((await subscriptionOf(chat.ledger.db, slackChannel))?.brokenReason).toBeNull();
    });
  });

  describe('Discord', () => {
    let fake: FakeDiscord;
    const discordChannel: ChannelRef = { platform: 'discord', workspace: '333333333333333333', channelId: CHANNEL_ID };
    const admin: Actor = { platform: 'discord', workspace: '333333333333333333', userId: '999999999999999999', displayName: 'admin', canManageChannel: true };
    beforeEach(async () => {
      fake = await new FakeDiscord().start();
      chat.alerts.register('discord', discordAlertSender({ token: 'fake-discord-bot-token-0123456789', apiUrl: fake.apiUrl }));
      await chat.say('/incident alerts on', admin, discordChannel);
    });
    afterEach(() => fake.close());

    it('GIVEN Discord answers 500, then 429 with Retry-After, then OK THEN exactly one message, with a nonce and mentions off', async () => {
      fake.scriptPosts([{ status: 500 }, { status: 429, retryAfter: 1 }]);
      await chat.ledger.report(odessaRepeat(), analyst);
      expect(await waitUntil(async () => (await chat.deliver(), (fake.messages.get(CHANNEL_ID) ?? []).length > 0), 10_000)).toBe(true);
      const posts = fake.channelMessages(CHANNEL_ID);
      expect(posts).toHaveLength(3);
      expect(fake.messages.get(CHANNEL_ID)).toHaveLength(1);
      expect(posts[2]).toMatchObject({ enforce_nonce: true, allowed_mentions: { parse: [] } });
      expect(posts[2]!.nonce).toBe(posts[0]!.nonce);
    });

    it('GIVEN the same nonce posted again (a restart after a crash) THEN Discord returns the first message and posts nothing', async () => {
      await chat.ledger.report(odessaRepeat(), analyst);
      await chat.deliver();
      const sender = discordAlertSender({ token: 'fake-discord-bot-token-0123456789', apiUrl: fake.apiUrl });
      const [first] = fake.channelMessages(CHANNEL_ID);
      const again = await sender.send({ platform: 'discord', workspace: null, channelId: CHANNEL_ID }, { blocks: [], fallback: 'x' }, { nonce: String(first!.nonce), threadOf: null });
      expect(again.messageId).toBe((fake.messages.get(CHANNEL_ID) ?? [])[0]?.id);
      expect(fake.messages.get(CHANNEL_ID)).toHaveLength(1);
    });

    it('GIVEN a later alert about the same victim THEN it replies to the first', async () => {
      await chat.ledger.report(odessaRepeat(), analyst);
      await chat.deliver();
      await chat.ledger.report(submission({ victim: { name: 'City of Odessa', id: 1 }, startDate: '2020-09-20', newIncident: true }), analyst);
      await chat.deliver();
      const [first, second] = fake.messages.get(CHANNEL_ID) ?? [];
      expect(second?.message_reference).toMatchObject({ message_id: first?.id });
    });

    it('GIVEN no Read Message History (a reply refused with 50013) THEN the later alert is posted without the reply and the channel keeps its alerts', async () => {
      fake.noReadHistory.add(CHANNEL_ID);
      await chat.ledger.report(odessaRepeat(), analyst);
      await chat.deliver();
      await chat.ledger.report(submission({ victim: { name: 'City of Odessa', id: 1 }, startDate: '2020-09-20', newIncident: true }), analyst);
      await chat.deliver();
      const [first, refused, plain] = fake.channelMessages(CHANNEL_ID);
      expect(refused?.message_reference).toMatchObject({ message_id: (fake.messages.get(CHANNEL_ID) ?? [])[0]?.id });
      expect(plain?.message_reference).toBeUndefined();
      expect(plain?.nonce).toBe(refused?.nonce);
      expect(first?.nonce).not.toBe(plain?.nonce);
      expect(fake.messages.get(CHANNEL_ID)).toHaveLength(2);
      expect((await subscriptionOf(chat.ledger.db, discordChannel))?.brokenReason).toBeNull();
      expect(fake.channelMessages(DM_CHANNEL_ID)).toHaveLength(0);
      expect(await deliveryStatus(chat.ledger.db, discordChannel)).toMatchObject([{ pending: 0, sent: 2, failed: 0 }]);
    });

    it('GIVEN a channel that no longer exists THEN it stops retrying, is marked broken, and the admin is told', async () => {
      fake.goneChannels.add(CHANNEL_ID);
      await chat.ledger.report(odessaRepeat(), analyst);
      await chat.deliver();
      await chat.deliver();
      expect(fake.channelMessages(CHANNEL_ID)).toHaveLength(1);
      expect((await subscriptionOf(chat.ledger.db, discordChannel))?.brokenReason).toMatch(/Unknown Channel/);
      expect(fake.channelMessages(DM_CHANNEL_ID)[0]?.content).toMatch(/can no longer post alerts/);
      expect(await deliveryStatus(chat.ledger.db, discordChannel)).toMatchObject([{ failed: 1, pending: 0 }]);
    });
  });
});

async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
