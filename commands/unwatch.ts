import { z } from 'zod';
import { defineCommand, privately, publicly } from '../src/chat/command.js';
import { textMessage } from '../src/chat/message.js';
import { normalizeVictimName } from '../src/incidents/victim-name.js';
import { channelStatus, unwatch } from '../src/alerts/subscriptions.js';

export default defineCommand({
  name: 'unwatch',
  description: 'Stop watching a victim in this channel',
  managesChannel: true,
  argument: { name: 'victim', description: 'The victim to stop watching', required: true, suggest: 'victims' },
  usage: '/incident unwatch <victim>',
  examples: ['/incident unwatch City of Odessa'],
  parse: (text) => ({ victim: text }),
  options: z.object({ victim: z.string().trim().min(1, { error: 'Name the victim to stop watching.' }).max(200) }),
  async run({ options, channel, services }) {
    // Only the channel's own watches can be meant, so match among those.
    const { watching } = await channelStatus(services.ledger.db, channel);
    const id = /^#(\d+)$/.exec(options.victim)?.[1];
    const typed = normalizeVictimName(options.victim);
    const victim = watching.find((v) => (id ? v.id === Number(id) : [typed.normalized, typed.core].includes(normalizeVictimName(v.name).normalized) || normalizeVictimName(v.name).core === typed.core));
    if (!victim) {
      const list = watching.map((v) => v.name).join(', ');
      return privately(textMessage(`This channel does not watch “${options.victim}”.${list ? ` It watches: ${list}.` : ''}`));
    }
    await unwatch(services.ledger.db, channel, victim.id);
    return publicly(textMessage(`This channel no longer watches ${victim.name}.`));
  },
});
