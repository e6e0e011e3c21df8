import { z } from 'zod';
import { defineCommand, privately, publicly } from '../src/chat/command.js';
import { textMessage } from '../src/chat/message.js';
import { channelStatus, subscribe, unsubscribe } from '../src/alerts/subscriptions.js';

export default defineCommand({
  name: 'alerts',
  description: 'Turn repeat-breach alerts on or off for this channel, or see their status',
  managesChannel: true,
  argument: { name: 'action', description: 'on, off or status', required: true, choices: ['on', 'off', 'status'] },
  usage: '/incident alerts on|off|status',
  examples: ['/incident alerts on', '/incident alerts status'],
  parse: (text) => ({ action: text.trim().toLowerCase() || 'status' }),
  options: z.object({ action: z.enum(['on', 'off', 'status'], { error: 'Say on, off or status.' }) }),
  async run({ options, actor, channel, services }) {
    const db = services.ledger.db;
    if (options.action === 'status') {
      const status = await channelStatus(db, channel);
      const watching = status.watching.map((v) => v.name).join(', ');
      return privately(textMessage([
        status.subscribed
          ? `Repeat-breach alerts are on in this channel (since ${status.since?.toISOString().slice(0, 10)}).`
          : 'Repeat-breach alerts are off in this channel. /incident alerts on turns them on.',
        watching ? `Watching: ${watching}.` : 'Watching no victims. /incident watch <victim> adds one.',
      ].join('\n')));
    }
    const by = actor.displayName ?? actor.userId;
    if (options.action === 'on') {
      const added = await subscribe(db, channel, by);
      return added
        ? publicly(textMessage(`Repeat-breach alerts are on: this channel hears when a victim is breached again within ${services.ledger.windowDays} days (turned on by ${by}).`))
        : privately(textMessage('Repeat-breach alerts were already on in this channel.'));
    }
    const removed = await unsubscribe(db, channel);
    return removed
      ? publicly(textMessage(`Repeat-breach alerts are off in this channel (turned off by ${by}).`))
      : privately(textMessage('Repeat-breach alerts were not on in this channel.'));
  },
});
