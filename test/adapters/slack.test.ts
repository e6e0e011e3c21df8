import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackSurface } from '../../src/adapters/slack/slack-surface.js';
import type { SlackSurface } from '../../src/adapters/slack/slack-surface.js';
import { slackAlertSender } from '../../src/adapters/slack/slack-alerts.js';
import { FakeSlack } from '../fakes/fake-slack.js';
import { chatHarness } from '../support/chat.js';
import { SIGNING_SECRET, eventually, interaction, reportModalState, reportSubmission, slashCommand } from '../support/slack-requests.js';

type Blocks = { type: string; text?: { text: string }; elements?: { text?: { text: string } | string; value?: string; action_id?: string }[]; fields?: { text: string }[] }[];
const flat = (blocks: unknown) => JSON.stringify(blocks);

function mrkdwnTexts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(mrkdwnTexts);
  if (!node || typeof node !== 'object') return [];
  const o = node as Record<string, unknown>;
  return [...(o.type === 'mrkdwn' && typeof o.text === 'string' ? [o.text] : []), ...Object.values(o).flatMap(mrkdwnTexts)];
}

const user = { id: 'U-ANALYST', username: 'analyst', name: 'analyst', team_id: 'T1' };

const newOdessaIncident = {
  victim: '#1', startDate: '2020-09-15', summary: 'Card data skimmed from the Click2Gov portal again.', vendor: 'Click2Gov',
  impact: ['confidentiality'], motives: ['financial'], techniques: ['T1190'], sources: 'https://example.org/odessa-again',
};

describe('Slack through the real Bolt app over HTTP, against a fake Slack', () => {
  let fake: FakeSlack;
  let chat: Awaited<ReturnType<typeof chatHarness>>;
  let surface: SlackSurface;
  let base: string;
  let responses = 0;
  const nextResponseUrl = () => fake.responseUrl(`r${++responses}`);

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    chat = await chatHarness('pglite');
    surface = createSlackSurface({ dispatcher: chat.dispatcher, log: chat.services.log, botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl, port: 0 });
    chat.alerts.register('slack', slackAlertSender({ botToken: 'xoxb-test-token', apiUrl: fake.apiUrl }));
    await chat.alerts.start();
    const server = (await surface.start()) as Server;
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await surface.stop();
    await fake.close();
    await chat.close();
  });

  it('GIVEN /incident odessa THEN an empty ack, then a private Block Kit answer with incidents, source links, buttons and Share in channel', async () => {
    const url = nextResponseUrl();
    const ack = await slashCommand(base, 'odessa', { responseUrl: url });
    expect(ack.status).toBe(200);
    expect(ack.text).toBe('');
    const { body } = await eventually(() => fake.responses.find((r) => url.endsWith(r.id)), 'the response_url post');
    expect(body.response_type).toBe('ephemeral');
    const blocks = body.blocks as Blocks;
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: 'Results for “odessa”' } });
    const text = flat(blocks);
    expect(text).toContain('*City of Odessa*  city · Odessa, TX, US · 2 incidents');
    // The verdict on the victim right after its name, before the incidents.
    const odessa = blocks.findIndex((b) => JSON.stringify(b).includes('*City of Odessa*'));
    expect(JSON.stringify(blocks[odessa + 1])).toContain(':warning: *Repeat victim — 2 incidents within 365 days (INC-2019-0001 → INC-2020-0001, 7 months apart), both through Click2Gov*');
    expect(text).toMatch(/\*INC-2020-0001\* · 2020-04 – 2020-06 · Click2Gov/);
    expect(text).toContain('<https://www.oaoa.com/news/government/city_of_odessa/article_26ca034a-1d36-11ea-aee8-0b737bb62a26.html|source 1>');
    const buttons = blocks.flatMap((b) => (b.type === 'actions' ? b.elements ?? [] : []));
    expect(buttons.map((b) => (b.text as { text: string }).text)).toEqual(expect.arrayContaining(['Report another incident for this victim', 'Share in channel']));
    expect(String(body.text)).toMatch(/City of Odessa/);
    // The timeline: uploaded as Slack asks (URL, bytes, complete, processed), then an image block naming the file.
    const [asked] = fake.callsTo('files.getUploadURLExternal');
    expect(asked?.args).toMatchObject({ filename: 'timeline.png', alt_txt: expect.stringMatching(/^Timeline of City of Odessa: 2 incidents/) as unknown });
    const fileId = [...fake.completed][0]!;
    expect(Number(asked?.args.length)).toBe(fake.uploads.get(fileId)?.length);
    expect(fake.uploads.get(fileId)!.subarray(1, 4).toString()).toBe('PNG');
    expect(fake.callsTo('files.completeUploadExternal')[0]?.args.files).toEqual([{ id: fileId, title: 'Timeline of City of Odessa' }]);
    expect(fake.callsTo('files.info').length).toBeGreaterThan(0);
    expect(blocks[odessa + 2]).toMatchObject({ type: 'image', slack_file: { id: fileId }, alt_text: expect.stringContaining('INC-2019-0001 → INC-2020-0001, both through Click2Gov') as unknown });
  });

  it('GIVEN the app may not upload files (no files:write) THEN the timeline is a line of text in a context block', async () => {
    // A surface of its own: the first one remembers Odessa's picture and would upload nothing.
    const unscoped = createSlackSurface({ dispatcher: chat.dispatcher, log: chat.services.log, botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl, port: 0 });
    const server = (await unscoped.start()) as Server;
    try {
      fake.script('files.getUploadURLExternal', [{ error: 'missing_scope' }]);
      const url = nextResponseUrl();
      await slashCommand(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 'odessa', { responseUrl: url });
      const { body } = await eventually(() => fake.responses.find((r) => url.endsWith(r.id)), 'the response_url post');
      const blocks = body.blocks as Blocks;
      const odessa = blocks.findIndex((b) => JSON.stringify(b).includes('*City of Odessa*'));
      expect(blocks[odessa + 2]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '2019 ▮━━━━━━━ 2020 ▯', verbatim: true }] });
      expect(flat(blocks)).not.toContain('slack_file');
    } finally {
      await unscoped.stop();
    }
  });

  it('GIVEN three people looking up one victim at once THEN its timeline is uploaded once and all three answers show that file', async () => {
    // A surface of its own (the first remembers Odessa's picture), and an upload slow enough that all three lookups meet it under way.
    const fresh = createSlackSurface({ dispatcher: chat.dispatcher, log: chat.services.log, botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl, port: 0 });
    const server = (await fresh.start()) as Server;
    fake.slow.set('files.completeUploadExternal', 400);
    try {
      const uploadsBefore = fake.callsTo('files.getUploadURLExternal').length;
      const urls = [nextResponseUrl(), nextResponseUrl(), nextResponseUrl()];
      await Promise.all(urls.map((url) => slashCommand(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 'odessa', { responseUrl: url })));
      const answers = await Promise.all(urls.map((url) => eventually(() => fake.responses.find((r) => url.endsWith(r.id)), 'the response_url post')));
      expect(fake.callsTo('files.getUploadURLExternal').length - uploadsBefore).toBe(1);
      const shown = answers.map(({ body }) => (body.blocks as { type: string; slack_file?: { id: string } }[]).find((b) => b.type === 'image')?.slack_file?.id);
      expect(shown[0]).toMatch(/^F\d+$/);
      expect(shown).toEqual([shown[0], shown[0], shown[0]]);
    } finally {
      fake.slow.delete('files.completeUploadExternal');
      await fresh.stop();
    }
  });

  it('GIVEN a forged signature or a stale timestamp THEN 401 and nothing happens', async () => {
    const before = fake.responses.length;
    const forged = await slashCommand(base, 'odessa', { responseUrl: nextResponseUrl() }, { secret: 'not-the-secret-at-all-000000' });
    const stale = await slashCommand(base, 'odessa', { responseUrl: nextResponseUrl() }, { timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect([forged.status, stale.status]).toEqual([401, 401]);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.responses.length).toBe(before);
  });

  it('GIVEN Share in channel pressed THEN the answer is posted for everyone', async () => {
    const url = nextResponseUrl();
    await interaction(base, {
      type: 'block_actions', team: { id: 'T1' }, user, api_app_id: 'A1', token: 'x', trigger_id: '9.9.9', response_url: url,
      channel: { id: 'C-SOC', name: 'soc' }, container: { type: 'message', channel_id: 'C-SOC', is_ephemeral: true },
      actions: [{ type: 'button', action_id: 'bd_share', block_id: 'b', value: 'odessa', text: { type: 'plain_text', text: 'Share in channel' }, action_ts: '1' }],
    });
    const { body } = await eventually(() => fake.responses.find((r) => url.endsWith(r.id)), 'the shared post');
    expect(body.response_type).toBe('in_channel');
    expect(flat(body.blocks)).toMatch(/City of Odessa[\s\S]*Shared by analyst/);
  });

  it('GIVEN Next page pressed THEN the page is replaced with the next', async () => {
    const first = nextResponseUrl();
    await slashCommand(base, 'click2gov', { responseUrl: first });
    const page1 = await eventually(() => fake.responses.find((r) => first.endsWith(r.id)), 'page 1');
    const next = (page1.body.blocks as Blocks).flatMap((b) => b.elements ?? []).find((e) => (e.text as { text?: string } | undefined)?.text === 'Next page');
    expect(next?.value).toMatch(/^more \S+ click2gov$/);
    const url = nextResponseUrl();
    await interaction(base, {
      type: 'block_actions', team: { id: 'T1' }, user, api_app_id: 'A1', token: 'x', trigger_id: '9.9.9', response_url: url,
      channel: { id: 'C-SOC', name: 'soc' }, container: { type: 'message', channel_id: 'C-SOC', is_ephemeral: true },
      actions: [{ type: 'button', action_id: next!.action_id, block_id: 'b', value: next!.value, text: { type: 'plain_text', text: 'Next page' }, action_ts: '1' }],
    });
    const page2 = await eventually(() => fake.responses.find((r) => url.endsWith(r.id)), 'page 2');
    expect(page2.body.replace_original).toBe(true);
    expect(flat(page2.body.blocks)).not.toBe(flat(page1.body.blocks));
  });

  it('GIVEN /incident report THEN views.open with the trigger id and every field of the form', async () => {
    await slashCommand(base, 'report', { responseUrl: nextResponseUrl(), triggerId: 'trigger-report-1' });
    const call = await eventually(() => fake.callsTo('views.open').find((c) => c.args.trigger_id === 'trigger-report-1'), 'views.open');
    const view = call.args.view as { callback_id: string; blocks: { block_id: string; element?: { type: string } }[] };
    expect(view.callback_id).toBe('report');
    const elements = Object.fromEntries(view.blocks.filter((b) => b.element).map((b) => [b.block_id, b.element!.type]));
    expect(elements).toMatchObject({
      victim: 'external_select', country: 'plain_text_input', region: 'plain_text_input', city: 'plain_text_input',
      startDate: 'datepicker', datePrecision: 'static_select', endDate: 'datepicker', discoveredDate: 'datepicker', disclosedDate: 'datepicker',
      summary: 'plain_text_input', description: 'plain_text_input', vendor: 'plain_text_input', impact: 'checkboxes',
      motives: 'multi_static_select', techniques: 'multi_external_select', threatActors: 'plain_text_input', sources: 'plain_text_input',
    });
  });

  it('GIVEN "Report as incident" on a message THEN the report form opens with the message as summary and its permalink and links as sources', async () => {
    await interaction(base, {
      type: 'message_action', callback_id: 'bd_report_message', trigger_id: 'trigger-shortcut-1', response_url: nextResponseUrl(), team: { id: 'T1' }, user, api_app_id: 'A1', token: 'x',
      channel: { id: 'C-NEWS', name: 'news' }, message_ts: '1700000100.000200', action_ts: '1',
      message: { type: 'message', user: 'U-OTHER', ts: '1700000100.000200', text: 'Odessa&#39;s payment portal was hit again: <https://news.example.org/odessa-click2gov|Odessa American> &amp; <https://www.oaoa.com/x>.' },
    });
    const call = await eventually(() => fake.callsTo('views.open').find((c) => c.args.trigger_id === 'trigger-shortcut-1'), 'views.open');
    const view = call.args.view as { callback_id: string; blocks: { block_id: string; element?: { initial_value?: string } }[] };
    expect(view.callback_id).toBe('report');
    const initial = (id: string) => view.blocks.find((b) => b.block_id === id)?.element?.initial_value;
    expect(initial('summary')).toBe("Odessa&#39;s payment portal was hit again: Odessa American (https://news.example.org/odessa-click2gov) & https://www.oaoa.com/x.");
    expect(initial('sources')?.split('\n')).toEqual(['https://breachdesk-test.slack.com/archives/C-NEWS/p1700000100000200', 'https://news.example.org/odessa-click2gov', 'https://www.oaoa.com/x']);
  });

  it('GIVEN typing in the victim and technique selects THEN options from the ledger, a "new victim" choice, and ATT&CK techniques', async () => {
    const victims = await interaction(base, { type: 'block_suggestion', action_id: 'victim', block_id: 'victim', value: 'odes', team: { id: 'T1' }, user, api_app_id: 'A1', token: 'x', container: { type: 'view', view_id: 'V1' }, view: { id: 'V1', callback_id: 'report' } });
    expect(victims.status).toBe(200);
    const options = (victims.json().options as { text: { text: string }; value: string }[]);
    expect(options).toContainEqual({ text: { type: 'plain_text', text: 'City of Odessa (Odessa, TX, US)', emoji: true }, value: '#1' });
    expect(options.at(-1)?.value).toBe('new:odes');
    const techniques = await interaction(base, { type: 'block_suggestion', action_id: 'techniques', block_id: 'techniques', value: 'T119', team: { id: 'T1' }, user, api_app_id: 'A1', token: 'x', container: { type: 'view', view_id: 'V1' }, view: { id: 'V1', callback_id: 'report' } });
    expect((techniques.json().options as { value: string }[]).map((o) => o.value)).toContain('T1190');
  });

  it('GIVEN a submission with errors THEN they come back inline on the fields, and nothing is stored', async () => {
    const response = await interaction(base, reportSubmission('V-bad', reportModalState({ ...newOdessaIncident, startDate: '2999-01-01', sources: 'ftp://nope', summary: null })));
    const { response_action, errors } = response.json() as { response_action: string; errors: Record<string, string> };
    expect(response_action).toBe('errors');
    expect(Object.keys(errors).sort()).toEqual(['sources', 'startDate', 'summary']);
    expect(errors.startDate).toMatch(/future/);
    expect(errors.sources).toMatch(/http\(s\)/);
    expect(errors.summary).toBe('Summary is required.');
    expect((await chat.ledger.search('odessa')).hits[0]?.totalIncidents).toBe(2);
  });

  it('GIVEN a near-match victim THEN the modal is updated with the question and the values kept; the answer records it and the subscribed channel gets one alert', async () => {
    await slashCommand(base, 'alerts on', { responseUrl: nextResponseUrl(), channel: 'C-ALERTS' });
    await eventually(() => fake.responses.find((r) => flat(r.body).includes('Repeat-breach alerts are on')), 'alerts on');

    const asked = await interaction(base, reportSubmission('V-near', reportModalState({ ...newOdessaIncident, victim: 'new:Odessa' })));
    const update = asked.json() as { response_action: string; view: { blocks: { block_id?: string; element?: { type: string; initial_value?: string; options?: { value: string }[] }; text?: { text: string } }[] } };
    expect(update.response_action).toBe('update');
    expect(flat(update.view.blocks)).toContain('Did you mean City of Odessa (Odessa, TX, US)?');
    const choice = update.view.blocks.find((b) => b.block_id === 'victimChoice');
    expect(choice?.element?.options?.map((o) => o.value)).toEqual(['#1', 'new']);
    expect(update.view.blocks.find((b) => b.block_id === 'summary')?.element?.initial_value).toBe(newOdessaIncident.summary);

    const done = await interaction(base, reportSubmission('V-near', reportModalState({ ...newOdessaIncident, victim: 'new:Odessa', victimChoice: '#1' })));
    expect(done.status).toBe(200);
    expect(done.text).toBe('');
    const confirmation = await eventually(() => fake.callsTo('chat.postEphemeral').find((c) => flat(c.args).includes('Recorded INC-2020')), 'the confirmation');
    expect(confirmation.args).toMatchObject({ channel: 'C-SOC', user: 'U-ANALYST' });
    const alert = await eventually(() => fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'C-ALERTS'), 'the alert');
    expect(String(alert.args.text)).toMatch(/^Repeat breach: City of Odessa — 2nd incident within 365 days/);
    expect(flat(alert.args.blocks)).toMatch(/"type":"image","slack_file":\{"id":"F\d+"\}/);
    expect(flat(alert.args.blocks)).toMatch(/INC-2020-0001 · 2020-04 – 2020-06[\s\S]*Click2Gov — also in INC-2020-0001/);
  });

  it('GIVEN the same view submission delivered twice THEN one incident and one alert', async () => {
    const alertsBefore = fake.callsTo('chat.postMessage').length;
    const before = (await chat.ledger.search('City of Odessa')).hits[0]!.totalIncidents;
    const state = reportModalState({ ...newOdessaIncident, startDate: '2020-11-02' });
    await interaction(base, reportSubmission('V-twice', state));
    await interaction(base, reportSubmission('V-twice', state));
    await eventually(() => fake.callsTo('chat.postEphemeral').filter((c) => flat(c.args).includes('2020-11-02')).length === 2, 'both confirmations');
    expect((await chat.ledger.search('City of Odessa')).hits[0]!.totalIncidents).toBe(before + 1);
    // The alert uploads its timeline first, so it may come after the confirmations: wait for it, then for a second that must not come.
    await eventually(() => fake.callsTo('chat.postMessage').length > alertsBefore, 'the alert');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(fake.callsTo('chat.postMessage').length - alertsBefore).toBe(1);
  });

  it('GIVEN a victim named like a broadcast THEN the alert text is escaped and pings nobody', async () => {
    await interaction(base, reportSubmission('V-evil', reportModalState({ ...newOdessaIncident, victim: 'new:<!channel> & <@U123> Corp', startDate: '2021-02-02', vendor: '<!here>' })));
    // A second, different breach of the same victim (another story, another source): a repeat.
    await interaction(base, reportSubmission('V-evil-2', reportModalState({ ...newOdessaIncident, victim: 'new:<!channel> & <@U123> Corp', startDate: '2021-03-03', vendor: '<!here>',
      summary: 'Ransomware encrypted the billing servers.', sources: 'https://example.org/evil-ransomware' })));
    const alert = await eventually(() => fake.callsTo('chat.postMessage').find((c) => flat(c.args.blocks).includes('&lt;!channel&gt;')), 'the escaped alert');
    // Everything Slack parses as mrkdwn: the fallback text and every mrkdwn object.
    // (plain_text objects, such as the header, are never parsed for mentions.)
    const parsed = [String(alert.args.text), ...mrkdwnTexts(alert.args.blocks)].join('\n');
    expect(parsed).toContain('&lt;!channel&gt; &amp; &lt;@U123&gt; Corp');
    expect(parsed).not.toMatch(/<!channel>|<!here>|<@U123>/);
  });

  it('GIVEN the reporter’s channel does not have the bot THEN the confirmation comes as a direct message', async () => {
    fake.notInChannel.add('C-PRIVATE');
    await interaction(base, reportSubmission('V-dm', reportModalState({ ...newOdessaIncident, startDate: '2016-06-06' }), JSON.stringify({ c: 'C-PRIVATE' })));
    await eventually(() => fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'U-ANALYST' && flat(c.args).includes('Recorded')), 'the direct message');
  });
});

describe('Slack in Socket Mode, against a fake Slack', () => {
  it('GIVEN an app token THEN the bot connects over a WebSocket and answers /incident odessa', async () => {
    const fake = await new FakeSlack().start();
    const chat = await chatHarness('pglite');
    const surface = createSlackSurface({ dispatcher: chat.dispatcher, log: chat.services.log, botToken: 'xoxb-test-token', appToken: 'xapp-test-token', apiUrl: fake.apiUrl, port: 0 });
    try {
      await surface.start();
      await eventually(() => fake.socketConnected, 'the socket connection');
      const ack = await fake.envelope('slash_commands', {
        token: 'x', team_id: 'T1', team_domain: 'breachdesk-test', channel_id: 'C-SOC', channel_name: 'soc', user_id: 'U-ANALYST', user_name: 'analyst',
        command: '/incident', text: 'odessa', api_app_id: 'A1', response_url: fake.responseUrl('socket-1'), trigger_id: '1.2.3',
      });
      expect(ack).toEqual({});
      const { body } = await eventually(() => fake.responses.find((r) => r.id === 'socket-1'), 'the answer');
      expect(flat(body.blocks)).toContain('City of Odessa');
      expect(fake.callsTo('apps.connections.open')).toHaveLength(1);
    } finally {
      await surface.stop();
      await fake.close();
      await chat.close();
    }
  });
});
