import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormValues } from '../../src/chat/form.js';
import { MAX_ACTION_COMMAND } from '../../src/presentation/message.js';
import { repeatsText } from '../../src/cli-text.js';
import { backends } from '../support/databases.js';
import { chatHarness, messageOf, person, room, textOf } from '../support/chat.js';

const odessaReport: FormValues = {
  victim: 'Odessa, TX', startDate: '2020-09', summary: 'Card skimming on the Click2Gov portal again.',
  vendor: 'Click2Gov', impact: ['confidentiality'], motives: ['financial'], techniques: ['T1190'],
  sources: 'https://example.org/odessa-again\nhttps://example.org/second-source',
};

describe.each(backends)('the /incident commands through the real dispatcher on %s', (backend) => {
  let chat: Awaited<ReturnType<typeof chatHarness>>;
  beforeAll(async () => (chat = await chatHarness(backend)));
  afterAll(() => chat.close());

  describe('lookups', () => {
    it('GIVEN /incident odessa THEN a private reply with the City of Odessa and both Click2Gov incidents', async () => {
      const reply = await chat.say('/incident odessa');
      expect(reply).toMatchObject({ kind: 'message', visibility: 'private' });
      const victims = messageOf(reply).blocks.filter((b) => b.type === 'victim');
      expect(victims[0]).toMatchObject({ victim: { name: 'City of Odessa', description: 'city · Odessa, TX, US' }, totalIncidents: 2 });
      expect(victims[0]?.type === 'victim' && victims[0].incidents.map((i) => [i.period, i.vendor])).toEqual([
        ['2020-04 – 2020-06', 'Click2Gov'], ['2019-08-27 – 2019-10-14', 'Click2Gov'],
      ]);
      expect(textOf(reply)).toContain('Odesa International Airport');
    });

    it('GIVEN "odessa" typed without /incident, or as /incident search odessa THEN the same result', async () => {
      expect(textOf(await chat.say('odessa'))).toBe(textOf(await chat.say('/incident odessa')));
      expect(textOf(await chat.say('/incident search odessa'))).toBe(textOf(await chat.say('/incident odessa')));
    });

    it('GIVEN /incident click2gov THEN pages through every Click2Gov victim with Next page buttons', async () => {
      const seen = new Set<string>();
      let reply = await chat.say('/incident click2gov');
      for (let page = 0; page < 20; page++) {
        const message = messageOf(reply);
        for (const b of message.blocks) if (b.type === 'victim') seen.add(b.victim.name);
        const next = message.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : [])).find((a) => a.label === 'Next page');
        if (!next) break;
        reply = await chat.say(next.command);
      }
      const stored = await chat.ledger.db.selectFrom('incidents').innerJoin('victims', 'victims.id', 'incidents.victim_id')
        .select('victims.name').where('vendor', '=', 'Click2Gov').distinct().execute();
      expect(seen).toEqual(new Set(stored.map((r) => r.name)));
    });

    it('GIVEN a reference THEN that incident', async () => {
      expect(textOf(await chat.say('/incident INC-2020-0001'))).toMatch(/City of Odessa[\s\S]*INC-2020-0001/);
    });

    it('GIVEN "Show all" on a victim THEN every incident, page by page', async () => {
      const reply = await chat.say('/incident victim #1');
      expect(textOf(reply)).toMatch(/City of Odessa[\s\S]*INC-2020-0001[\s\S]*INC-2019-0001/);
      expect(textOf(await chat.say('/incident victim #999999'))).toMatch(/no victim #999999/);
    });

    it.each(['', '/incident', '/incident help', '   '])('GIVEN %j THEN help with examples', async (text) => {
      const help = textOf(await chat.say(text));
      for (const usage of ['/incident <query>', '/incident report [victim]', '/incident repeats [days]', '/incident alerts on|off|status', '/incident watch [victim|vendor|sector|region|actor|technique] <value>', '/incident unwatch', '/incident watchlist']) {
        expect(help).toContain(usage);
      }
      expect(help).toContain('/incident odessa');
      expect(help).not.toContain('/incident more');
    });

    it('GIVEN an unknown word THEN nothing found, with the commands listed, not an error dump', async () => {
      const text = textOf(await chat.say('/incident frobnicate'));
      expect(text).toMatch(/Nothing found for “frobnicate”/);
      expect(text).toContain('/incident report');
      expect(text).not.toMatch(/Error|at .*\.ts/);
    });

    it('GIVEN a query too long for a button THEN the Next page button is left out, never cut', async () => {
      const reply = await chat.say(`/incident ${'click2gov '.repeat(15)}`);
      const commands = messageOf(reply).blocks.flatMap((b) => (b.type === 'actions' ? b.actions.map((a) => a.command) : []));
      expect(commands.every((c) => c.length <= MAX_ACTION_COMMAND)).toBe(true);
    });

    it('GIVEN /incident repeats THEN Odessa with its two incidents among the certain, Bakersfield (2019-08 against 2018-08-11) among the possible; with 90 days, not Odessa', async () => {
      const text = textOf(await chat.say('/incident repeats'));
      expect(text).toMatch(/^Certain: repeat breaches within 365 days\nCity of Odessa[\s\S]*INC-2020-0001[\s\S]*INC-2019-0001[\s\S]*\nPossible \(partial dates\): repeat breaches within 365 days\n/);
      const possible = text.slice(text.indexOf('Possible (partial dates)'), text.indexOf('[All of'));
      expect(possible).toMatch(/City of Bakersfield/);
      expect(possible).not.toMatch(/City of Odessa/);
      // The command line groups them the same way.
      const cli = repeatsText(365, await chat.ledger.repeats({ limit: 1000 }));
      expect(cli).toMatch(/^Certain: repeat breaches within 365 days\n\nCity of Odessa · city · Odessa, TX, US — 2 incidents within 365 days\n {2}INC-2020-0001/);
      expect(cli.split('Possible (partial dates): repeat breaches within 365 days\n\n')[1]).toMatch(/^City of Bakersfield/);
      expect(textOf(await chat.say('/incident repeats 90'))).not.toContain('City of Odessa');
      expect(textOf(await chat.say('/incident repeats soon'))).toMatch(/Days must be a whole number[\s\S]*Usage: \/incident repeats \[days\]/);
    });
  });

  describe('alerts and watches', () => {
    it('GIVEN alerts on, status, off THEN stored per channel and said back', async () => {
      expect(await chat.say('/incident alerts on')).toMatchObject({ kind: 'message', visibility: 'public' });
      expect(textOf(await chat.say('/incident alerts on'))).toMatch(/alerts are updated in this channel: from the 2nd incident within 365 days, any victim, as they happen/);
      expect(textOf(await chat.say('/incident alerts status'))).toMatch(/alerts are on in this channel since \d{4}-\d{2}-\d{2}[\s\S]*Deliveries: 0 pending, 0 sent, 0 failed/);
      expect(textOf(await chat.say('/incident alerts status', person, { ...room, channelId: 'other' }))).toMatch(/alerts are off/);
      expect(textOf(await chat.say('/incident alerts off'))).toMatch(/are off in this channel/);
      expect(textOf(await chat.say('/incident alerts maybe'))).toMatch(/Say on, off or status/);
    });

    it('GIVEN filters, a threshold, a window and a digest THEN the subscription says them back', async () => {
      const text = textOf(await chat.say('/incident alerts on country:US region:Texas sector:"local government" kind:city from:3 within:180 daily', person, { ...room, channelId: 'filtered' }));
      expect(text).toMatch(/from the 3rd incident within 180 days, in US, region TX, sector local government, city victims, as a daily digest/);
      expect(textOf(await chat.say('/incident alerts on country:Narnia', person, { ...room, channelId: 'filtered' }))).toMatch(/Country "Narnia" is not a country code/);
      expect(textOf(await chat.say('/incident alerts on from:1', person, { ...room, channelId: 'filtered' }))).toMatch(/counts from the 2nd incident/);
      expect(textOf(await chat.say('/incident alerts on loudly', person, { ...room, channelId: 'filtered' }))).toMatch(/written key:value/);
      await chat.say('/incident alerts off', person, { ...room, channelId: 'filtered' });
    });

    it('GIVEN someone who may not manage the channel THEN alerts on is refused and nothing stored', async () => {
      const guest = { ...person, userId: 'guest', canManageChannel: false };
      expect(textOf(await chat.say('/incident alerts on', guest))).toMatch(/needs permission to manage the channel/);
      expect(textOf(await chat.say('/incident watch City of Odessa', guest))).toMatch(/needs permission to manage the channel/);
      expect(textOf(await chat.say('/incident alerts status', guest))).toMatch(/alerts are off/);
      expect(textOf(await chat.say('/incident alerts', guest))).toMatch(/alerts are off/);
    });

    it('GIVEN watch and unwatch THEN the channel watchlist follows', async () => {
      expect(textOf(await chat.say('/incident watch City of Odessa'))).toMatch(/now watches City of Odessa/);
      expect(textOf(await chat.say('/incident watch odessa city'))).toMatch(/already watches/);
      expect(textOf(await chat.say('/incident watch vendor Click2Gov'))).toMatch(/now watches vendor Click2Gov/);
      expect(textOf(await chat.say('/incident watch technique t1190'))).toMatch(/now watches technique T1190 Exploit Public-Facing Application/);
      expect(textOf(await chat.say('/incident watch technique T9999'))).toMatch(/not a MITRE ATT&CK Enterprise technique/);
      expect(textOf(await chat.say('/incident alerts status'))).toMatch(/Watching: City of Odessa, vendor Click2Gov, technique T1190/);
      expect(textOf(await chat.say('/incident watchlist'))).toMatch(/Victims: City of Odessa[\s\S]*Vendors: Click2Gov[\s\S]*Techniques: T1190/);
      expect(textOf(await chat.say('/incident watch Nowhere Town Council'))).toMatch(/No victim called/);
      expect(textOf(await chat.say('/incident unwatch Baltimore'))).toMatch(/does not watch “Baltimore”. It watches: City of Odessa, vendor Click2Gov/);
      expect(textOf(await chat.say('/incident unwatch city of odessa'))).toMatch(/no longer watches City of Odessa/);
      expect(textOf(await chat.say('/incident unwatch vendor click2gov'))).toMatch(/no longer watches vendor Click2Gov/);
      expect(textOf(await chat.say('/incident unwatch technique T1190'))).toMatch(/no longer watches technique T1190/);
      expect(textOf(await chat.say('/incident watchlist'))).toMatch(/watches nothing/);
      expect(textOf(await chat.say('/incident watch'))).toMatch(/Name what to watch/);
    });

    it('GIVEN an ambiguous victim to watch THEN buttons to choose', async () => {
      const reply = await chat.say('/incident watch Odessa');
      expect(textOf(reply)).toMatch(/\[City of Odessa \(Odessa, TX, US\)\]\(watch #1\)/);
    });
  });

  describe('reporting through the form', () => {
    it('GIVEN /incident report THEN the form covers every field of an incident', async () => {
      const reply = await chat.say('/incident report');
      expect(reply.kind).toBe('form');
      const ids = reply.kind === 'form' ? reply.form.fields.map((f) => f.id) : [];
      expect(ids).toEqual(['victim', 'country', 'region', 'city', 'startDate', 'endDate', 'discoveredDate', 'disclosedDate',
        'title', 'summary', 'description', 'vendor', 'impact', 'motives', 'techniques', 'threatActors', 'recordsAffected', 'sources', 'tlp']);
    });

    it('GIVEN /incident report City of Odessa THEN the form is prefilled with the victim and its place', async () => {
      const reply = await chat.say('/incident report City of Odessa');
      if (reply.kind !== 'form') throw new Error('expected a form');
      const initial = Object.fromEntries(reply.form.fields.map((f) => [f.id, f.initial]));
      expect(initial).toMatchObject({ victim: 'City of Odessa', country: 'US', region: 'TX', city: 'Odessa' });
      expect(reply.form.state).toBe('victim:1');
    });

    it('GIVEN a submission with errors THEN each error is on its field and nothing is stored', async () => {
      const before = await chat.ledger.search('INC-2099-0001');
      const outcome = await chat.dispatcher.submit({
        formId: 'report', state: undefined, actor: person, channel: room,
        values: { ...odessaReport, startDate: '2999-01', country: 'ZZ', sources: 'https://ok.example/a\nftp://bad', techniques: ['T9999'], summary: '' },
      });
      expect(outcome.kind).toBe('errors');
      expect(outcome.kind === 'errors' && Object.keys(outcome.errors).sort()).toEqual(['country', 'sources', 'startDate', 'summary', 'techniques']);
      expect(before.hits).toEqual([]);
    });

    it('GIVEN a near-match victim THEN the form asks "did you mean", and the answer records it', async () => {
      const values = { ...odessaReport, victim: 'Odessa' };
      const first = await chat.dispatcher.submit({ formId: 'report', values, state: undefined, actor: person, channel: room });
      if (first.kind !== 'question') throw new Error(`expected a question, got ${first.kind}`);
      expect(first.question).toMatch(/Did you mean City of Odessa \(Odessa, TX, US\)/);
      expect(first.choices.at(-1)).toEqual({ value: 'new', label: 'No: “Odessa” is a new victim' });
      const answered = await chat.dispatcher.submit({
        formId: 'report', values: { ...first.values, [first.answerField]: first.choices[0]!.value }, state: undefined, actor: person, channel: room,
      });
      expect(answered.kind === 'done' && textOf(answered.reply)).toMatch(/Recorded INC-2020-\d{4}[\s\S]*Repeat breach: 2nd incident within 365 days/);
    });

    it('GIVEN a repeat breach reported THEN subscribed and watching channels get one alert each, naming the earlier Click2Gov incident', async () => {
      await chat.say('/incident alerts on', person, { ...room, channelId: 'alerts' });
      await chat.say('/incident watch #1', person, { ...room, channelId: 'watchers' });
      chat.posted.length = 0;
      // It reads like the September report before it: the form asks first, and the person says it is another incident.
      const asked = await chat.dispatcher.submit({ formId: 'report', values: { ...odessaReport, startDate: '2020-10-02' }, state: 'victim:1', actor: person, channel: room });
      expect(asked).toMatchObject({ kind: 'question', answerField: 'eventChoice', questionLabel: 'Same incident?' });
      expect(asked.kind === 'question' && asked.choices.map((c) => c.label).at(-1)).toBe('A different incident');
      const outcome = await chat.dispatcher.submit({ formId: 'report', values: { ...odessaReport, startDate: '2020-10-02', eventChoice: 'new' }, state: 'victim:1', actor: person, channel: room });
      expect(outcome.kind).toBe('done');
      await chat.deliver();
      expect(chat.posted.map((p) => p.channel.channelId).sort()).toEqual(['alerts', 'watchers']);
      const alert = textOf(chat.posted[0]!.message);
      expect(alert).toMatch(/Repeat breach: City of Odessa — 3rd incident within 365 days/);
      expect(alert).toMatch(/INC-2020-0001 · 2020-04 – 2020-06/);
      expect(alert).toMatch(/Click2Gov — also in INC-2020-0001/);
    });

    it('GIVEN a first incident of a watched victim THEN only the watchers hear of it', async () => {
      chat.posted.length = 0;
      await chat.dispatcher.submit({ formId: 'report', values: { ...odessaReport, startDate: '2015-01' }, state: 'victim:1', actor: person, channel: room });
      await chat.deliver();
      expect(chat.posted.map((p) => [p.channel.channelId, textOf(p.message).split('\n')[0]])).toEqual([
        ['watchers', 'New incident for watched City of Odessa'],
      ]);
    });

    it('GIVEN a field checked on its own THEN only that field’s error', () => {
      expect(chat.dispatcher.checkField('report', 'startDate', { startDate: 'April' }, undefined)).toMatch(/Start date "April" is not a date/);
      expect(chat.dispatcher.checkField('report', 'startDate', { startDate: '2020-04' }, undefined)).toBeNull();
      expect(chat.dispatcher.checkField('report', 'sources', { sources: 'gopher://x' }, undefined)).toMatch(/not an http\(s\) URL/);
    });
  });

  describe('type-ahead', () => {
    it('GIVEN "odes" THEN victims; GIVEN "T119" or "public-facing" THEN ATT&CK techniques', async () => {
      expect((await chat.dispatcher.suggest('victims', 'odes')).map((c) => c.label)).toContain('City of Odessa (Odessa, TX, US)');
      // Typed as people type it: with its government word first, half-way, misspelled.
      for (const typed of ['City of Od', 'city of odessa', 'Odeessa', 'odessa, tx']) {
        expect((await chat.dispatcher.suggest('victims', typed))[0]?.label, typed).toBe('City of Odessa (Odessa, TX, US)');
      }
      expect(await chat.dispatcher.suggest('victims', 'zzzzqx')).toEqual([]);
      expect((await chat.dispatcher.suggest('techniques', 'T119')).map((c) => c.value)).toContain('T1190');
      expect((await chat.dispatcher.suggest('techniques', 'public-facing')).map((c) => c.label)).toContain('T1190 Exploit Public-Facing Application');
    });
  });
});

describe('a failure that is not the person’s fault', () => {
  it('GIVEN the database gone THEN a short message with an error id, and the details only in the log', async () => {
    const chat = await chatHarness('pglite');
    await chat.close();
    const text = textOf(await chat.say('/incident odessa'));
    expect(text).toMatch(/^Something went wrong on our side \(error [0-9a-f]{8}\)/);
    expect(text).not.toMatch(/\.ts|at |stack/i);
    const id = /error ([0-9a-f]{8})/.exec(text)?.[1];
    expect(chat.logged.join('\n')).toContain(`"errorId":"${id}"`);
  });
});
