import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackSurface } from '../../src/adapters/slack/slack-surface.js';
import type { SlackSurface } from '../../src/adapters/slack/slack-surface.js';
import type { TrustPolicy } from '../../src/trust/permissions.js';
import { FakeSlack } from '../fakes/fake-slack.js';
import { chatHarness } from '../support/chat.js';
import { backends } from '../support/databases.js';
import { SIGNING_SECRET, eventually, interaction, postToSlackEndpoint, reportModalState } from '../support/slack-requests.js';

// An app installed org-wide on Enterprise Grid: interactions come with "team": null and
// the enterprise, and the person's workspace only as user.team_id (Slack's own sample
// view_submission of a Grid org has view.team_id "E…", the enterprise's id).
const ENTERPRISE = { id: 'E-GRID', name: 'Grid Holdings' };
const policy: TrustPolicy = { reporters: { slack: null, discord: null }, admins: { slack: ['U-ADMIN'], discord: null } };

function orgSubmission(viewId: string, user: { id: string; team_id?: string }, state: ReturnType<typeof reportModalState>, viewTeam: 'enterprise' | 'absent') {
  return {
    type: 'view_submission', team: null, enterprise: ENTERPRISE, is_enterprise_install: true,
    user: { username: user.id.toLowerCase(), name: user.id.toLowerCase(), ...user },
    api_app_id: 'A1', token: 'x', trigger_id: '1.2.3',
    view: {
      id: viewId, ...(viewTeam === 'enterprise' ? { team_id: ENTERPRISE.id, app_installed_team_id: ENTERPRISE.id } : {}),
      type: 'modal', callback_id: 'report', private_metadata: JSON.stringify({ c: 'C-NORTH' }), state, hash: 'h', blocks: [],
      title: { type: 'plain_text', text: 'Report an incident' },
    },
    response_urls: [],
  };
}

/** An AMBER report of a new victim, as the modal submits it. */
function amberReport(victim: string) {
  const state = reportModalState({ victim: `new:${victim}`, startDate: '2024-05-06', summary: 'Ransomware encrypted the dispatch servers.' });
  state.values.tlp = { tlp: { type: 'static_select', selected_option: { value: 'amber' } } };
  return state;
}

describe.each(backends)('an org-wide Slack install (Enterprise Grid) through the real Bolt app, on %s', (backend) => {
  let fake: FakeSlack;
  let chat: Awaited<ReturnType<typeof chatHarness>>;
  let surface: SlackSurface;
  let base: string;
  let answers = 0;

  /** `/incident <text>` typed by `user` in workspace `team` of the org; what the bot answered, as text. */
  async function lookup(text: string, user: string, team: string): Promise<string> {
    const id = `org-${backend}-${++answers}`;
    const body = new URLSearchParams({
      token: 'x', team_id: team, team_domain: team.toLowerCase(), enterprise_id: ENTERPRISE.id, enterprise_name: ENTERPRISE.name, is_enterprise_install: 'true',
      channel_id: `C-${team}`, channel_name: 'soc', user_id: user, user_name: user.toLowerCase(), command: '/incident', text, api_app_id: 'A1',
      response_url: fake.responseUrl(id), trigger_id: '1.2.3',
    }).toString();
    expect((await postToSlackEndpoint(base, body, 'application/x-www-form-urlencoded')).status).toBe(200);
    return JSON.stringify((await eventually(() => fake.responses.find((r) => r.id === id), `the answer to ${user}`)).body);
  }

  async function submitted(payload: ReturnType<typeof orgSubmission>, victim: string) {
    const response = await interaction(base, payload);
    expect(response.status).toBe(200);
    expect(response.text).toBe('');
    await eventually(() => [...fake.callsTo('chat.postEphemeral'), ...fake.callsTo('chat.postMessage')].find((c) => JSON.stringify(c.args).includes(victim)), 'the confirmation');
    return chat.database.db.selectFrom('incidents').innerJoin('victims', 'victims.id', 'incidents.victim_id')
      .select(['incidents.reported_workspace', 'incidents.reported_by_id', 'incidents.tlp']).where('victims.name', '=', victim).executeTakeFirstOrThrow();
  }

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    chat = await chatHarness(backend, { trust: policy });
    surface = createSlackSurface({ dispatcher: chat.dispatcher, log: chat.services.log, botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl, port: 0 });
    const server = (await surface.start()) as Server;
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await surface.stop();
    await fake.close();
    await chat.close();
  });

  it('GIVEN an AMBER report from workspace T-NORTH, as Slack sends it for an org install THEN it is T-NORTH\'s: a colleague there reads it, a reporter of T-SOUTH does not', async () => {
    const victim = 'Quillfeather Freight Cooperative';
    const stored = await submitted(orgSubmission('V-ORG-1', { id: 'U-NORTH', team_id: 'T-NORTH' }, amberReport(victim), 'enterprise'), victim);
    expect(stored).toEqual({ reported_workspace: 'T-NORTH', reported_by_id: 'U-NORTH', tlp: 'amber' });
    expect(await lookup('quillfeather', 'U-COLLEAGUE', 'T-NORTH')).toContain(victim);
    expect(await lookup('quillfeather', 'U-SOUTH', 'T-SOUTH')).not.toContain(victim);
  });

  it('GIVEN the same without view.team_id (as the attack run sent it) THEN still T-NORTH\'s, and T-SOUTH cannot read it', async () => {
    const victim = 'Marrowgate Ferry Authority';
    const stored = await submitted(orgSubmission('V-ORG-2', { id: 'U-NORTH', team_id: 'T-NORTH' }, amberReport(victim), 'absent'), victim);
    expect(stored.reported_workspace).toBe('T-NORTH');
    expect(await lookup('marrowgate', 'U-SOUTH', 'T-SOUTH')).not.toContain(victim);
    expect(await lookup('marrowgate', 'U-COLLEAGUE', 'T-NORTH')).toContain(victim);
  });

  it('GIVEN a button pressed in an org install (team null) THEN it runs in the person\'s workspace and shows that workspace\'s AMBER', async () => {
    const url = fake.responseUrl(`org-button-${backend}`);
    await interaction(base, {
      type: 'block_actions', team: null, enterprise: ENTERPRISE, is_enterprise_install: true, user: { id: 'U-COLLEAGUE', username: 'colleague', name: 'colleague', team_id: 'T-NORTH' },
      api_app_id: 'A1', token: 'x', trigger_id: '9.9.9', response_url: url, channel: { id: 'C-NORTH', name: 'soc' },
      container: { type: 'message', channel_id: 'C-NORTH', is_ephemeral: true },
      actions: [{ type: 'button', action_id: 'bd_0', block_id: 'b', value: 'quillfeather', text: { type: 'plain_text', text: 'Look up' }, action_ts: '1' }],
    });
    const { body } = await eventually(() => fake.responses.find((r) => url.endsWith(r.id)), 'the button\'s answer');
    expect(JSON.stringify(body)).toContain('Quillfeather Freight Cooperative');
  });

  it('GIVEN an org-install report that names no workspace at all THEN it is stored with none, and only its reporter and an admin see the AMBER incident', async () => {
    const victim = 'Saltmarsh Grain Exchange';
    const stored = await submitted(orgSubmission('V-ORG-3', { id: 'U-NOWHERE' }, amberReport(victim), 'enterprise'), victim);
    expect(stored.reported_workspace).toBeNull();
    expect(await lookup('saltmarsh', 'U-SOUTH', 'T-SOUTH')).not.toContain(victim);
    expect(await lookup('saltmarsh', 'U-COLLEAGUE', 'T-NORTH')).not.toContain(victim);
    expect(await lookup('saltmarsh', 'U-NOWHERE', 'T-NORTH')).toContain(victim);
    expect(await lookup('saltmarsh', 'U-ADMIN', 'T-SOUTH')).toContain(victim);
  });
});
