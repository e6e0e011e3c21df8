import { z } from 'zod';
import { defineCommand } from '../src/chat/command.js';
import { privately } from '../src/chat/reply.js';
import { period, victimSummary } from '../src/presentation/incident-blocks.js';
import { actions, message } from '../src/presentation/message.js';
import type { Block } from '../src/presentation/message.js';
import type { RepeatVictim } from '../src/incidents/repeat-breach.js';
import { isolate } from '../src/presentation/bidi-isolation.js';

const SHOWN = 10;

export default defineCommand({
  name: 'repeats',
  shareable: true,
  description: 'Victims breached again within the repeat window',
  usage: '/incident repeats [days]',
  examples: ['/incident repeats', '/incident repeats 180'],
  parse: (text) => ({ days: text.trim() || undefined }),
  options: z.object({
    days: z.coerce.number({ error: 'Days must be a whole number, such as 365.' }).int({ error: 'Days must be a whole number, such as 365.' })
      .min(1, { error: 'Days must be at least 1.' }).max(36_500, { error: 'Days must be at most 36500.' }).optional(),
  }),
  async run({ options, services, viewer }) {
    const windowDays = options.days ?? services.ledger.windowDays;
    const repeats = await services.ledger.repeats({ windowDays, limit: SHOWN, viewer });
    if (repeats.length === 0) return privately(message(`No repeat breaches within ${windowDays} days`, { type: 'text', text: `No victim has two incidents within ${windowDays} days.` }));
    // Certain first: those only partial dates (a year, a month) put within the window are told apart.
    const certain = repeats.filter((r) => r.certainty === 'certain');
    const possible = repeats.filter((r) => r.certainty === 'possible');
    const group = (heading: string, victims: RepeatVictim[]): Block[] => (victims.length === 0 ? [] : [
      { type: 'heading', text: heading },
      ...victims.map((r): Block => ({ type: 'fields', fields: [{
        label: `${isolate(r.victim.name)} (${victimSummary(r.victim).description})`,
        value: r.incidents.map((i) => `${i.reference} · ${period(i)} · ${i.vendor ?? i.title}`).join('\n'),
      }] })),
    ]);
    return privately(message(
      `${[certain.length && `${certain.length} certain`, possible.length && `${possible.length} possible`].filter(Boolean).join(' and ')} repeat victim${repeats.length === 1 ? '' : 's'} within ${windowDays} days`,
      ...group(`Certain: repeat breaches within ${windowDays} days`, certain),
      ...group(`Possible (partial dates): repeat breaches within ${windowDays} days`, possible),
      repeats.length === SHOWN ? { type: 'context', text: `The ${SHOWN} most recent; breachdesk repeats on the command line lists them all.` } : null,
      actions(...[...certain, ...possible].slice(0, 5).map((r) => ({ label: `All of ${r.victim.name}`.slice(0, 60), command: `victim #${r.victim.id}` }))),
    ));
  },
});
