import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatHarness, person, room, textOf } from '../support/chat.js';

describe('/incident feeds', () => {
  let chat: Awaited<ReturnType<typeof chatHarness>>;
  beforeAll(async () => {
    chat = await chatHarness();
  });
  afterAll(() => chat.close());

  it('GIVEN no feeds THEN it says so and how to add one', async () => {
    expect(textOf(await chat.say('feeds'))).toContain('No feeds yet. hhs: HHS OCR breach portal (CSV); hibp: Have I Been Pwned breaches (JSON)');
  });

  it('GIVEN an admin adds a feed THEN the channel hears it, it is listed with its period, and adding it again says where it is', async () => {
    const added = await chat.say('feeds add hibp https://haveibeenpwned.com/api/v3/breaches every:12h');
    expect(added).toMatchObject({ visibility: 'public' });
    expect(textOf(added)).toMatch(/^Feed #\d+ added by analyst: hibp https:\/\/haveibeenpwned\.com\/api\/v3\/breaches, every 12 h\./);
    expect(textOf(await chat.say('feeds list'))).toMatch(/#\d+ hibp https:\/\/haveibeenpwned\.com\/api\/v3\/breaches — every 12 h; 0 records imported; not run yet/);
    expect(textOf(await chat.say('feeds add HIBP https://haveibeenpwned.com/api/v3/breaches'))).toContain('That feed is already polled: #');
    const [feed] = await chat.services.feeds!.list();
    expect(feed).toMatchObject({ platform: 'shell', channel_id: room.channelId, added_by: 'analyst', every_seconds: 43_200 });
  });

  it('GIVEN a wrong kind, address or period THEN the field is named and nothing is stored', async () => {
    expect(textOf(await chat.say('feeds add rss https://example.org/feed'))).toBe('kind: a feed is one of: hhs, hibp, ransomware; not "rss".');
    expect(textOf(await chat.say('feeds add hibp ftp://example.org/x'))).toBe('url: the feed\'s address must be an http(s) URL, not "ftp://example.org/x".');
    expect(textOf(await chat.say('feeds add hibp https://example.org/x every:fortnightly'))).toContain('every: every "fortnightly" is not a period between 1m and 30d');
    expect(await chat.services.feeds!.list()).toHaveLength(1);
  });

  it('GIVEN someone who may not manage the channel THEN they may list but not add or remove', async () => {
    const guest = { ...person, userId: 'guest', displayName: 'guest', canManageChannel: false };
    expect(textOf(await chat.say('feeds', guest))).toContain('hibp https://haveibeenpwned.com/api/v3/breaches');
    expect(textOf(await chat.say('feeds remove 1', guest))).not.toContain('removed');
    expect(await chat.services.feeds!.list()).toHaveLength(1);
  });

  it('GIVEN remove THEN the feed goes, what it imported stays', async () => {
    const [feed] = await chat.services.feeds!.list();
    expect(textOf(await chat.say(`feeds remove ${feed!.id}`))).toBe(`Feed #${feed!.id} (hibp https://haveibeenpwned.com/api/v3/breaches) removed by analyst; what it imported stays in the ledger.`);
    expect(textOf(await chat.say('feeds remove 999'))).toBe('No feed "999". /incident feeds lists them.');
  });
});
