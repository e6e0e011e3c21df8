import { z } from 'zod';
import { defineCommand } from '../src/chat/command.js';
import { privately, publicly } from '../src/chat/reply.js';
import { keyedWords } from '../src/chat/arguments.js';
import { message, textMessage } from '../src/presentation/message.js';
import { VICTIM_KINDS } from '../src/db/schema.js';
import { canonicalRegion, parseCountry } from '../src/incidents/places.js';
import { ordinalWord } from '../src/incidents/repeat-breach.js';
import { ownerOf } from '../src/identity.js';
import type { Subscription } from '../src/alerts/subscriptions.js';

const USAGE = '/incident alerts on|off|status [country:US] [region:TX] [sector:"local government"] [kind:city] [from:3] [within:180] [possible:yes] [daily]';

export default defineCommand({
  name: 'alerts',
  statusOnly: ['', 'status'],
  description: 'Turn repeat-breach alerts on or off for this channel, or see their status',
  managesChannel: true,
  argument: { name: 'action', description: 'on, off or status; filters such as country:US from:3 within:180 possible:yes daily', required: true },
  usage: USAGE,
  examples: ['/incident alerts on', '/incident alerts on country:US from:3 within:180', '/incident alerts on daily', '/incident alerts on possible:yes', '/incident alerts status'],
  parse: (text) => {
    const { keyed, plain } = keyedWords(text);
    return {
      action: (plain[0] ?? 'status').toLowerCase(),
      daily: plain.slice(1).some((w) => ['daily', 'digest'].includes(w.toLowerCase())) || undefined,
      extra: plain.slice(1).filter((w) => !['daily', 'digest', 'immediate'].includes(w.toLowerCase())),
      ...keyed,
    };
  },
  options: z.object({
    action: z.enum(['on', 'off', 'status'], { error: 'Say on, off or status.' }),
    country: z.string().optional().transform((v, ctx) => {
      if (v === undefined) return undefined;
      const code = parseCountry(v);
      if (!code) ctx.addIssue({ code: 'custom', message: `Country "${v.slice(0, 40)}" is not a country code such as US or UA.` });
      return code ?? undefined;
    }),
    region: z.string().max(100).optional(),
    sector: z.string().max(100).optional(),
    kind: z.enum(VICTIM_KINDS, { error: `Kind must be one of: ${VICTIM_KINDS.join(', ')}.` }).optional(),
    from: z.coerce.number({ error: 'from: must be a number, such as 3 for the 3rd incident.' }).int().min(2, { error: 'from: counts from the 2nd incident.' }).max(100).optional(),
    within: z.coerce.number({ error: 'within: must be a number of days, such as 180.' }).int().min(1).max(36_500).optional(),
    // Certain repeats only unless asked: a year-only date alone should not wake a channel.
    possible: z.string().optional().transform((v, ctx) => {
      if (v === undefined) return undefined;
      const answer = ({ yes: true, no: false } as Record<string, boolean>)[v.toLowerCase()];
      if (answer === undefined) ctx.addIssue({ code: 'custom', message: `possible: must be yes or no, not "${v.slice(0, 40)}" — possible:yes also alerts on repeats that only partial dates (a year, a month) put within the window.` });
      return answer;
    }),
    daily: z.boolean().optional(),
    extra: z.array(z.string()).max(0, { error: 'Filters are written key:value, such as country:US or from:3.' }),
  }).loose(),
  async run({ options, actor, channel, services }) {
    const settings = services.ledger.channels;
    if (options.action === 'status') {
      const [subscription, watches, deliveries] = await Promise.all([settings.subscription(channel), settings.watches(channel), settings.deliveries(channel)]);
      const lines = [
        subscription
          ? `Repeat-breach alerts are on in this channel since ${subscription.since.toISOString().slice(0, 10)}: ${describe(subscription, services.ledger.windowDays)}.`
          : 'Repeat-breach alerts are off in this channel. /incident alerts on turns them on.',
        ...(subscription?.brokenReason ? [`⚠ Broken: the last alert could not be posted (${subscription.brokenReason}). Fix access, then /incident alerts on.`] : []),
        watches.length ? `Watching: ${watches.map((w) => (w.kind === 'victim' ? w.label : `${w.kind} ${w.label}`)).join(', ')}.` : 'Watching nothing. /incident watch <victim> adds a victim.',
        `Deliveries: ${deliveries?.pending ?? 0} pending, ${deliveries?.sent ?? 0} sent, ${deliveries?.failed ?? 0} failed.${deliveries?.lastError && deliveries.failed ? ` Last error: ${deliveries.lastError}` : ''}`,
      ];
      return privately(message(lines[0]!, { type: 'text', text: lines.join('\n') }));
    }
    const by = ownerOf(actor);
    if (options.action === 'on') {
      const result = await settings.subscribe(channel, by, {
        country: options.country,
        region: options.region === undefined ? undefined : canonicalRegion(options.region, options.country ?? null),
        sector: options.sector, victimKind: options.kind, minOrdinal: options.from, windowDays: options.within,
        cadence: options.daily ? 'daily' : 'immediate', possible: options.possible,
      });
      const subscription = (await settings.subscription(channel))!;
      return publicly(textMessage(`Repeat-breach alerts are ${result === 'created' ? 'on' : 'updated'} in this channel: ${describe(subscription, services.ledger.windowDays)} (set by ${by.name}).`));
    }
    const removed = await settings.unsubscribe(channel, ownerOf(actor));
    return removed
      ? publicly(textMessage(`Repeat-breach alerts are off in this channel (turned off by ${by.name}).`))
      : privately(textMessage('Repeat-breach alerts were not on in this channel.'));
  },
});

/** "from the 2nd incident within 365 days, any victim, as they happen; certain repeats only — …" */
function describe(s: Subscription, defaultWindow: number): string {
  const filters = [s.country && `in ${s.country}`, s.region && `region ${s.region}`, s.sector && `sector ${s.sector}`, s.victimKind && `${s.victimKind} victims`].filter(Boolean);
  return [
    `from the ${ordinalWord(s.minOrdinal)} incident within ${s.windowDays ?? defaultWindow} days`,
    filters.length ? filters.join(', ') : 'any victim',
    s.cadence === 'daily' ? 'as a daily digest' : 'as they happen',
  ].join(', ') + (s.possible
    ? '; possible repeats too, where only partial dates put them within the window'
    : '; certain repeats only — possible:yes adds those only partial dates put within the window');
}
