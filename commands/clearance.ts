import { z } from 'zod';
import { defineCommand } from '../src/chat/command.js';
import { privately, publicly } from '../src/chat/reply.js';
import { textMessage } from '../src/presentation/message.js';
import { ownerOf } from '../src/identity.js';
import { TLP_MEANING, parseTlp, tlpLabel } from '../src/trust/tlp.js';

/** `/incident clearance amber`: the highest TLP marking posted in this channel (alerts, shared lookups). */
export default defineCommand({
  name: 'clearance',
  statusOnly: ['', 'status'],
  description: 'See or set the highest TLP marking this channel may be shown',
  usage: '/incident clearance [clear|green|amber|amber+strict]',
  examples: ['/incident clearance', '/incident clearance amber'],
  managesChannel: true,
  argument: { name: 'level', description: 'clear, green, amber or amber+strict; empty to see it', required: false, choices: ['clear', 'green', 'amber', 'amber+strict'] },
  parse: (text) => ({ level: text.trim() || undefined }),
  options: z.object({
    level: z.string().optional().transform((value, ctx) => {
      if (value === undefined) return undefined;
      const tlp = parseTlp(value);
      if (!tlp || tlp === 'red') {
        ctx.addIssue({ code: 'custom', message: `"${value.slice(0, 20)}" is not a channel clearance: use clear, green, amber or amber+strict (RED is never posted in a channel).` });
        return z.NEVER;
      }
      return tlp;
    }),
  }),
  async run({ options, actor, channel, services }) {
    if (options.level === undefined) {
      const level = await services.ledger.channels.clearance(channel);
      return privately(textMessage(`This channel is shown incidents marked up to ${tlpLabel(level)} (${TLP_MEANING[level]}). Higher markings reach only permitted people, privately.`));
    }
    await services.ledger.channels.setClearance(channel, options.level, ownerOf(actor));
    return publicly(textMessage(`This channel is now shown incidents marked up to ${tlpLabel(options.level)} (${TLP_MEANING[options.level]}).`));
  },
});
