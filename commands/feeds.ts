import { z } from 'zod';
import { defineCommand } from '../src/chat/command.js';
import { privately, publicly } from '../src/chat/reply.js';
import { textMessage } from '../src/presentation/message.js';
import { FEED_KINDS } from '../src/db/schema.js';
import { ownerOf } from '../src/identity.js';
import { feedLine, period } from '../src/interop/feeds/feed-book.js';
import { FEED_SOURCES } from '../src/interop/feeds/feed-kinds.js';
import { DEFAULT_EVERY, parseEvery } from '../src/interop/feeds/feed-store.js';

const USAGE = '/incident feeds [list] | add <hhs|hibp|ransomware> <url> [every:6h] | remove <number|url>';

export default defineCommand({
  name: 'feeds',
  statusOnly: ['', 'list'],
  description: 'The public breach feeds the ledger fills itself from: list, add or remove (admins)',
  managesChannel: true,
  argument: { name: 'action', description: 'list; add hibp https://haveibeenpwned.com/api/v3/breaches every:6h; remove 2', required: false },
  usage: USAGE,
  examples: ['/incident feeds', '/incident feeds add hibp https://haveibeenpwned.com/api/v3/breaches every:6h', '/incident feeds remove 2'],
  parse: (text) => {
    // Not keyedWords: an address holds a colon too.
    const words = text.trim().split(/\s+/).filter(Boolean);
    const every = words.find((w) => /^every:/i.test(w));
    const plain = words.filter((w) => w !== every);
    return { action: (plain[0] ?? 'list').toLowerCase(), words: plain.slice(1), ...(every ? { every: every.slice('every:'.length) } : {}) };
  },
  options: z.object({
    action: z.enum(['list', 'add', 'remove'], { error: `Say list, add or remove: ${USAGE}` }),
    words: z.array(z.string()),
    every: z.string().optional(),
  }).loose(),
  async run({ options, actor, channel, services }) {
    const feeds = services.feeds;
    if (!feeds) return privately(textMessage('Feeds are not polled here.'));
    if (options.action === 'list') {
      const all = await feeds.list();
      return privately(textMessage(all.length === 0
        ? `No feeds yet. ${FEED_KINDS.map((k) => `${k}: ${FEED_SOURCES[k].label}`).join('; ')}. /incident feeds add hibp ${FEED_SOURCES.hibp.example} adds one.`
        : all.map(feedLine).join('\n')));
    }
    if (options.action === 'remove') {
      const which = options.words[0];
      if (!which) return privately(textMessage(`Which feed? ${USAGE}`));
      const removed = await feeds.remove(which);
      return removed
        ? publicly(textMessage(`Feed #${removed.id} (${removed.kind} ${removed.url}) removed by ${ownerOf(actor).name}; what it imported stays in the ledger.`))
        : privately(textMessage(`No feed "${which.slice(0, 80)}". /incident feeds lists them.`));
    }
    const [kind, url] = options.words;
    if (!kind || !url) return privately(textMessage(`Say which kind and where: ${USAGE}`));
    const everySeconds = parseEvery(options.every ?? DEFAULT_EVERY);
    const owner = ownerOf(actor);
    const { feed, added } = await feeds.add(kind.toLowerCase(), url, everySeconds, { channel: channel.platform === 'cli' || channel.platform === 'import' ? null : { platform: channel.platform, workspace: channel.workspace, channelId: channel.channelId }, addedBy: owner.name });
    return added
      ? publicly(textMessage(`Feed #${feed.id} added by ${owner.name}: ${feed.kind} ${feed.url}, every ${period(feed.every_seconds)}. Its first run fills the ledger quietly; after that its new records raise the alerts a report here would, and if it fails for a day this channel hears of it.`))
      : privately(textMessage(`That feed is already polled: ${feedLine(feed)}`));
  },
});
