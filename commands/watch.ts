import { z } from 'zod';
import { defineCommand, privately, publicly } from '../src/chat/command.js';
import { actions, message, textMessage } from '../src/chat/message.js';
import { victimChoice } from '../src/chat/report-form.js';
import { lookUpVictim } from '../src/chat/victim-lookup.js';
import { watch } from '../src/alerts/subscriptions.js';

export default defineCommand({
  name: 'watch',
  description: 'Alert this channel on every new incident of a victim, repeat or not',
  managesChannel: true,
  argument: { name: 'victim', description: 'The victim to watch', required: true, suggest: 'victims' },
  usage: '/incident watch <victim>',
  examples: ['/incident watch City of Odessa'],
  parse: (text) => ({ victim: text }),
  options: z.object({ victim: z.string().trim().min(1, { error: 'Name the victim to watch.' }).max(200) }),
  async run({ options, actor, channel, services }) {
    const found = await lookUpVictim(services, options.victim);
    if (found.kind === 'none') return privately(textMessage(`No victim called “${options.victim}” is in the ledger yet.`));
    if (found.kind === 'several') {
      return privately(message(`Which victim should this channel watch?`,
        { type: 'text', text: `Which “${options.victim}” should this channel watch?` },
        actions(...found.candidates.map((c) => ({ label: victimChoice(c).label.slice(0, 75), command: `watch #${c.id}` })))));
    }
    const added = await watch(services.ledger.db, channel, found.victim.id, actor.displayName ?? actor.userId);
    return added
      ? publicly(textMessage(`This channel now watches ${found.victim.name}: every new incident is posted here.`))
      : privately(textMessage(`This channel already watches ${found.victim.name}.`));
  },
});
