import { describe, expect, it } from 'vitest';
import { SLACK_LIMITS, renderBlockKit } from '../../src/adapters/slack/block-kit.js';
import { escapeMrkdwn, mrkdwnLink } from '../../src/adapters/slack/mrkdwn.js';
import { message } from '../../src/presentation/message.js';
import type { Block, IncidentSummary } from '../../src/presentation/message.js';

const words = (n: number, word = 'breach') => Array.from({ length: n }, (_, i) => `${word}${i % 7}`).join(' ');
const hostile = '<!channel> <!here> <@U123> <#C1> <!subteam^S1> & <https://evil.example|your bank>';

function incident(n: number): IncidentSummary {
  return {
    reference: `INC-2020-${String(n).padStart(4, '0')}`, period: '2020-04 – 2020-06', title: `${hostile} ${words(60)}`,
    summary: `${hostile} ${words(400)}`, vendor: hostile, impact: 'confidentiality', motives: 'financial', techniques: 'T1190',
    threatActors: hostile, sources: Array.from({ length: 20 }, (_, i) => `https://example.org/${'x'.repeat(150)}/${i}?a=<b>|c`),
  };
}

function mrkdwnTexts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(mrkdwnTexts);
  if (!node || typeof node !== 'object') return [];
  const o = node as Record<string, unknown>;
  return [...(o.type === 'mrkdwn' && typeof o.text === 'string' ? [o.text] : []), ...Object.values(o).flatMap(mrkdwnTexts)];
}

describe('the Block Kit renderer', () => {
  const huge = message(
    `${hostile} ${words(3000)}`,
    { type: 'heading', text: `${hostile} ${words(100)}` },
    { type: 'text', text: `${hostile} ${words(2000)}` },
    { type: 'fields', fields: Array.from({ length: 23 }, (_, i) => ({ label: `${hostile} ${i}`, value: words(900) })) },
    ...Array.from({ length: 12 }, (_, v): Block => ({
      type: 'victim', victim: { id: v, name: `${hostile} ${v}`, description: hostile }, totalIncidents: 40, incidents: Array.from({ length: 5 }, (_, i) => incident(v * 10 + i)),
    })),
    { type: 'context', text: `${hostile} ${words(2000)}` },
    { type: 'actions', actions: Array.from({ length: 30 }, (_, i) => ({ label: `${words(40)} ${i}`, command: `victim #${i}` })) },
  );
  const { blocks, text } = renderBlockKit(huge);

  it('GIVEN a message far beyond every limit THEN each Slack limit holds', () => {
    expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
    interface Rendered { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { text: { text: string } & string; value: string }[] }
    for (const b of blocks as unknown as Rendered[]) {
      if (b.type === 'header') expect(b.text!.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
      if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      if (b.type === 'section' && b.fields) {
        expect(b.fields.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldsPerSection);
        for (const f of b.fields) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
      }
      if (b.type === 'context') for (const e of b.elements!) expect(e.text.length).toBeLessThanOrEqual(SLACK_LIMITS.contextText);
      if (b.type === 'actions') {
        expect(b.elements!.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonsPerActions);
        for (const e of b.elements!) {
          expect(e.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonText);
          expect(e.value.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonValue);
        }
      }
    }
  });

  it('GIVEN user text with mentions, broadcasts and links THEN nothing reaches mrkdwn unescaped, and every link is whole', () => {
    for (const t of [text, ...mrkdwnTexts(blocks)]) {
      expect(t).not.toMatch(/<[!@#]/);
      // Every '<' opens one of our own links and is closed.
      const opens = (t.match(/</g) ?? []).length;
      expect((t.match(/<https?:\/\/[^<>|\s]+\|[^<>|]*>/g) ?? []).length).toBe(opens);
      expect(t).not.toMatch(/&(?![a-z]+;)/);
    }
  });

  it.each([
    ['<!channel>', '&lt;!channel&gt;'],
    ['Tom & Jerry <script>', 'Tom &amp; Jerry &lt;script&gt;'],
  ])('GIVEN %j THEN escaped as %j', (raw, escaped) => expect(escapeMrkdwn(raw)).toBe(escaped));

  it('GIVEN a URL with | and > THEN the link cannot be broken out of', () => {
    expect(mrkdwnLink('https://a.example/x|y>z', 'source <1>')).toBe('<https://a.example/x%7Cy%3Ez|source &lt;1&gt;>');
  });
});
