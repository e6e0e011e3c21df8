import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackSurface } from '../../src/adapters/slack/slack-surface.js';
import type { SlackSurface } from '../../src/adapters/slack/slack-surface.js';
import { REFUSALS } from '../../src/trust/permissions.js';
import { FakeSlack } from '../fakes/fake-slack.js';
import { chatHarness } from '../support/chat.js';
import { SIGNING_SECRET, eventually, slashCommand } from '../support/slack-requests.js';

// SLACK_REPORTERS names a user group: Slack sends no membership with a request, so the
// surface asks usergroups.users.list (once, then from its cache).
describe('Slack user groups in the permission lists, through the real Bolt app', () => {
  let fake: FakeSlack;
  let chat: Awaited<ReturnType<typeof chatHarness>>;
  let surface: SlackSurface;
  let base: string;
  let n = 0;

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    fake.userGroups.set('SSOC', ['U-BEA']);
    chat = await chatHarness('pglite', { trust: { reporters: { slack: ['SSOC', 'SGONE'], discord: null }, admins: { slack: null, discord: null } } });
    surface = createSlackSurface({
      dispatcher: chat.dispatcher, log: chat.services.log, botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl, port: 0, userGroups: ['SSOC', 'SGONE'],
    });
    const server = (await surface.start()) as Server;
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await surface.stop();
    await fake.close();
    await chat.close();
  });

  const reportAs = async (user: string) => {
    const url = fake.responseUrl(`g${++n}`);
    const opened = fake.callsTo('views.open').length;
    expect((await slashCommand(base, 'report', { responseUrl: url, user, triggerId: `t-${n}` })).status).toBe(200);
    return eventually(() => (fake.callsTo('views.open').length > opened ? 'form' : fake.responses.find((r) => url.endsWith(r.id))?.body.text as string | undefined), `an answer to ${user}`);
  };

  it('GIVEN a member of a listed user group THEN the report form opens; GIVEN someone outside it THEN the refusal, naming no one', async () => {
    expect(await reportAs('U-BEA')).toBe('form');
    expect(await reportAs('U-CARL')).toBe(REFUSALS.report);
    // One lookup per group, then the cache; a group Slack does not know counts as empty.
    expect(fake.callsTo('usergroups.users.list').map((c) => c.args.usergroup).sort()).toEqual(['SGONE', 'SSOC']);
    expect(chat.logged.join('\n')).not.toContain('xoxb-test-token');
  });
});
