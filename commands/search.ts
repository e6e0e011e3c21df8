import { z } from 'zod';
import { defineCommand } from '../src/chat/command.js';
import { privately } from '../src/chat/reply.js';
import { searchReply } from '../src/chat/search-reply.js';

export default defineCommand({
  name: 'search',
  fallback: 'unknown-word',
  shareable: true,
  suggests: 'victims',
  aliases: ['find'],
  description: 'Look up victims and their incidents by name, vendor, text or reference',
  usage: '/incident <query>',
  examples: ['/incident odessa', '/incident click2gov', '/incident INC-2020-0001'],
  parse: (text) => ({ query: text }),
  options: z.object({ query: z.string().trim().min(1, { error: 'Type what to look for.' }).max(200, { error: 'The query is too long (at most 200 characters).' }) }),
  async run({ options, services, commands, viewer }) {
    return privately(await searchReply(services, commands, options.query, null, viewer));
  },
});
