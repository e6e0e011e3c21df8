import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../fakes/fake-slack.js';
import { freePort } from '../support/net.js';
import { startBot } from '../support/run-cli.js';
import type { RunningBot } from '../support/run-cli.js';
import { SIGNING_SECRET, eventually, postRaw, reportModalState, reportSubmission, signedHeaders, slashCommand } from '../support/slack-requests.js';
import { botLedger } from './bot-ledger.js';
import type { LedgerCounts } from './bot-ledger.js';

const FORM = 'application/x-www-form-urlencoded';
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const payload = (json: string) => `payload=${encodeURIComponent(json)}`;
const json = (body: string) => JSON.parse(body) as Record<string, unknown>;

/** One request on a connection of its own (a huge body is answered before it is sent, and the connection closed). */
function postAlone(base: string, body: Buffer, headers: Record<string, string>): Promise<number | 'reset'> {
  return new Promise((resolve) => {
    const req = request(`${base}/slack/events`, { method: 'POST', agent: false, headers: { ...headers, connection: 'close', 'content-length': String(body.length) } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve('reset'));
    req.end(body);
  });
}

describe('a running bot, given forged, malformed, oversized and replayed Slack requests', () => {
  let fake: FakeSlack;
  let ledger: Awaited<ReturnType<typeof botLedger>>;
  let bot: RunningBot;
  let base: string;
  let before: LedgerCounts;
  let responses = 0;
  const responseUrl = () => fake.responseUrl(`h${++responses}`);
  /** A signed request; the bot answers it at once (Slack's 3 seconds), whatever it holds. */
  const signed = (body: string | Buffer, contentType = FORM, options = {}) => postRaw(base, body, signedHeaders(body.toString(), contentType, options));

  /** The bot still answers a good request, and nothing it was sent stopped it. */
  async function stillServing() {
    const id = responseUrl();
    expect((await slashCommand(base, 'odessa', { responseUrl: id })).status).toBe(200);
    await eventually(() => fake.responses.find((r) => r.id === id.split('/').pop()), 'the answer to a good request after the bad ones');
    expect(bot.child.exitCode).toBeNull();
  }

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    ledger = await botLedger();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    bot = startBot({ ...ledger.env, PORT: String(port), SLACK_BOT_TOKEN: 'xoxb-hostile-test-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, LOG_LEVEL: process.env.BOT_LOG_LEVEL ?? 'info' });
    // The ledger as it was before any request: counted while the bot starts.
    [before] = await Promise.all([ledger.before(), eventually(() => bot.output().includes('breachdesk serving Slack'), 'the bot to start', 60_000)]);
  });
  afterAll(async () => {
    if (process.env.SHOW_BOT) console.log(bot.output());
    if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
    await fake.close();
    await ledger.close();
  });

  it('GIVEN a forged signature, a stale, future or missing timestamp, or no signature THEN 401, a log line, and nothing runs', async () => {
    const body = form({ command: '/incident', text: 'report', team_id: 'T1', channel_id: 'C1', user_id: 'U1', trigger_id: 't', response_url: responseUrl() });
    const now = Math.floor(Date.now() / 1000);
    const statuses = [
      (await signed(body, FORM, { secret: 'not-the-signing-secret-at-all-000' })).status,
      (await signed(body, FORM, { timestamp: now - 301 })).status,
      // Well past five minutes ahead: the requests before this one take time on a loaded machine.
      (await signed(body, FORM, { timestamp: Math.floor(Date.now() / 1000) + 600 })).status,
      (await postRaw(base, body, { 'content-type': FORM })).status,
      (await postRaw(base, body, { 'content-type': FORM, 'x-slack-request-timestamp': 'soon', 'x-slack-signature': 'v0=00' })).status,
      (await postRaw(base, body, { ...signedHeaders(body), 'x-slack-signature': 'v1=whatever' })).status,
    ];
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401]);
    expect(bot.output()).toMatch(/more than five minutes ahead/);
    expect(bot.output()).toMatch(/Failed to parse and verify the request data/);
    expect(fake.callsTo('views.open')).toEqual([]);
    await stillServing();
  });

  it('GIVEN truncated JSON, invalid form encoding or a body that is neither THEN 400, a log line, and the bot keeps serving', async () => {
    const truncated = JSON.stringify(reportSubmission('V-TRUNC', reportModalState({ victim: 'new:Truncated', summary: 'x', startDate: '2020-01-01' }))).slice(0, 120);
    const statuses = [
      (await signed(payload(truncated))).status,
      (await signed('payload=%7B%22type%22%3A%22view_submission%E0%A4%A')).status,
      (await signed('payload=%%%%&&&==')).status,
      (await signed('{"type":"view_submission"', 'application/json')).status,
    ];
    expect(statuses).toEqual([400, 400, 400, 400]);
    expect(bot.output()).toMatch(/Malformed request body/);
    await stillServing();
  });

  it('GIVEN a 5 MB body THEN 413 before anything reads it, a log line, and the bot keeps serving', async () => {
    const huge = Buffer.from(form({ command: '/incident', text: 'x'.repeat(5 * 1024 * 1024), response_url: responseUrl() }));
    // 413 as soon as the limit is passed, and the connection closed: the sender may see the reset first.
    expect([413, 'reset']).toContain(await postAlone(base, huge, signedHeaders(huge.toString())));
    expect([413, 'reset']).toContain(await postAlone(base, huge, { 'content-type': FORM }));
    expect(bot.output()).toMatch(/exceeded the maximum allowed size/);
    // Under the limit but far beyond any command: answered, briefly.
    const id = responseUrl();
    expect((await slashCommand(base, `watch vendor ${'x'.repeat(3_000_000)}`, { responseUrl: id })).status).toBe(200);
    const answer = await eventually(() => fake.responses.find((r) => r.id === id.split('/').pop()), 'the answer to a 3 MB command');
    expect(JSON.stringify(answer.body).length).toBeLessThan(10_000);
    await stillServing();
  });

  it('GIVEN well-signed payloads of the wrong shape THEN each is refused or ignored, and the bot keeps serving', async () => {
    const who = '"team":{"id":"T1"},"user":{"id":"U1","name":"analyst","team_id":"T1"},"api_app_id":"A1"';
    const view = (id: string, rest: string) => `{"type":"view_submission",${who},"view":{"id":"${id}","team_id":"T1","type":"modal","callback_id":"report",${rest}}}`;
    const cases: [string, number, ((body: string) => void)?][] = [
      // Bolt itself refuses what it cannot route (500, "An unhandled error occurred while Bolt processed an event").
      ['{"type":"view_submission"}', 500],
      ['{"type":"block_actions","actions":"x"}', 500],
      // Ours: values of the wrong type are no values, so the form says what is missing.
      [view('V-BAD1', '"state":{"values":"x"}'), 200, (body) => expect(json(body)).toMatchObject({ response_action: 'errors' })],
      [view('V-BAD2', '"private_metadata":"{{{","state":{"values":{"summary":{"summary":{"type":"plain_text_input","value":{"$gt":""}}},"victim":{"victim":{"selected_option":[1]}}}}'), 200,
        (body) => expect(json(body)).toMatchObject({ response_action: 'errors', errors: { victim: expect.any(String) as unknown, summary: expect.any(String) as unknown } })],
      [view('V-BAD3', '"callback_id":"no-such-form","state":{"values":{}}'), 200],
      [`{"type":"block_actions",${who},"actions":[{"type":"button","action_id":"bd_0","block_id":"b","value":{"x":1}}]}`, 200],
      [`{"type":"block_suggestion",${who},"action_id":"victim","block_id":"victim","value":123}`, 200, (body) => expect(Array.isArray(json(body).options)).toBe(true)],
      [`{"type":"block_suggestion",${who},"action_id":"victim","block_id":"victim","value":"${'o'.repeat(100_000)}"}`, 200, (body) => expect(Array.isArray(json(body).options)).toBe(true)],
      // Nobody listens for these: Bolt waits 3 seconds for an acknowledgement, logs it and answers 404.
      ['{"type":"no_such_thing"}', 404], ['[]', 404], ['"text"', 404],
      // Would have ended the process (see request-guard.ts).
      ['null', 400],
    ];
    // At once, so the 3-second waits overlap.
    const answers = await Promise.all(cases.map(([shape]) => signed(payload(shape))));
    answers.forEach((answer, n) => {
      const [shape, status, check] = cases[n]!;
      expect(answer.status, shape.slice(0, 120)).toBe(status);
      check?.(answer.text);
    });
    // A slash command whose text field came twice (a list): answered as an empty command, with help.
    const id = responseUrl();
    const twice = `${form({ command: '/incident', text: 'odessa', team_id: 'T1', channel_id: 'C1', user_id: 'U1', response_url: id })}&text=again`;
    expect((await signed(twice)).status).toBe(200);
    const help = await eventually(() => fake.responses.find((r) => r.id === id.split('/').pop()), 'the answer to a command with two texts');
    expect(JSON.stringify(help.body)).toMatch(/\/incident report/);
    expect(bot.output()).toMatch(/refused a request whose body is null/);
    expect(bot.output()).toMatch(/not acknowledged within 3 seconds/);
    await stillServing();
  });

  it('GIVEN a slash command replayed with its signature within five minutes THEN it is answered again and changes nothing', async () => {
    const id = responseUrl();
    const body = form({ command: '/incident', text: 'odessa', team_id: 'T1', channel_id: 'C1', user_id: 'U1', user_name: 'analyst', trigger_id: 't', response_url: id });
    const headers = signedHeaders(body);
    expect((await postRaw(base, body, headers)).status).toBe(200);
    expect((await postRaw(base, body, headers)).status).toBe(200);
    const answers = await eventually(() => { const a = fake.responses.filter((r) => r.id === id.split('/').pop()); return a.length === 2 && a; }, 'both answers');
    expect(answers[1]!.body).toEqual(answers[0]!.body);
  });

  it('GIVEN a report modal submission replayed with its signature THEN one incident is stored', async () => {
    const body = payload(JSON.stringify(reportSubmission('V-REPLAYED', reportModalState({
      victim: 'new:Zyxwvut Replay Borough', startDate: '2020-02-03', summary: 'Recorded once, whatever is replayed.', vendor: 'Replayware',
    }))));
    const headers = signedHeaders(body);
    const first = await postRaw(base, body, headers);
    const second = await postRaw(base, body, headers);
    expect([first.status, second.status]).toEqual([200, 200]);
    await eventually(() => fake.callsTo('chat.postEphemeral').length + fake.callsTo('chat.postMessage').length >= 2, 'both confirmations');
    const confirmations = [...fake.callsTo('chat.postEphemeral'), ...fake.callsTo('chat.postMessage')].map((c) => JSON.stringify(c.args.blocks));
    const references = confirmations.flatMap((c) => c.match(/INC-2020-\d{4}/g) ?? []);
    expect(new Set(references).size).toBe(1);
  });

  it('GIVEN all of that THEN the ledger holds the one replayed report and nothing else, and the bot stops cleanly', async () => {
    await stillServing();
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    const after = await ledger.after();
    expect(after).toEqual({ ...before, incidents: before.incidents + 1, victims: before.victims + 1 });
  });
});
