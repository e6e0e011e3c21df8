import { z } from 'zod';
import { defineCommand } from '../src/chat/command.js';
import { privately } from '../src/chat/reply.js';
import { message } from '../src/presentation/message.js';

export default defineCommand({
  name: 'watchlist',
  description: 'What this channel watches',
  usage: '/incident watchlist',
  examples: ['/incident watchlist'],
  parse: () => ({}),
  options: z.object({}),
  async run({ channel, services }) {
    const watches = await services.ledger.channels.watches(channel);
    if (watches.length === 0) return privately(message('This channel watches nothing', { type: 'text', text: 'This channel watches nothing yet. /incident watch City of Odessa, or /incident watch vendor Click2Gov.' }));
    const byKind = new Map<string, string[]>();
    for (const w of watches) byKind.set(w.kind, [...(byKind.get(w.kind) ?? []), `${w.label}${w.brokenReason ? ' (broken)' : ''}`]);
    return privately(message(`This channel watches ${watches.length} thing${watches.length === 1 ? '' : 's'}`,
      { type: 'heading', text: 'This channel’s watchlist' },
      { type: 'fields', fields: [...byKind].map(([kind, labels]) => ({ label: `${kind[0]!.toUpperCase()}${kind.slice(1)}s`, value: labels.join('\n') })) }));
  },
});
