import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordSurface } from '../../src/adapters/discord/discord-surface.js';
import { databaseDrafts } from '../../src/drafts/database-drafts.js';
import type { DiscordSurface } from '../../src/adapters/discord/discord-surface.js';
import { discordAlertSender } from '../../src/adapters/discord/discord-alerts.js';
import { createShell } from '../../src/adapters/shell/shell.js';
import { createSlackSurface } from '../../src/adapters/slack/slack-surface.js';
import type { SlackSurface } from '../../src/adapters/slack/slack-surface.js';
import { slackAlertSender } from '../../src/adapters/slack/slack-alerts.js';
import { CHANNEL_ID, FakeDiscord } from '../fakes/fake-discord.js';
import { FakeSlack } from '../fakes/fake-slack.js';
import { chatHarness } from '../support/chat.js';
import { backends } from '../support/databases.js';
import { SIGNING_SECRET, eventually, interaction, reportModalState, reportSubmission, slashCommand } from '../support/slack-requests.js';

// Another article about Odessa's 2020 Click2Gov breach (INC-2020-0001 in the demo ledger),
// in its own words but with the key words of the ledger's text: the form asks whether
// it is the same incident, on every surface, before anything is stored.

type Harness = Awaited<ReturnType<typeof chatHarness>>;

const SUMMARY = "Card data of customers who made one-time payments on the city's Click2Gov utility-payment portal between mid-April and late June 2020 was skimmed and exposed, the press reported in October 2020.";
const QUESTION = /^Is this INC-2020-0001 \(City of Odessa, 2020-04 – 2020-06, Click2Gov\)\? It looks alike: .+/;
const SAME = { value: 'INC-2020-0001', label: 'Same incident — add my report to INC-2020-0001' };
const DIFFERENT = { value: 'new', label: 'A different incident' };

const flat = (x: unknown) => JSON.stringify(x);

/** The sources of INC-2020-0001 as the ledger shows them (its own and those of reports joined to it). */
async function sourcesOf2020(chat: Harness): Promise<string[]> {
  const hit = (await chat.ledger.search('INC-2020-0001')).hits[0];
  return hit?.incidents.find((i) => i.reference === 'INC-2020-0001')?.sources ?? [];
}

async function odessaIncidents(chat: Harness): Promise<number> {
  return (await chat.ledger.search('City of Odessa')).hits.find((h) => h.victim.name === 'City of Odessa')?.totalIncidents ?? 0;
}

async function deliveries(chat: Harness) {
  return chat.ledger.db.selectFrom('alert_deliveries').select(['incident_id', 'platform', 'channel_id', 'reason']).orderBy('id').execute();
}

/** Odessa's incidents among the certain repeats, by reference. */
async function odessaRepeats(chat: Harness): Promise<string[]> {
  const odessa = (await chat.ledger.repeats()).find((r) => r.victim.name === 'City of Odessa');
  return (odessa?.incidents ?? []).map((i) => i.reference).sort();
}

// ---------------------------------------------------------------------------------------------
// Slack

type ViewBlock = {
  type: string; block_id?: string; label?: { text: string }; text?: { text: string };
  element?: {
    type: string; action_id: string; options?: { text: { text: string }; value: string }[];
    initial_value?: string; initial_date?: string; initial_option?: { value: string }; initial_options?: { value: string }[];
  };
};

/**
 * What Slack sends back when the person submits an updated modal as shown: each input
 * block's initial value as its value, plus the answers the person picked.
 */
function stateOfView(blocks: ViewBlock[], answers: Record<string, string>) {
  const values: Record<string, Record<string, unknown>> = {};
  for (const block of blocks) {
    const e = block.element;
    if (block.type !== 'input' || !e || !block.block_id) continue;
    let value: Record<string, unknown>;
    const answer = answers[block.block_id];
    switch (e.type) {
      case 'plain_text_input': value = { value: e.initial_value ?? null }; break;
      case 'datepicker': value = { selected_date: e.initial_date ?? null }; break;
      case 'external_select': case 'static_select': value = { selected_option: e.initial_option ?? null }; break;
      case 'radio_buttons': value = { selected_option: answer === undefined ? null : e.options!.find((o) => o.value === answer) }; break;
      default: value = { selected_options: e.initial_options ?? [] };
    }
    values[block.block_id] = { [e.action_id]: { type: e.type, ...value } };
  }
  return { values };
}

const slackReport = (source: string) => reportModalState({
  victim: '#1', startDate: '2020-04-01', endDate: '2020-06-01', datePrecision: 'month', summary: SUMMARY, vendor: 'Click2Gov',
  impact: ['confidentiality'], motives: ['financial'], sources: source,
});

describe.each(backends)('the same-incident question on Slack, through the real Bolt app (%s)', (backend) => {
  let fake: FakeSlack;
  let chat: Harness;
  let surface: SlackSurface;
  let base: string;
  let responses = 0;
  const nextResponseUrl = () => fake.responseUrl(`r${++responses}`);
  const ephemeral = (text: string) => eventually(() => fake.callsTo('chat.postEphemeral').find((c) => flat(c.args).includes(text)), `a confirmation with “${text}”`);

  /** Submits the report; expects the modal updated with the question; returns the updated view's blocks. */
  async function askedOnSlack(viewId: string, source: string): Promise<ViewBlock[]> {
    const asked = await interaction(base, reportSubmission(viewId, slackReport(source)));
    expect(asked.status).toBe(200);
    const update = asked.json() as { response_action?: string; view?: { callback_id: string; blocks: ViewBlock[] } };
    expect(update.response_action).toBe('update');
    expect(update.view?.callback_id).toBe('report');
    return update.view!.blocks;
  }

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    chat = await chatHarness(backend);
    surface = createSlackSurface({ dispatcher: chat.dispatcher, log: chat.services.log, botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl, port: 0 });
    chat.alerts.register('slack', slackAlertSender({ botToken: 'xoxb-test-token', apiUrl: fake.apiUrl }));
    await chat.alerts.start();
    const server = (await surface.start()) as Server;
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await slashCommand(base, 'alerts on', { responseUrl: nextResponseUrl(), channel: 'C-ALERTS' });
    await eventually(() => fake.responses.find((r) => flat(r.body).includes('Repeat-breach alerts are on')), 'alerts on');
  });
  afterAll(async () => {
    await surface?.stop();
    await fake?.close();
    await chat?.close();
  });

  it('GIVEN another article on Odessa’s 2020 Click2Gov breach THEN the modal asks “Same incident?” with both choices and stores nothing; answering Same incident adds the report to INC-2020-0001 with its source, and no alert', async () => {
    const source = 'https://example.org/news/odessa-click2gov-card-skimming-2020';
    const incidentsBefore = await odessaIncidents(chat);
    const deliveriesBefore = await deliveries(chat);
    expect(incidentsBefore).toBe(2);
    expect(await sourcesOf2020(chat)).not.toContain(source);

    const blocks = await askedOnSlack('V-same', source);
    const question = blocks.find((b) => b.type === 'section' && QUESTION.test(b.text?.text ?? ''));
    expect(question, flat(blocks)).toBeDefined();
    const radio = blocks.find((b) => b.block_id === 'eventChoice');
    expect(radio?.label?.text).toBe('Same incident?');
    expect(radio?.element?.type).toBe('radio_buttons');
    expect(radio?.element?.action_id).toBe('eventChoice');
    expect(radio?.element?.options?.map((o) => ({ value: o.value, label: o.text.text }))).toEqual([SAME, DIFFERENT]);
    // The values are kept, the month precision too, and nothing is stored yet.
    expect(blocks.find((b) => b.block_id === 'summary')?.element?.initial_value).toBe(SUMMARY);
    expect(blocks.find((b) => b.block_id === 'datePrecision')?.element?.initial_option?.value).toBe('month');
    expect(await odessaIncidents(chat)).toBe(incidentsBefore);
    expect(await deliveries(chat)).toEqual(deliveriesBefore);

    const done = await interaction(base, reportSubmission('V-same', stateOfView(blocks, { eventChoice: 'INC-2020-0001' })));
    expect(done.status).toBe(200);
    expect(done.text).toBe('');
    const confirmation = await ephemeral('Added your report to INC-2020-0001');
    expect(confirmation.args).toMatchObject({ channel: 'C-SOC', user: 'U-ANALYST' });
    expect(flat(confirmation.args)).not.toMatch(/Recorded INC-/);

    expect(await sourcesOf2020(chat)).toContain(source);
    expect(await odessaIncidents(chat)).toBe(incidentsBefore);
    expect(await odessaRepeats(chat)).toEqual(['INC-2019-0001', 'INC-2020-0001']);
    expect(await deliveries(chat)).toEqual(deliveriesBefore);
    expect(fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C-ALERTS')).toEqual([]);
  });

  it('GIVEN the question answered “A different incident” THEN Recorded INC-2020-…, and one repeat alert is queued for the subscribed channel and posted', async () => {
    const source = 'https://example.org/news/odessa-click2gov-another-story';
    const incidentsBefore = await odessaIncidents(chat);
    const deliveriesBefore = await deliveries(chat);

    const blocks = await askedOnSlack('V-different', source);
    expect(blocks.find((b) => b.block_id === 'eventChoice')?.element?.options?.map((o) => o.value)).toEqual(['INC-2020-0001', 'new']);
    expect(await deliveries(chat)).toEqual(deliveriesBefore);

    await interaction(base, reportSubmission('V-different', stateOfView(blocks, { eventChoice: 'new' })));
    const confirmation = await ephemeral('Recorded INC-2020-');
    const reference = /Recorded (INC-2020-\d{4})/.exec(flat(confirmation.args))![1]!;
    expect(reference).not.toBe('INC-2020-0001');
    expect(await odessaIncidents(chat)).toBe(incidentsBefore + 1);
    expect(await sourcesOf2020(chat)).not.toContain(source);

    const added = (await deliveries(chat)).slice(deliveriesBefore.length);
    expect(added).toEqual([expect.objectContaining({ platform: 'slack', channel_id: 'C-ALERTS', reason: 'repeat' })]);
    const alert = await eventually(() => fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'C-ALERTS'), 'the repeat alert');
    expect(String(alert.args.text)).toMatch(/^Repeat breach: City of Odessa — 3rd incident within 365 days/);
  });
});

// ---------------------------------------------------------------------------------------------
// Discord

type Callback = { type: number; data?: { content?: string; embeds?: unknown[]; custom_id?: string; components?: { components: { type: number; custom_id: string; placeholder?: string; options?: { label: string; value: string }[] }[] }[] } };

const MANAGE_CHANNELS = String(1 << 4);
const member = (permissions: string) => ({ user: { id: '555555555555555555', username: 'analyst', global_name: 'Analyst', discriminator: '0', avatar: null }, roles: [], permissions, joined_at: '2020-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0 });
const command = (name: string, options: { name: string; value: string }[], permissions = '0') => ({
  type: 2, data: { id: '1', name, type: 1, options: options.map((o) => ({ type: 3, ...o })) }, member: member(permissions),
});
const ephemeralMessage = { id: '777777777777777777', channel_id: CHANNEL_ID, type: 0, content: '', embeds: [], components: [], attachments: [], mentions: [], mention_roles: [], pinned: false, mention_everyone: false, tts: false, timestamp: '2026-01-01T00:00:00.000Z', edited_timestamp: null, flags: 64, author: { id: '222222222222222222', username: 'breachdesk', discriminator: '0', bot: true, avatar: null } };
const button = (customId: string) => ({ type: 3, data: { custom_id: customId, component_type: 2 }, message: ephemeralMessage });
const select = (customId: string, value: string) => ({ type: 3, data: { custom_id: customId, component_type: 3, values: [value] }, message: ephemeralMessage });
const modalSubmit = (customId: string, fields: Record<string, string | string[]>, fromMessage: boolean) => ({
  type: 5,
  data: { custom_id: customId, components: Object.entries(fields).map(([id, v], n) => ({ type: 18, id: n + 1, component: Array.isArray(v) ? { type: id === 'impact' ? 22 : 3, id: n + 10, custom_id: id, values: v } : { type: 4, id: n + 10, custom_id: id, value: v } })) },
  ...(fromMessage ? { message: ephemeralMessage } : {}),
});

describe.each(backends)('the same-incident question on Discord, through the real discord.js Client (%s)', (backend) => {
  let fake: FakeDiscord;
  let chat: Harness;
  let surface: DiscordSurface;
  const callback = (id: string) => eventually(() => fake.callbacks(id)[0] as Callback | undefined, `the callback of interaction ${id}`);

  beforeAll(async () => {
    fake = await new FakeDiscord().start();
    chat = await chatHarness(backend);
    surface = createDiscordSurface({ dispatcher: chat.dispatcher, log: chat.services.log, token: 'fake-discord-bot-token-0123456789', apiUrl: fake.apiUrl, drafts: databaseDrafts(chat.ledger.db) });
    chat.alerts.register('discord', discordAlertSender({ token: 'fake-discord-bot-token-0123456789', apiUrl: fake.apiUrl }));
    await chat.alerts.start();
    await surface.start();
    const on = await callback(fake.interact(command('incident-alerts', [{ name: 'action', value: 'on' }], MANAGE_CHANNELS)));
    expect(flat(on.data)).toMatch(/Repeat-breach alerts are on/);
  });
  afterAll(async () => {
    await surface?.stop();
    await fake?.close();
    await chat?.close();
  });

  it('GIVEN another article on Odessa’s 2020 Click2Gov breach filled in across the modal pages THEN Record asks with a “Same incident?” select of both choices; choosing Same incident adds the report to INC-2020-0001 with its source, and no alert', async () => {
    const source = 'https://example.org/news/odessa-click2gov-discord-story';
    const incidentsBefore = await odessaIncidents(chat);
    const deliveriesBefore = await deliveries(chat);
    expect(incidentsBefore).toBe(2);

    const opened = await callback(fake.interact(command('incident', [{ name: 'query', value: 'report City of Odessa' }])));
    expect(opened.type).toBe(9);
    const draft = /^bd-form:([^:]+):modal:0$/.exec(opened.data!.custom_id!)![1]!;
    const pages: Record<string, string | string[]>[] = [
      { victim: 'City of Odessa', startDate: '2020-04', summary: SUMMARY, vendor: 'Click2Gov', impact: ['confidentiality'] },
      { country: 'US', region: 'TX', city: 'Odessa', endDate: '2020-06', disclosedDate: '' },
      { title: '', description: '', motives: ['financial'], techniques: '', sources: source },
    ];
    for (const [n, fields] of pages.entries()) {
      const step = await callback(fake.interact(modalSubmit(`bd-form:${draft}:modal:${n}`, fields, n > 0)));
      expect(step.data?.content).toMatch(new RegExp(`page ${n + 1} of 4 done`));
      expect(step.data?.content).not.toMatch(/Please fix/);
    }

    const asked = await callback(fake.interact(button(`bd-form:${draft}:record`)));
    expect(asked.type).toBe(7);
    expect(asked.data?.content).toMatch(QUESTION);
    const menu = asked.data?.components?.[0]?.components[0];
    expect(menu).toMatchObject({ type: 3, custom_id: `bd-form:${draft}:answer`, placeholder: 'Same incident?' });
    expect(menu?.options?.map((o) => ({ value: o.value, label: o.label }))).toEqual([SAME, DIFFERENT]);
    expect(await odessaIncidents(chat)).toBe(incidentsBefore);
    expect(await deliveries(chat)).toEqual(deliveriesBefore);

    const done = await callback(fake.interact(select(menu!.custom_id, 'INC-2020-0001')));
    expect(done.type).toBe(7);
    expect(flat(done.data)).toMatch(/Added your report to INC-2020-0001/);
    expect(flat(done.data)).not.toMatch(/Recorded INC-/);

    expect(await sourcesOf2020(chat)).toContain(source);
    expect(await odessaIncidents(chat)).toBe(incidentsBefore);
    expect(await odessaRepeats(chat)).toEqual(['INC-2019-0001', 'INC-2020-0001']);
    expect(await deliveries(chat)).toEqual(deliveriesBefore);
    expect(fake.channelMessages(CHANNEL_ID)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The terminal shell

describe.each(backends)('the same-incident question in the terminal shell, through the real shell adapter (%s)', (backend) => {
  let chat: Harness;
  beforeAll(async () => (chat = await chatHarness(backend)));
  afterAll(async () => chat?.close());

  /** Runs the shell over piped lines, as `breachdesk start` does with standard input; returns what it printed. */
  async function typeIntoShell(lines: string[]): Promise<string> {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (d: Buffer) => (printed += d.toString()));
    const shell = createShell({ dispatcher: chat.dispatcher, input, output, color: false, banner: 'breachdesk test shell', user: 'analyst' });
    input.end(`${lines.join('\n')}\n`);
    await shell.run();
    return printed;
  }

  it('GIVEN another article on Odessa’s 2020 Click2Gov breach typed at the report form THEN the shell asks “Is this INC-2020-0001 …?” with numbered choices; choosing 1 adds the report to INC-2020-0001 with its source, and no alert', async () => {
    const source = 'https://example.org/news/odessa-click2gov-terminal-story';
    const subscribed = await typeIntoShell(['/incident alerts on']);
    expect(subscribed).toMatch(/Repeat-breach alerts are on/);
    const incidentsBefore = await odessaIncidents(chat);
    const deliveriesBefore = await deliveries(chat);
    expect(incidentsBefore).toBe(2);

    const printed = await typeIntoShell([
      '/incident report City of Odessa',
      '', '', '', '',                 // victim, country, region, city: the prefilled City of Odessa, Odessa, TX, US
      '2020-04', '2020-06', '', '',   // started, ended, discovered, disclosed
      '',                             // title
      SUMMARY,
      '',                             // description
      'Click2Gov',
      '1',                            // impact: confidentiality
      'financial',                    // motives
      '',                             // techniques
      '', '',                         // threat actors, records
      source,
      '',                             // TLP marking: the default
      'y',
      '1',                            // Same incident — add my report to INC-2020-0001
    ]);
    // Piped input shows no prompts: the summary, the question and its choices, then the answer's reply.
    expect(printed).toMatch(/About to record:[\s\S]*Started: 2020-04\n {2}Ended: 2020-06\n/);
    const [beforeAnswer = '', afterAnswer = ''] = printed.split(`  2) ${DIFFERENT.label}\n`);
    expect(beforeAnswer).toMatch(new RegExp(`${QUESTION.source.slice(1)}\\n {2}1\\) ${SAME.label}\\n$`));
    expect(afterAnswer).toMatch(/Added your report to INC-2020-0001/);
    expect(printed).not.toMatch(/Recorded INC-|Not recorded/);

    expect(await sourcesOf2020(chat)).toContain(source);
    expect(await odessaIncidents(chat)).toBe(incidentsBefore);
    expect(await odessaRepeats(chat)).toEqual(['INC-2019-0001', 'INC-2020-0001']);
    expect(await deliveries(chat)).toEqual(deliveriesBefore);
  });
});
