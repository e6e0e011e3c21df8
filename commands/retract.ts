import { z } from 'zod';
import { defineCommand } from '../src/chat/command.js';
import { privately } from '../src/chat/reply.js';
import { textMessage } from '../src/presentation/message.js';
import { changer, incidentToChange } from '../src/chat/incident-change.js';

/** `/incident retract INC-2020-0001 wrong victim`: out of every lookup, count and alert; kept with who and why. */
export default defineCommand({
  name: 'retract',
  description: 'Retract an incident you reported (admins: any incident)',
  usage: '/incident retract <reference> <reason>',
  examples: ['/incident retract INC-2020-0001 reported twice'],
  reports: true,
  argument: { name: 'reference', description: 'The incident and why, such as INC-2020-0001 reported twice', required: true },
  parse: (text) => {
    const [reference = '', ...reason] = text.trim().split(/\s+/);
    return { reference, reason: reason.join(' ') };
  },
  options: z.object({
    reference: z.string().regex(/^INC-\d{4}-\d{4,9}$/i, { error: 'Give the incident reference, such as INC-2020-0001.' }),
    reason: z.string().trim().min(3, { error: 'Say why, after the reference: /incident retract INC-2020-0001 reported twice.' }).max(500, { error: 'The reason is too long (at most 500 characters).' }),
  }),
  async run({ options, actor, channel, services, viewer }) {
    const found = await incidentToChange(services, actor, options.reference, viewer);
    if ('refusal' in found) return privately(textMessage(found.refusal));
    const { incident } = found;
    await services.ledger.retract(incident.reference, changer(actor, channel), options.reason);
    return privately(textMessage(`Retracted ${incident.reference}: it no longer shows in lookups, counts or alerts. The ledger keeps it, with your reason.`));
  },
});
