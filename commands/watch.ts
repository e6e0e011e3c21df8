import { z } from 'zod';
import { defineCommand } from '../src/chat/command.js';
import { privately, publicly } from '../src/chat/reply.js';
import { actions, message, textMessage } from '../src/presentation/message.js';
import { victimChoice } from '../src/chat/report-form.js';
import { lookUpVictim } from '../src/chat/victim-lookup.js';
import { splitWatchText, watchValue } from '../src/chat/watch-target.js';
import { ownerOf } from '../src/identity.js';
import type { WatchTarget } from '../src/alerts/subscriptions.js';

export default defineCommand({
  name: 'watch',
  suggests: 'victims',
  description: 'Alert this channel on every new incident of a victim, vendor, sector, region, actor or technique',
  managesChannel: true,
  argument: { name: 'what', description: 'A victim, or: vendor Click2Gov, sector …, region TX, actor …, technique T1190', required: true, suggest: 'victims' },
  usage: '/incident watch [victim|vendor|sector|region|actor|technique] <value>',
  examples: ['/incident watch City of Odessa', '/incident watch vendor Click2Gov', '/incident watch technique T1190'],
  parse: (text) => splitWatchText(text),
  options: z.object({
    kind: z.enum(['victim', 'vendor', 'sector', 'region', 'actor', 'technique']),
    text: z.string().trim().min(1, { error: 'Name what to watch: a victim, or vendor Click2Gov, technique T1190 …' }).max(200, { error: 'That is too long to be a watch (at most 200 characters).' }),
  }),
  async run({ options, actor, channel, services, viewer }) {
    let target: WatchTarget;
    if (options.kind === 'victim') {
      const found = await lookUpVictim(services, options.text, viewer);
      if (found.kind === 'none') return privately(textMessage(`No victim called “${options.text}” is in the ledger yet. To watch a vendor, sector, region, actor or technique, say which: /incident watch vendor ${options.text}`));
      if (found.kind === 'several') {
        return privately(message('Which victim should this channel watch?',
          { type: 'text', text: `Which “${options.text}” should this channel watch?` },
          actions(...found.candidates.map((c) => ({ label: victimChoice(c).label.slice(0, 75), command: `watch #${c.id}` })))));
      }
      target = { kind: 'victim', value: String(found.victim.id), label: found.victim.name, victimId: found.victim.id };
    } else {
      target = { kind: options.kind, ...watchValue(options.kind, options.text) };
    }
    const by = ownerOf(actor);
    const what = target.kind === 'victim' ? target.label : `${target.kind} ${target.label}`;
    return (await services.ledger.channels.watch(channel, target, by))
      ? publicly(textMessage(`This channel now watches ${what}: every new incident is posted here.`))
      : privately(textMessage(`This channel already watches ${what}.`));
  },
});
