import { z } from 'zod';
import { defineCommand } from '../src/chat/command.js';
import { privately } from '../src/chat/reply.js';
import { timelineIncidents } from '../src/chat/timeline-incidents.js';
import { victimBlock } from '../src/presentation/incident-blocks.js';
import { actions, message, textMessage } from '../src/presentation/message.js';
import { isolate } from '../src/presentation/bidi-isolation.js';

const PAGE = 5;

/** One victim with all its incidents, page by page: `victim #12 [page]`, run by "Show all". */
export default defineCommand({
  name: 'victim',
  shareable: true,
  paged: true,
  hidden: true,
  description: 'Every incident of one victim',
  usage: '/incident victim #<id> [page]',
  examples: ['/incident victim #1'],
  parse: (text) => {
    const [id = '', page] = text.split(/\s+/);
    return { id: id.replace(/^#/, ''), page };
  },
  options: z.object({
    id: z.coerce.number({ error: 'Give the victim as #<id>.' }).int().positive({ error: 'Give the victim as #<id>.' }),
    page: z.coerce.number().int().min(1).max(1000).default(1),
  }),
  async run({ options, services, viewer }) {
    const found = await services.ledger.victim(options.id, { offset: (options.page - 1) * PAGE, limit: PAGE }, viewer);
    if (!found) return privately(textMessage(`There is no victim #${options.id}.`));
    const [all] = await timelineIncidents(services, [{ victimId: options.id, shown: found.incidents, total: found.total }], viewer);
    const pages = Math.max(1, Math.ceil(found.total / PAGE));
    return privately(message(
      `${isolate(found.victim.name)}: ${found.total} incidents`,
      victimBlock(found.victim, found.incidents, found.total, services.ledger.windowDays, all),
      { type: 'context', text: `Page ${options.page} of ${pages}` },
      actions(
        options.page > 1 && { label: 'Previous page', command: `victim #${options.id} ${options.page - 1}` },
        options.page < pages && { label: 'Next page', command: `victim #${options.id} ${options.page + 1}`, style: 'primary' },
        { label: 'Report another incident for this victim', command: `report #${options.id}` },
      ),
    ));
  },
});
