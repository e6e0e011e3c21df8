import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordSurface } from '../../src/adapters/discord/discord-surface.js';
import { databaseDrafts } from '../../src/drafts/database-drafts.js';
import type { DiscordSurface } from '../../src/adapters/discord/discord-surface.js';
import { discordAlertSender } from '../../src/adapters/discord/discord-alerts.js';
import { APPLICATION_ID, CHANNEL_ID, FakeDiscord } from '../fakes/fake-discord.js';
import { chatHarness } from '../support/chat.js';
import { eventually } from '../support/slack-requests.js';

const MANAGE_CHANNELS = String(1 << 4);
type Embed = { title?: string; description?: string; fields?: { name: string; value: string }[]; footer?: { text: string }; image?: { url: string } };
type Callback = { type: number; data?: { flags?: number; embeds?: Embed[]; components?: { components: { custom_id: string; label?: string }[] }[]; content?: string; choices?: { name: string; value: string }[]; allowed_mentions?: { parse: string[] }; custom_id?: string; title?: string } };

const command = (name: string, options: { name: string; value: string }[] = [], permissions = '0') => ({
  type: 2, data: { id: '1', name, type: 1, options: options.map((o) => ({ type: 3, ...o })) },
  member: { user: { id: '555555555555555555', username: 'analyst', global_name: 'Analyst', discriminator: '0', avatar: null }, roles: [], permissions, joined_at: '2020-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0 },
});
const ephemeralMessage = { id: '777777777777777777', channel_id: CHANNEL_ID, type: 0, content: '', embeds: [], components: [], attachments: [], mentions: [], mention_roles: [], pinned: false, mention_everyone: false, tts: false, timestamp: '2026-01-01T00:00:00.000Z', edited_timestamp: null, flags: 64, author: { id: '222222222222222222', username: 'breachdesk', discriminator: '0', bot: true, avatar: null } };
const button = (customId: string) => ({ type: 3, data: { custom_id: customId, component_type: 2 }, message: ephemeralMessage });
const modalSubmit = (customId: string, fields: Record<string, string | string[]>, fromMessage = true) => ({
  type: 5,
  data: { custom_id: customId, components: Object.entries(fields).map(([id, v], n) => ({ type: 18, id: n + 1, component: Array.isArray(v) ? { type: id === 'impact' ? 22 : 3, id: n + 10, custom_id: id, values: v } : { type: 4, id: n + 10, custom_id: id, value: v } })) },
  ...(fromMessage ? { message: ephemeralMessage } : {}),
});
const text = (c: Callback) => JSON.stringify(c.data ?? {});

describe('Discord through the real discord.js Client, against a fake Discord', () => {
  let fake: FakeDiscord;
  let chat: Awaited<ReturnType<typeof chatHarness>>;
  let surface: DiscordSurface;
  const callback = (id: string, n = 0) => eventually(() => fake.callbacks(id)[n] as Callback | undefined, `callback ${n} of interaction ${id}`);

  beforeAll(async () => {
    fake = await new FakeDiscord().start();
    chat = await chatHarness('pglite');
    surface = createDiscordSurface({ dispatcher: chat.dispatcher, log: chat.services.log, token: 'fake-discord-bot-token-0123456789', apiUrl: fake.apiUrl, drafts: databaseDrafts(chat.ledger.db) });
    chat.alerts.register('discord', discordAlertSender({ token: 'fake-discord-bot-token-0123456789', apiUrl: fake.apiUrl }));
    await chat.alerts.start();
    await surface.start();
  });
  afterAll(async () => {
    await surface.stop();
    await fake.close();
    await chat.close();
  });

  it('GIVEN /incident odessa THEN a private answer in embeds, with incidents, links, buttons, Share, and mentions disabled', async () => {
    const id = fake.interact(command('incident', [{ name: 'query', value: 'odessa' }]));
    const reply = await callback(id);
    expect(reply.type).toBe(4);
    expect(reply.data?.flags).toBe(64);
    expect(reply.data?.allowed_mentions).toEqual({ parse: [] });
    const odessa = reply.data?.embeds?.find((e) => e.title === 'City of Odessa');
    // The verdict on the victim first, then what it is.
    expect(odessa?.description).toBe('**Repeat victim — 2 incidents within 365 days (INC-2019-0001 → INC-2020-0001, 7 months apart), both through Click2Gov**\ncity · Odessa, TX, US · 2 incidents');
    expect(odessa?.fields?.map((f) => f.name)).toEqual(['INC-2020-0001 · 2020-04 – 2020-06 · Click2Gov', 'INC-2019-0001 · 2019-08-27 – 2019-10-14 · Click2Gov']);
    expect(odessa?.fields?.[1]?.value).toContain('[source 1](https://www.oaoa.com/news/government/city_of_odessa/article_26ca034a-1d36-11ea-aee8-0b737bb62a26.html)');
    const labels = reply.data?.components?.flatMap((r) => r.components.map((c) => c.label));
    expect(labels).toEqual(expect.arrayContaining(['Report another incident for this victim', 'Share in channel']));
    // The timeline: attached to the private answer, shown as the victim's embed image, described in words.
    expect(odessa?.image?.url).toBe('attachment://timeline.png');
    const sent = fake.requests.find((r) => r.path.startsWith(`/api/v10/interactions/${id}/`));
    const [file] = sent?.files ?? [];
    expect(file?.name).toBe('timeline.png');
    const png = PNG.sync.read(file!.data);
    expect([png.width, png.height]).toEqual([800, 200]);
    const attachments = (reply.data as { attachments?: { filename: string; description: string }[] }).attachments;
    expect(attachments?.[0]?.description).toMatch(/^Timeline of City of Odessa: 2 incidents from 2019 to 2020.*INC-2019-0001 → INC-2020-0001, both through Click2Gov/);
  });

  it('GIVEN the member types in the option THEN victim names autocomplete', async () => {
    const id = fake.interact({ type: 4, data: { id: '1', name: 'incident', type: 1, options: [{ type: 3, name: 'query', value: 'odes', focused: true }] } });
    const reply = await callback(id);
    expect(reply.type).toBe(8);
    expect(reply.data?.choices).toContainEqual({ name: 'City of Odessa (Odessa, TX, US)', value: 'City of Odessa' });
    const report = await callback(fake.interact({ type: 4, data: { id: '1', name: 'incident', type: 1, options: [{ type: 3, name: 'query', value: 'report odes', focused: true }] } }));
    expect(report.data?.choices).toContainEqual({ name: 'report City of Odessa (Odessa, TX, US)', value: 'report City of Odessa' });
  });

  it('GIVEN Next page and Share pressed THEN the page is replaced, and the share is posted for everyone', async () => {
    const first = await callback(fake.interact(command('incident', [{ name: 'query', value: 'click2gov' }])));
    const next = first.data?.components?.flatMap((r) => r.components).find((c) => c.label === 'Next page');
    expect(next?.custom_id).toMatch(/^bd:more \S+ click2gov$/);
    const page2 = await callback(fake.interact(button(next!.custom_id)));
    expect(page2.type).toBe(7);
    expect(text(page2)).not.toBe(text(first));
    const share = first.data?.components?.flatMap((r) => r.components).find((c) => c.label === 'Share in channel');
    const shared = await callback(fake.interact(button(share!.custom_id)));
    expect(shared.type).toBe(4);
    expect(shared.data?.flags ?? 0).toBe(0);
    expect(text(shared)).toMatch(/Shared by Analyst/);
  });

  it('GIVEN /incident-alerts on without Manage Channels THEN refused; with it THEN the channel is subscribed', async () => {
    const refused = await callback(fake.interact(command('incident-alerts', [{ name: 'action', value: 'on' }])));
    expect(text(refused)).toMatch(/needs permission to manage the channel/);
    const allowed = await callback(fake.interact(command('incident-alerts', [{ name: 'action', value: 'on' }], MANAGE_CHANNELS)));
    expect(text(allowed)).toMatch(/Repeat-breach alerts are on/);
    expect(allowed.data?.flags ?? 0).toBe(0);
  });

  it('GIVEN /incident report THEN modal pages; a wrong date is named and fixed without retyping; Record stores it, alerts the channel once, and a second press stores nothing', async () => {
    const opened = await callback(fake.interact(command('incident', [{ name: 'query', value: 'report City of Odessa' }])));
    expect(opened.type).toBe(9);
    const modal = opened.data as unknown as { custom_id: string; title: string; components: { type: number; label: string; component: { custom_id: string; type: number; value?: string } }[] };
    expect(modal.title).toBe('Report an incident (1/4)');
    expect(modal.components.map((c) => [c.type, c.component.custom_id, c.component.type])).toEqual([[18, 'victim', 4], [18, 'startDate', 4], [18, 'summary', 4], [18, 'vendor', 4], [18, 'impact', 22]]);
    expect(modal.components[0]?.component.value).toBe('City of Odessa');
    const draft = /^bd-form:([^:]+):modal:0$/.exec(modal.custom_id)![1]!;

    const page1 = { victim: 'City of Odessa', startDate: 'April', summary: 'Card data skimmed from the Click2Gov portal again.', vendor: 'Click2Gov', impact: ['confidentiality'] };
    const step = await callback(fake.interact(modalSubmit(`bd-form:${draft}:modal:0`, page1, false)));
    expect(step.type).toBe(4);
    expect(step.data?.content).toMatch(/Please fix:\n\*\*Started\*\*: Start date "April" is not a date/);
    const reopened = await callback(fake.interact(button(`bd-form:${draft}:page:0`)));
    expect(reopened.type).toBe(9);
    expect(JSON.stringify(reopened.data)).toContain('Card data skimmed from the Click2Gov portal again.');

    const fixed = await callback(fake.interact(modalSubmit(`bd-form:${draft}:modal:0`, { ...page1, startDate: '2020-09' })));
    expect(fixed.type).toBe(7);
    expect(fixed.data?.content).toMatch(/page 1 of 4 done/);
    expect(fixed.data?.content).not.toMatch(/Please fix/);

    const before = chat.posted.length;
    const recorded = await callback(fake.interact(button(`bd-form:${draft}:record`)));
    expect(recorded.type).toBe(7);
    expect(text(recorded)).toMatch(/Recorded INC-2020-\d{4}/);
    expect(text(recorded)).toMatch(/Repeat breach: 2nd incident within 365 days/);
    const alert = await eventually(() => fake.channelMessages(CHANNEL_ID).find((m) => JSON.stringify(m).includes('Repeat breach: City of Odessa')), 'the alert');
    expect(alert.allowed_mentions).toEqual({ parse: [] });
    // The alert carries the victim's timeline too, as its embed's image.
    expect(JSON.stringify(alert.embeds)).toContain('attachment://timeline.png');
    expect(fake.requests.find((r) => r.body === alert)?.files?.map((f) => [f.name, f.contentType])).toEqual([['timeline.png', 'image/png']]);
    expect(chat.posted.length).toBe(before);

    const again = await callback(fake.interact(button(`bd-form:${draft}:record`)));
    expect(again.data?.content).toMatch(/expired/);
    expect((await chat.ledger.search('City of Odessa')).hits[0]?.totalIncidents).toBe(3);
  });

  it('GIVEN a near-match victim THEN a question with a select, and the choice records it', async () => {
    const opened = await callback(fake.interact(command('incident', [{ name: 'query', value: 'report' }])));
    const draft = /^bd-form:([^:]+):/.exec((opened.data as { custom_id: string }).custom_id)![1]!;
    await callback(fake.interact(modalSubmit(`bd-form:${draft}:modal:0`, { victim: 'Odessa', startDate: '2015', summary: 'An older breach, reported late.', vendor: '', impact: [] }, false)));
    const asked = await callback(fake.interact(button(`bd-form:${draft}:record`)));
    expect(asked.data?.content).toMatch(/Did you mean City of Odessa \(Odessa, TX, US\)/);
    const select = asked.data?.components?.[0]?.components[0];
    expect(select?.custom_id).toBe(`bd-form:${draft}:answer`);
    const done = await callback(fake.interact({ type: 3, data: { custom_id: select!.custom_id, component_type: 3, values: ['#1'] }, message: ephemeralMessage }));
    expect(text(done)).toMatch(/Recorded INC-2015-\d{4}/);
  });

  it('GIVEN a victim named @everyone THEN the alert is escaped and pings nobody', async () => {
    for (const start of ['2021-01', '2021-02']) {
      const opened = await callback(fake.interact(command('incident', [{ name: 'query', value: 'report' }])));
      const draft = /^bd-form:([^:]+):/.exec((opened.data as { custom_id: string }).custom_id)![1]!;
      await callback(fake.interact(modalSubmit(`bd-form:${draft}:modal:0`, { victim: '@everyone <@&123> Corp', startDate: start, summary: '@here **pwned** <@456>', vendor: '', impact: [] }, false)));
      const done = await callback(fake.interact(button(`bd-form:${draft}:record`)));
      if (!/Recorded/.test(text(done))) {
        await callback(fake.interact({ type: 3, data: { custom_id: `bd-form:${draft}:answer`, component_type: 3, values: ['new'] }, message: ephemeralMessage }));
      }
    }
    const alert = await eventually(() => fake.channelMessages(CHANNEL_ID).find((m) => JSON.stringify(m).includes('Corp')), 'the alert');
    const all = JSON.stringify(alert.embeds);
    expect(all).not.toMatch(/@everyone|@here|<@&123>|<@456>/);
    expect(alert.allowed_mentions).toEqual({ parse: [] });
  });

  it('GIVEN a report form begun before the process stops THEN a new process on the same ledger finishes it, and records it once', async () => {
    const opened = await callback(fake.interact(command('incident', [{ name: 'query', value: 'report City of Odessa' }])));
    const draft = /^bd-form:([^:]+):/.exec((opened.data as { custom_id: string }).custom_id)![1]!;
    await callback(fake.interact(modalSubmit(`bd-form:${draft}:modal:0`, { victim: 'City of Odessa', startDate: '2022-03', summary: 'Begun before a deploy.', vendor: 'Click2Gov', impact: ['confidentiality'] }, false)));
    await surface.stop();
    // A new process: its own client and its own store, nothing shared with the first but the database.
    surface = createDiscordSurface({ dispatcher: chat.dispatcher, log: chat.services.log, token: 'fake-discord-bot-token-0123456789', apiUrl: fake.apiUrl, drafts: databaseDrafts(chat.ledger.db) });
    await surface.start();
    const page2 = await callback(fake.interact(button(`bd-form:${draft}:page:1`)));
    expect(page2.type).toBe(9);
    const recorded = await callback(fake.interact(button(`bd-form:${draft}:record`)));
    expect(text(recorded)).toMatch(/Recorded INC-2022-\d{4}/);
    expect(text(recorded)).toContain('Begun before a deploy.');
    const again = await callback(fake.interact(button(`bd-form:${draft}:record`)));
    expect(again.data?.content).toMatch(/expired/);
    expect(await chat.ledger.db.selectFrom('form_drafts').select('id').where('id', '=', draft).execute()).toEqual([]);
  });

  it('GIVEN register-commands THEN /incident and the Manage Channels commands are built from the neutral definitions', async () => {
    const { registerCommands } = await import('../../src/adapters/discord/application-commands.js');
    const result = await registerCommands(chat.dispatcher.commands, { token: 'fake-discord-bot-token-0123456789', applicationId: APPLICATION_ID, guildId: '333333333333333333', apiUrl: fake.apiUrl });
    expect(result.registered).toEqual(['/incident', '"Report as incident" on messages', '/incident-alerts', '/incident-clearance', '/incident-feeds', '/incident-unwatch', '/incident-watch']);
    const put = fake.requests.find((r) => r.method === 'PUT' && r.path === `/api/v10/applications/${APPLICATION_ID}/guilds/333333333333333333/commands`);
    const body = put?.body as { name: string; default_member_permissions?: string; options: { name: string; autocomplete?: boolean }[] }[];
    expect(body.find((c) => c.name === 'incident')).toMatchObject({ options: [{ name: 'query', autocomplete: true }] });
    expect(body.find((c) => c.name === 'incident')?.default_member_permissions).toBeUndefined();
    expect(body.find((c) => c.name === 'incident-alerts')?.default_member_permissions).toBe(MANAGE_CHANNELS);
    expect(body.find((c) => c.name === 'Report as incident')).toMatchObject({ type: 3 });
  });

  it('GIVEN "Report as incident" on a message THEN the report form opens with the message as summary and its jump link and links as sources, and records them', async () => {
    const news = { ...ephemeralMessage, id: '888888888888888888', flags: 0, content: 'Odessa hit again: [Odessa American](https://news.example.org/odessa) and <https://www.oaoa.com/y> <@123>', author: { id: '444444444444444444', username: 'reporter', discriminator: '0', avatar: null } };
    const opened = await callback(fake.interact({ ...command('Report as incident'), data: { id: '2', name: 'Report as incident', type: 3, target_id: news.id, resolved: { messages: { [news.id]: news } } } }));
    expect(opened.type).toBe(9);
    expect(text(opened)).toContain('Odessa hit again: Odessa American (https://news.example.org/odessa) and https://www.oaoa.com/y @123');
    const draft = /^bd-form:([^:]+):/.exec((opened.data as { custom_id: string }).custom_id)![1]!;
    await callback(fake.interact(modalSubmit(`bd-form:${draft}:modal:0`, { victim: 'City of Odessa', startDate: '2023-02', summary: 'Odessa hit again, by the look of it.', vendor: '', impact: [] }, false)));
    const done = await callback(fake.interact(button(`bd-form:${draft}:record`)));
    const reference = /Recorded (INC-\d{4}-\d{4})/.exec(text(done))?.[1];
    expect(reference).toBeDefined();
    const recorded = await chat.ledger.incident(reference!);
    expect(recorded?.incident.sources).toEqual([`https://discord.com/channels/333333333333333333/${CHANNEL_ID}/${news.id}`, 'https://news.example.org/odessa', 'https://www.oaoa.com/y']);
  });
});
