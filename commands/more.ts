import { z } from 'zod';
import { defineCommand } from '../src/chat/command.js';
import { privately } from '../src/chat/reply.js';
import { searchReply } from '../src/chat/search-reply.js';

/** "Next page" of a search: `more <cursor> <query>`, run by the button. */
export default defineCommand({
  name: 'more',
  shareable: true,
  paged: true,
  hidden: true,
  description: 'The next page of a search',
  usage: '/incident more <cursor> <query>',
  examples: [],
  parse: (text) => {
    const [cursor = '', ...query] = text.split(/\s+/);
    return { cursor, query: query.join(' ') };
  },
  options: z.object({
    cursor: z.string().regex(/^[\w-]{1,40}$/, { error: 'That page link is not valid any more; search again.' }),
    query: z.string().trim().min(1, { error: 'Type what to look for.' }).max(200, { error: 'The query is too long (at most 200 characters).' }),
  }),
  async run({ options, services, commands, viewer }) {
    return privately(await searchReply(services, commands, options.query, options.cursor, viewer));
  },
});
