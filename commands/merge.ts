import { z } from 'zod';
import { defineCommand } from '../src/chat/command.js';
import { privately } from '../src/chat/reply.js';
import { changer } from '../src/chat/incident-change.js';
import { message } from '../src/presentation/message.js';
import { OPEN_POLICY, mayChange } from '../src/trust/permissions.js';
import { isolate } from '../src/presentation/bidi-isolation.js';

const reference = z.string().regex(/^INC-\d{4}-\d{4,9}$/i, { error: 'Give two incident references, the one to keep first: /incident merge INC-2020-0001 INC-2020-0003.' });

/** `/incident merge INC-2020-0001 INC-2020-0003`: the second (and its reports) becomes a report of the first. Undone by split. */
export default defineCommand({
  name: 'merge',
  description: 'Make an incident a further report of another: one event (reporter of both, or admins)',
  usage: '/incident merge <incident to keep> <incident that reports it again>',
  examples: ['/incident merge INC-2020-0001 INC-2020-0003'],
  reports: true,
  argument: { name: 'references', description: 'The incident to keep, then the one to join to it, such as INC-2020-0001 INC-2020-0003', required: true },
  parse: (text) => {
    const [keep = '', other = '', ...more] = text.trim().split(/\s+/);
    return { keep, other, more: more.join(' ') };
  },
  options: z.object({
    keep: reference,
    other: reference,
    more: z.literal('', { error: 'Merge two incidents at a time: /incident merge INC-2020-0001 INC-2020-0003.' }),
  }),
  async run({ options, actor, channel, services, viewer }) {
    const policy = services.trust ?? OPEN_POLICY;
    const { incident, victim, joined } = await services.ledger.merge(
      options.keep, options.other, changer(actor, channel), (i) => mayChange(actor, i, policy), { viewer },
    );
    const reports = incident.reports.length + 1;
    const said = `${joined.join(', ')} ${joined.length === 1 ? 'is now a report' : 'are now reports'} of ${incident.reference} (${isolate(victim.name)}); ${reports} reports.`;
    return privately(message(
      said,
      { type: 'text', text: said },
      { type: 'context', text: `One event: lookups, counts, repeat verdicts and alerts see only ${incident.reference}. Undo with /incident split ${incident.reference} ${joined[0]!}.` },
    ));
  },
});
