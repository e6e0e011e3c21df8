import { balancedBidi, isolate } from '../../presentation/bidi-isolation.js';
import type { Block, IncidentSummary, Message } from '../../presentation/message.js';
import { cutText, fitText } from '../../chat/text.js';
import { timelineAlt } from '../../presentation/victim-timeline.js';
import type { Timeline } from '../../presentation/victim-timeline.js';
import { discordLink, escapeDiscord } from './markdown.js';

/** Discord's message limits (discord.com/developers/docs/resources/message). */
export const DISCORD_LIMITS = {
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  /** Across every embed of one message. */
  total: 6000,
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
  content: 2000,
  attachmentDescription: 1024,
} as const;

export const BUTTON_PREFIX = 'bd:';
export const SHARE_PREFIX = 'bd-share:';

export interface DiscordEmbed {
  title?: string;
  description?: string;
  color?: number;
  fields?: { name: string; value: string; inline?: boolean }[];
  footer?: { text: string };
  /** `attachment://timeline.png`: a picture sent with the message. */
  image?: { url: string };
}

/** A timeline picture the message shows: drawn and attached by whoever sends it (timeline-files.ts). */
export interface DiscordPicture {
  /** The attachment's file name, which the embed's image names. */
  name: string;
  timeline: Timeline;
  /** The picture in words (the attachment's description, 1,024 characters at most). */
  alt: string;
}

export interface DiscordButton {
  type: 2;
  style: 1 | 2;
  label: string;
  custom_id: string;
}

export interface DiscordMessage {
  embeds: DiscordEmbed[];
  components: { type: 1; components: DiscordButton[] }[];
  /** Never ping anyone, whatever the text says. */
  allowed_mentions: { parse: [] };
  /** Pictures to attach; not part of the JSON Discord reads. */
  pictures: DiscordPicture[];
}

const COLOR = 0x1d2b3a;

/**
 * Renders a neutral message as Discord embeds and buttons. Every limit holds: text
 * is shortened at a word, incidents beyond what fits are left out with a note, and
 * buttons whose command would not fit a custom_id are not shown.
 */
export function renderDiscord(message: Message, extraButtons: { label: string; customId: string }[] = []): DiscordMessage {
  const embeds: DiscordEmbed[] = [];
  const buttons: DiscordButton[] = [];
  const pictures: DiscordPicture[] = [];
  const current = (): DiscordEmbed => {
    if (embeds.length === 0) embeds.push({ color: COLOR });
    return embeds[embeds.length - 1]!;
  };
  const addFields = (embed: DiscordEmbed, fields: { name: string; value: string }[]) => {
    embed.fields = [...(embed.fields ?? []), ...fields].slice(0, DISCORD_LIMITS.fields);
  };

  for (const block of message.blocks) render(block);
  for (const b of extraButtons) buttons.push(button(b.label, b.customId, 2));

  const kept = fitTotal(embeds.slice(0, DISCORD_LIMITS.embeds));
  // Only pictures whose embed is still there are sent.
  const shown = new Set(kept.map((e) => e.image?.url));
  const attached = pictures.filter((p) => shown.has(`attachment://${p.name}`));
  const rows = [];
  for (let i = 0; i < buttons.length && rows.length < DISCORD_LIMITS.actionRows; i += DISCORD_LIMITS.buttonsPerRow) {
    rows.push({ type: 1 as const, components: buttons.slice(i, i + DISCORD_LIMITS.buttonsPerRow) });
  }
  return { embeds: kept, components: rows, allowed_mentions: { parse: [] }, pictures: attached };

  /** `timeline.png` for the first, `timeline-2.png` after it. */
  function picture(timeline: Timeline): string {
    const name = pictures.length === 0 ? 'timeline.png' : `timeline-${pictures.length + 1}.png`;
    pictures.push({ name, timeline, alt: fitText(timelineAlt(timeline), DISCORD_LIMITS.attachmentDescription) });
    return name;
  }

  function render(block: Block): void {
    switch (block.type) {
      case 'heading':
        embeds.push({ color: COLOR, title: fitEscaped(escaped(block.text, DISCORD_LIMITS.embedTitle), DISCORD_LIMITS.embedTitle) });
        return;
      case 'text': {
        const embed = current();
        embed.description = fitEscaped([embed.description, escaped(block.text, DISCORD_LIMITS.embedDescription)].filter(Boolean).join('\n\n'), DISCORD_LIMITS.embedDescription);
        return;
      }
      case 'context': {
        const embed = current();
        embed.footer = { text: fitText([embed.footer?.text, escaped(block.text, DISCORD_LIMITS.footer)].filter(Boolean).join(' · '), DISCORD_LIMITS.footer) };
        return;
      }
      case 'divider':
        return;
      case 'fields':
        addFields(current(), block.fields.map((f) => ({ name: fitEscaped(nonBlank(escaped(f.label, DISCORD_LIMITS.fieldName)), DISCORD_LIMITS.fieldName), value: fitEscaped(nonBlank(escaped(f.value, DISCORD_LIMITS.fieldValue)), DISCORD_LIMITS.fieldValue) })));
        return;
      case 'victim': {
        const total = block.totalIncidents;
        const count = total === null ? '' : ` · ${total} incident${total === 1 ? '' : 's'}`;
        embeds.push({
          color: COLOR,
          title: fitEscaped(escaped(isolate(block.victim.name), DISCORD_LIMITS.embedTitle), DISCORD_LIMITS.embedTitle),
          // The verdict first: whether this victim was breached again, before the incidents that say so.
          description: fitEscaped(`${block.repeat ? `**${escaped(block.repeat, 1000)}**\n` : ''}${escaped(`${block.victim.description}${count}`, DISCORD_LIMITS.embedDescription)}`, DISCORD_LIMITS.embedDescription),
          fields: block.incidents.slice(0, DISCORD_LIMITS.fields).map(incidentField),
          ...(block.timeline ? { image: { url: `attachment://${picture(block.timeline)}` } } : {}),
        });
        return;
      }
      case 'actions':
        for (const a of block.actions) {
          const customId = `${BUTTON_PREFIX}${a.command}`;
          // A button needs a label; one whose command would not fit is left out, never cut.
          if (customId.length <= DISCORD_LIMITS.customId && balancedBidi(a.label).trim() !== '') buttons.push(button(a.label, customId, a.style === 'primary' ? 1 : 2));
        }
        return;
    }
  }
}

function incidentField(i: IncidentSummary): { name: string; value: string } {
  const name = fitEscaped(escaped([i.reference, i.period, i.marking, i.vendor && isolate(i.vendor)].filter(Boolean).join(' · '), DISCORD_LIMITS.fieldName), DISCORD_LIMITS.fieldName);
  const allFacts = [i.impact && `Impact: ${i.impact}`, i.motives && `Motives: ${i.motives}`, i.techniques && `ATT&CK: ${i.techniques}`, i.threatActors && `Actors: ${isolate(i.threatActors)}`]
    .filter(Boolean).map((f) => escaped(f, DISCORD_LIMITS.fieldValue)).join(' · ');
  // Links are kept whole: as many as fit, after the title and facts; the summary gives way first.
  const links: string[] = [];
  for (const [n, url] of i.sources.entries()) {
    const link = discordLink(url, `source ${n + 1}`);
    if ([...links, link].join(' · ').length > 400) break;
    links.push(link);
  }
  const title = `**${escapeDiscord(isolate(fitText(i.title, 150)))}**`;
  // The facts give way before the links, so no link is ever cut in half.
  const facts = fitEscaped(allFacts, Math.max(0, DISCORD_LIMITS.fieldValue - title.length - links.join(' · ').length - 2));
  const fixed = [title, facts, links.join(' · ')].filter(Boolean).join('\n');
  const room = DISCORD_LIMITS.fieldValue - fixed.length - 1;
  const summary = room > 20 ? fitEscaped(escaped(isolate(i.summary), room), room) : '';
  return { name, value: cutText([title, summary, facts, links.join(' · ')].filter(Boolean).join('\n'), DISCORD_LIMITS.fieldValue) };
}

/** Discord refuses an empty field name or value; an em dash stands in. */
function nonBlank(text: string): string {
  return text.trim() === '' ? '—' : text;
}

/**
 * Escapes no more than can be shown: escaping only lengthens text, and discord.js's
 * escapeMarkdown takes seconds on tens of thousands of characters.
 */
function escaped(text: string, max: number): string {
  return escapeDiscord(cutText(text, max + 1));
}

/** Shortens escaped text without leaving a dangling backslash. */
function fitEscaped(text: string, max: number): string {
  const cut = fitText(text, max);
  return cut.replace(/\\+…$/, (m) => (m.length % 2 === 0 ? m : m.slice(1)));
}

function button(label: string, customId: string, style: 1 | 2): DiscordButton {
  return { type: 2, style, label: balancedBidi(fitText(label, DISCORD_LIMITS.buttonLabel)), custom_id: customId };
}

/** Keeps the message under 6,000 characters: drops trailing incident fields, then embeds, saying so. */
function fitTotal(embeds: DiscordEmbed[]): DiscordEmbed[] {
  const size = (e: DiscordEmbed) => (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0)
    + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
  const total = () => embeds.reduce((n, e) => n + size(e), 0);
  let dropped = 0;
  while (total() > DISCORD_LIMITS.total - 100) {
    const last = embeds[embeds.length - 1]!;
    if (last.fields && last.fields.length > 0) last.fields.pop();
    else embeds.pop();
    dropped += 1;
  }
  if (dropped > 0 && embeds.length > 0) {
    const last = embeds[embeds.length - 1]!;
    last.footer = { text: fitText(`${last.footer?.text ? `${last.footer.text} · ` : ''}More not shown here; use the buttons or narrow the query.`, 200) };
  }
  return embeds;
}
