import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReportOutcome } from '../../src/incidents/report.js';
import { backends } from '../support/databases.js';
import { chatHarness, person, room, textOf } from '../support/chat.js';
import { analyst, submission } from '../support/submissions.js';

// An alert says what its report's confirmation said: the ordinal counted when the
// report committed, however many reports of the victim were recorded before it went out.

const ordinalIn = (text: string) => Number(/(\d+)(?:st|nd|rd|th) incident within 365 days/.exec(text)?.[1]);

describe.each(backends)('the ordinal an alert states, on %s', (backend) => {
  let chat: Awaited<ReturnType<typeof chatHarness>>;
  beforeEach(async () => {
    chat = await chatHarness(backend);
    // Possible repeats too: the channel counts as a confirmation does.
    expect(textOf(await chat.say('/incident alerts on possible:yes', person, room))).toMatch(/on/i);
  });
  afterEach(() => chat.close());

  // Across a year's end, so the reports share no reference counter: nothing but the victim orders them.
  it('GIVEN four reports of one victim committed at once, delivered after all four THEN each alert states its own confirmation\'s ordinal and lists only what that report counted', async () => {
    const outcomes: ReportOutcome[] = await Promise.all(['2020-12-20', '2021-01-03', '2020-12-28', '2021-01-10'].map((startDate, n) =>
      chat.ledger.report(submission({
        victim: { name: 'City of Odessa', id: 1 }, startDate, newIncident: true,
        summary: `Card data skimmed from the payment portal, wave ${n + 1}.`, sources: [`https://example.org/odessa-wave-${n + 1}`],
      }), analyst)));
    const confirmed = new Map(outcomes.map((o) => [o.incident.reference, o.verdict.ordinal]));
    // Each report counted the ones committed before it: no two say the same.
    expect(new Set(confirmed.values()).size).toBe(4);

    expect(await chat.deliver()).toBe(4);
    const alerts = chat.posted.filter((p) => p.channel.channelId === room.channelId);
    expect(alerts).toHaveLength(4);
    for (const { message } of alerts) {
      const reference = /INC-\d{4}-\d{4}/.exec(message.fallback)?.[0] ?? '';
      const ordinal = ordinalIn(message.fallback);
      expect(confirmed.has(reference)).toBe(true);
      expect({ reference, ordinal }).toEqual({ reference, ordinal: confirmed.get(reference) });
      const others = /Other incidents within 365 days: ([^]*?)(?:\nShared:|$)/.exec(textOf(message))?.[1] ?? '';
      expect(others.match(/INC-\d{4}-\d{4}/g) ?? []).toHaveLength(ordinal - 1);
    }
  });
});
