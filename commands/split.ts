import { z } from 'zod';
import { defineCommand } from '../src/chat/command.js';
import { privately } from '../src/chat/reply.js';
import { changer } from '../src/chat/incident-change.js';
import { message } from '../src/presentation/message.js';
import { OPEN_POLICY, mayChange } from '../src/trust/permissions.js';
import { isolate } from '../src/presentation/bidi-isolation.js';

const reference = z.string().regex(/^INC-\d{4}-\d{4,9}$/i, { error: 'Give the incident, then its report: /incident split INC-2020-0001 INC-2020-0003.' });

/** `/incident split INC-2020-0001 INC-2020-0003`: a report joined by mistake becomes an incident of its own again. */
export default defineCommand({
  name: 'split',
  description: 'Make a joined report an incident of its own again (reporter of both, or admins)',
  usage: '/incident split <incident> <its report>',
  examples: ['/incident split INC-2020-0001 INC-2020-0003'],
  reports: true,
  argument: { name: 'references', description: 'The incident, then the report to split off, such as INC-2020-0001 INC-2020-0003', required: true },
  parse: (text) => {
    const [incident = '', report = '', ...more] = text.trim().split(/\s+/);
    return { incident, report, more: more.join(' ') };
  },
  options: z.object({
    incident: reference,
    report: reference,
    more: z.literal('', { error: 'Split one report at a time: /incident split INC-2020-0001 INC-2020-0003.' }),
  }),
  async run({ options, actor, channel, services, viewer }) {
    const policy = services.trust ?? OPEN_POLICY;
    const { incident, report, victim } = await services.ledger.split(
      options.incident, options.report, changer(actor, channel), (i) => mayChange(actor, i, policy), { viewer },
    );
    const verdict = await services.ledger.verdict(report, viewer);
    const said = `${report.reference} is an incident of its own again, no longer a report of ${incident.reference} (${isolate(victim.name)}).`;
    return privately(message(
      said,
      { type: 'text', text: verdict.isRepeat ? `${said} Repeat breach: ${verdict.headline}.` : said },
      { type: 'context', text: `${incident.reference}'s previous version is kept. Undo with /incident merge ${incident.reference} ${report.reference}.` },
    ));
  },
});
