import { describe, expect, it } from 'vitest';
import { DISCORD_LIMITS, renderDiscord } from '../../src/adapters/discord/embeds.js';
import { discordLink, escapeDiscord } from '../../src/adapters/discord/markdown.js';
import { message } from '../../src/presentation/message.js';
import type { Block, IncidentSummary } from '../../src/presentation/message.js';

const words = (n: number) => Array.from({ length: n }, (_, i) => `breach${i % 7}`).join(' ');
const hostile = '@everyone @here <@123> <@&456> <#789> **bold** [click](https://evil.example) `code`';

function incident(n: number): IncidentSummary {
  return {
    reference: `INC-2020-${String(n).padStart(4, '0')}`, period: '2020-04 – 2020-06', title: `${hostile} ${words(60)}`, summary: `${hostile} ${words(400)}`,
    vendor: hostile, impact: 'confidentiality', motives: 'financial', techniques: 'T1190', threatActors: hostile,
    sources: Array.from({ length: 20 }, (_, i) => `https://example.org/${'x'.repeat(150)}/${i}?q=(a)`),
  };
}

describe('the Discord renderer', () => {
  const huge = message(`${hostile} ${words(3000)}`,
    { type: 'heading', text: `${hostile} ${words(100)}` },
    { type: 'text', text: `${hostile} ${words(2000)}` },
    { type: 'fields', fields: Array.from({ length: 30 }, (_, i) => ({ label: `${hostile} ${i}`, value: words(400) })) },
    ...Array.from({ length: 12 }, (_, v): Block => ({ type: 'victim', victim: { id: v, name: `${hostile} ${v}`, description: hostile }, totalIncidents: 40, incidents: Array.from({ length: 30 }, (_, i) => incident(v * 100 + i)) })),
    { type: 'context', text: `${hostile} ${words(2000)}` },
    { type: 'actions', actions: Array.from({ length: 40 }, (_, i) => ({ label: `${words(40)} ${i}`, command: i === 0 ? `more ${'x'.repeat(200)}` : `victim #${i}` })) },
  );
  const out = renderDiscord(huge);

  it('GIVEN a message far beyond every limit THEN each Discord limit holds', () => {
    expect(out.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embeds);
    let total = 0;
    for (const e of out.embeds) {
      expect(e.title?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
      expect(e.description?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
      expect(e.footer?.text.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.footer);
      expect(e.fields?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
      for (const f of e.fields ?? []) {
        expect(f.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
        expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
      }
      total += (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
    }
    expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.total);
    expect(out.components.length).toBeLessThanOrEqual(DISCORD_LIMITS.actionRows);
    for (const row of out.components) {
      expect(row.components.length).toBeLessThanOrEqual(DISCORD_LIMITS.buttonsPerRow);
      for (const b of row.components) {
        expect(b.label.length).toBeLessThanOrEqual(DISCORD_LIMITS.buttonLabel);
        expect(b.custom_id.length).toBeLessThanOrEqual(DISCORD_LIMITS.customId);
      }
    }
    expect(out.allowed_mentions).toEqual({ parse: [] });
  });

  it('GIVEN mentions and markdown in user text THEN nothing renders as a mention, a link or formatting of theirs', () => {
    const all = JSON.stringify(out.embeds);
    expect(all).not.toMatch(/@everyone|@here|<@\d|<@&|<#\d/);
    expect(all).not.toContain('[click](https://evil.example)');
    expect(escapeDiscord('**bold** @everyone <@1>')).toBe('\\*\\*bold\\*\\* @\u200beveryone <\u200b@1>');
  });

  it('GIVEN a URL with parentheses and spaces THEN the masked link stays whole', () => {
    expect(discordLink('https://a.example/x_(y) z', 'source [1]')).toBe('[source 1](https://a.example/x_%28y%29%20z)');
  });
});
