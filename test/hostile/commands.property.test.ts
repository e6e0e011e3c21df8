import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, ChannelRef } from '../../src/identity.js';
import type { FormOutcome, Reply } from '../../src/chat/reply.js';
import { reportForm } from '../../src/chat/report-form.js';
import { backends } from '../support/databases.js';
import { chatHarness, textOf } from '../support/chat.js';
import { HOSTILE_WORDS, hostileText } from './hostile-text.js';

const INTERNAL_ERROR = /Something went wrong on our side/;
const people: Actor[] = [
  { platform: 'slack', workspace: 'T1', userId: 'U1', displayName: '<!channel>', canManageChannel: true },
  { platform: 'discord', workspace: '1', userId: '2', displayName: '@everyone', canManageChannel: false },
];
const channel: ChannelRef = { platform: 'slack', workspace: 'T1', channelId: 'C-HOSTILE' };

/** What follows `/incident`: a command word (or none), then anything, keyed options and quotes included. */
const commandText = fc.tuple(
  fc.constantFrom('', 'report ', 'repeats ', 'alerts ', 'alerts on ', 'alerts off ', 'watch ', 'watch vendor ', 'watch technique ', 'unwatch ', 'watchlist ',
    'help ', 'more ', 'victim #', 'find ', 'search ', 'INC-2020-', '/incident ', 'REPORT '),
  fc.oneof(hostileText, fc.constantFrom('country:"', 'from:-1', 'within:99999999999', 'sector:"local government', 'daily daily', '#9999999999999999999', "'; drop table incidents; --", '%_', '\\', '&&', '!', '*:*', '(', '<->', 'a:*', "'")),
  hostileText,
).map(([word, a, b]) => `${word}${a}${b}`);

describe.each(backends)('the command parser on %s, given anything after /incident', (backend) => {
  let chat: Awaited<ReturnType<typeof chatHarness>>;
  beforeAll(async () => {
    chat = await chatHarness(backend);
  });
  afterAll(() => chat.close());

  it('GIVEN any text after any command word THEN an answer or a form, never a failure of ours', async () => {
    await fc.assert(fc.asyncProperty(commandText, fc.constantFrom(...people), async (text, actor) => {
      chat.logged.length = 0;
      const reply: Reply = await chat.dispatcher.invoke({ text, actor, channel });
      if (reply.kind === 'message') expect(textOf(reply)).not.toMatch(INTERNAL_ERROR);
      expect(chat.logged).toEqual([]);
    }), { numRuns: 100 });
  });

  it('GIVEN the hostile dictionary typed as a search, a watch and a report THEN each is answered', async () => {
    chat.logged.length = 0;
    for (const word of HOSTILE_WORDS) {
      for (const text of [word, `watch ${word}`, `watch vendor ${word}`, `unwatch actor ${word}`, `report ${word}`, `alerts on ${word}`]) {
        const reply = await chat.dispatcher.invoke({ text, actor: people[0]!, channel });
        expect(reply.kind === 'form' || !INTERNAL_ERROR.test(textOf(reply)), text).toBe(true);
      }
    }
    expect(chat.logged).toEqual([]);
  });

  it('GIVEN any typed type-ahead THEN suggestions or none, never a failure', async () => {
    await fc.assert(fc.asyncProperty(hostileText, fc.constantFrom('victims' as const, 'techniques' as const), async (typed, kind) => {
      chat.logged.length = 0;
      const choices = await chat.dispatcher.suggest(kind, typed, 25);
      expect(choices.length).toBeLessThanOrEqual(25);
      expect(chat.logged).toEqual([]);
    }), { numRuns: 60 });
  });

  it('GIVEN the report form submitted with anything in every field THEN errors on fields, a question, or a recorded incident; never a failure', async () => {
    const form = reportForm();
    const valuesArb = fc.record(Object.fromEntries(form.fields.map((f) => [f.id,
      f.kind === 'multiselect' || f.kind === 'checkboxes' ? fc.array(hostileText, { maxLength: 3 })
        : f.kind === 'date' ? fc.oneof(fc.constantFrom('2020-04', '2019'), hostileText)
          : fc.oneof(hostileText, fc.constant(undefined))])), { requiredKeys: [] }) as fc.Arbitrary<Record<string, string | string[] | undefined>>;
    let key = 0;
    await fc.assert(fc.asyncProperty(valuesArb, fc.constantFrom(undefined, 'victim:1', 'victim:99999999999', '<!channel>'), async (values, state) => {
      chat.logged.length = 0;
      const outcome: FormOutcome = await chat.dispatcher.submit({ formId: 'report', values, state, actor: people[0]!, channel, submissionKey: `hostile-${++key}` });
      if (outcome.kind === 'errors') {
        expect(Object.keys(outcome.errors).length).toBeGreaterThan(0);
        for (const id of Object.keys(outcome.errors)) expect(form.fields.map((f) => f.id)).toContain(id);
      }
      if (outcome.kind === 'done') expect(textOf(outcome.reply)).not.toMatch(INTERNAL_ERROR);
      for (const field of form.fields) chat.dispatcher.checkField('report', field.id, values, state);
      expect(chat.logged).toEqual([]);
    }), { numRuns: 60 });
  });
});
