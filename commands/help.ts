import { z } from 'zod';
import { defineCommand } from '../src/chat/command.js';
import { privately } from '../src/chat/reply.js';
import { message } from '../src/presentation/message.js';

export default defineCommand({
  name: 'help',
  fallback: 'empty',
  description: 'How to use /incident, with examples',
  usage: '/incident help',
  examples: ['/incident help'],
  parse: () => ({}),
  options: z.object({}),
  run({ services, commands }) {
    const listed = commands.filter((c) => !c.hidden).sort((a, b) => rank(a.name) - rank(b.name));
    return Promise.resolve(privately(message(
      '/incident — look up victims and their incidents, report new ones, hear of repeat breaches',
      { type: 'heading', text: '/incident — a ledger of cyber incidents by victim' },
      { type: 'fields', fields: listed.map((c) => ({ label: c.usage, value: `${c.description}${c.examples.length ? `\ne.g. ${c.examples.join(', ')}` : ''}` })) },
      { type: 'context', text: `A victim breached again within ${services.ledger.windowDays} days is a repeat breach; channels with alerts on hear of it.` },
    )));
  },
});

// Most used first; commands not named here follow in name order.
const ORDER = ['search', 'report', 'repeats', 'alerts', 'watch', 'unwatch', 'help'];
const rank = (name: string) => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);
