import { z } from 'zod';
import { defineCommand } from '../src/chat/command.js';
import { privately, publicly } from '../src/chat/reply.js';
import { textMessage } from '../src/presentation/message.js';
import { splitWatchText, watchValue } from '../src/chat/watch-target.js';
import { normalizeVictimName } from '../src/incidents/victim-name.js';
import { ownerOf } from '../src/identity.js';

export default defineCommand({
  name: 'unwatch',
  suggests: 'victims',
  description: 'Stop watching a victim, vendor, sector, region, actor or technique in this channel',
  managesChannel: true,
  argument: { name: 'what', description: 'What to stop watching: a victim, or vendor Click2Gov …', required: true, suggest: 'victims' },
  usage: '/incident unwatch [victim|vendor|sector|region|actor|technique] <value>',
  examples: ['/incident unwatch City of Odessa', '/incident unwatch vendor Click2Gov'],
  parse: (text) => splitWatchText(text),
  options: z.object({
    kind: z.enum(['victim', 'vendor', 'sector', 'region', 'actor', 'technique']),
    text: z.string().trim().min(1, { error: 'Name what to stop watching.' }).max(200, { error: 'That is too long to be a watch (at most 200 characters).' }),
  }),
  async run({ options, actor, channel, services }) {
    const watches = await services.ledger.channels.watches(channel);
    // Only the channel's own watches can be meant, so a victim is matched among those.
    let found;
    if (options.kind === 'victim') {
      const id = /^#(\d+)$/.exec(options.text)?.[1];
      const typed = normalizeVictimName(options.text);
      found = watches.find((w) => w.kind === 'victim' && (id ? w.victimId === Number(id)
        : [typed.normalized, typed.core].includes(normalizeVictimName(w.label).normalized) || normalizeVictimName(w.label).core === typed.core));
    } else {
      const value = watchValue(options.kind, options.text).value;
      found = watches.find((w) => w.kind === options.kind && w.value === value);
    }
    if (!found) {
      const list = watches.map((w) => (w.kind === 'victim' ? w.label : `${w.kind} ${w.label}`)).join(', ');
      return privately(textMessage(`This channel does not watch “${options.text}”.${list ? ` It watches: ${list}.` : ''}`));
    }
    await services.ledger.channels.unwatch(channel, found, ownerOf(actor));
    return publicly(textMessage(`This channel no longer watches ${found.kind === 'victim' ? found.label : `${found.kind} ${found.label}`}.`));
  },
});
