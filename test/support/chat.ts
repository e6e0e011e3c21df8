import { createAlertDispatcher } from '../../src/alerts/alert-dispatcher.js';
import type { AlertDispatcher } from '../../src/alerts/alert-dispatcher.js';
import type { Actor, AlertChannel, ChannelRef } from '../../src/identity.js';
import type { Reply } from '../../src/chat/reply.js';
import { createDispatcher } from '../../src/chat/dispatcher.js';
import type { Dispatcher } from '../../src/chat/dispatcher.js';
import type { Message } from '../../src/presentation/message.js';
import { loadCommands } from '../../src/chat/registry.js';
import type { LedgerDatabase } from '../../src/db/database.js';
import { seedDemo } from '../../src/incidents/demo-seed.js';
import { feedBook } from '../../src/interop/feeds/feed-book.js';
import { createLedger } from '../../src/ledger.js';
import { createLogger } from '../../src/log.js';
import type { Services } from '../../src/services.js';
import type { TrustPolicy } from '../../src/trust/permissions.js';
import { freshDatabase } from './databases.js';
import type { Backend } from './databases.js';

export const person: Actor = { platform: 'shell', workspace: null, userId: 'analyst', displayName: 'analyst', canManageChannel: true };
export const room: ChannelRef = { platform: 'shell', workspace: null, channelId: 'soc' };

/**
 * The real dispatcher, commands and alert dispatcher on a fresh, seeded ledger, with
 * a fake chat surface ('shell') that records the alerts posted to it and the errors
 * logged. Alerts are delivered when a test calls `deliver()`, or by themselves once
 * `alerts.start()` has been called.
 */
export async function chatHarness(backend: Backend = 'pglite', options: { trust?: TrustPolicy } = {}) {
  const database: LedgerDatabase = await freshDatabase(backend);
  const ledger = createLedger(database.db, { windowDays: 365 });
  await seedDemo(database.db, { windowDays: 365 });
  const logged: string[] = [];
  const log = createLogger('error', (line) => logged.push(line));
  const alerts: AlertDispatcher = createAlertDispatcher({ db: database.db, log, listen: database.listen, pollMs: 200, backoffMs: 50 });
  const posted: { channel: AlertChannel; message: Message; threadOf: string | null }[] = [];
  // The 'shell' surface, and Slack and Discord channels as far as the core sees them.
  for (const platform of ['shell', 'slack', 'discord'] as const) {
    alerts.register(platform, {
      send(channel, message, { threadOf }) {
        posted.push({ channel, message, threadOf });
        return Promise.resolve({ messageId: `${platform}-${posted.length}` });
      },
    });
  }
  const commands = await loadCommands();
  const services: Services = { ledger, wakeAlerts: () => undefined, log, trust: options.trust, feeds: feedBook(database.db) };
  const dispatcher: Dispatcher = createDispatcher(commands, services);
  return {
    database, ledger, dispatcher, posted, logged, services, alerts,
    say: (text: string, actor: Actor = person, channel: ChannelRef = room, shared = false) => dispatcher.invoke({ text, actor, channel, shared }),
    deliver: () => alerts.drain(),
    close: async () => {
      await alerts.stop();
      await database.close();
    },
  };
}

/** All the text a reply's message holds, for assertions that do not care about layout. */
export function textOf(reply: Reply | Message): string {
  const message = 'blocks' in reply ? reply : reply.kind === 'message' ? reply.message : null;
  if (!message) return '';
  return message.blocks.map((b) => {
    switch (b.type) {
      case 'heading': case 'text': case 'context': return b.text;
      case 'fields': return b.fields.map((f) => `${f.label}: ${f.value}`).join('\n');
      case 'victim': return [b.victim.name, b.victim.description, ...b.incidents.map((i) => `${i.reference} ${i.period} ${i.title} ${i.vendor ?? ''}`)].join('\n');
      case 'actions': return b.actions.map((a) => `[${a.label}](${a.command})`).join(' ');
      case 'divider': return '---';
    }
  }).join('\n');
}

export function messageOf(reply: Reply): Message {
  if (reply.kind !== 'message') throw new Error(`expected a message, got ${reply.kind}`);
  return reply.message;
}
