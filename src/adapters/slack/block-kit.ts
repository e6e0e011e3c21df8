import { balancedBidi, cutWithinPairs, isolate } from '../../presentation/bidi-isolation.js';
import type { Block, IncidentSummary, Message } from '../../presentation/message.js';
import { cutText, fitText } from '../../chat/text.js';
import { escapeMrkdwn, mrkdwnLink } from './mrkdwn.js';
import { timelineAlt, timelineText } from '../../presentation/victim-timeline.js';
import type { Timeline } from '../../presentation/victim-timeline.js';

/** Block Kit's limits (api.slack.com/reference/block-kit). */
export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  contextText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  buttonText: 75,
  buttonValue: 2000,
  buttonsPerActions: 25,
  fallbackText: 3000,
  imageAltText: 2000,
  imageTitle: 2000,
} as const;

/** A Block Kit block, loosely typed: the Web API takes JSON. */
export type SlackBlock = Record<string, unknown>;

export interface SlackMessage {
  blocks: SlackBlock[];
  /** Plain-text fallback for notifications and clients without blocks. */
  text: string;
}

export const ACTION_PREFIX = 'bd_';

/**
 * Renders a neutral message as Block Kit. Every limit holds whatever the text:
 * sections are shortened at a word, an incident list becomes one section per
 * incident, and past 50 blocks the rest is replaced by a line saying so. A victim's
 * timeline is an image block where `pictures` holds its uploaded file (timeline key →
 * file id, timeline-upload.ts), else a line of text in a context block.
 */
export function renderBlockKit(message: Message, extraActions: { label: string; actionId: string; value: string }[] = [], pictures: ReadonlyMap<string, string> = new Map()): SlackMessage {
  const blocks: SlackBlock[] = [];
  let actionIndex = 0;
  for (const block of message.blocks) blocks.push(...renderBlock(block));
  if (extraActions.length > 0) {
    blocks.push({ type: 'actions', elements: extraActions.map((a) => button(a.label, a.actionId, a.value)) });
  }
  // The fallback is mrkdwn too (notifications parse it), so it is escaped like the rest.
  return { blocks: capBlocks(blocks), text: fitMrkdwn(escapeMrkdwn(message.fallback), SLACK_LIMITS.fallbackText) };

  function renderBlock(block: Block): SlackBlock[] {
    // Slack refuses a whole message for one empty text object: blank text is left out.
    if ((block.type === 'heading' || block.type === 'text' || block.type === 'context') && blank(block.text)) return [];
    switch (block.type) {
      case 'heading':
        return [{ type: 'header', text: plain(fitText(block.text, SLACK_LIMITS.headerText)) }];
      case 'text':
        return [section(escapeMrkdwn(block.text))];
      case 'context':
        return [{ type: 'context', elements: [mrkdwn(fitMrkdwn(escapeMrkdwn(block.text), SLACK_LIMITS.contextText))] }];
      case 'divider':
        return [{ type: 'divider' }];
      case 'fields':
        return chunk(block.fields, SLACK_LIMITS.fieldsPerSection).map((fields) => ({
          type: 'section',
          fields: fields.map((f) => mrkdwn(fitMrkdwn(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, SLACK_LIMITS.fieldText))),
        }));
      case 'victim': {
        const total = block.totalIncidents;
        const count = total === null ? '' : ` · ${total} incident${total === 1 ? '' : 's'}`;
        return [
          section(`*${escapeMrkdwn(isolate(block.victim.name))}*  ${escapeMrkdwn(block.victim.description)}${count}`),
          // The verdict first: whether this victim was breached again, before the incidents that say so.
          ...(block.repeat ? [section(`:warning: *${escapeMrkdwn(block.repeat)}*`)] : []),
          ...(block.timeline ? [timelineBlock(block.timeline, pictures.get(block.timeline.key))] : []),
          ...block.incidents.map((i) => section(incidentText(i))),
        ];
      }
      case 'actions':
        return chunk(block.actions.filter((a) => !blank(a.label)), SLACK_LIMITS.buttonsPerActions).map((actions) => ({
          type: 'actions',
          elements: actions.map((a) => ({ ...button(a.label, `${ACTION_PREFIX}${actionIndex++}`, a.command), ...(a.style ? { style: a.style } : {}) })),
        }));
    }
  }
}

function timelineBlock(t: Timeline, fileId: string | undefined): SlackBlock {
  if (!fileId) return { type: 'context', elements: [mrkdwn(fitMrkdwn(escapeMrkdwn(timelineText(t)), SLACK_LIMITS.contextText))] };
  return { type: 'image', slack_file: { id: fileId }, alt_text: fitText(timelineAlt(t), SLACK_LIMITS.imageAltText), title: plain(fitText(`Timeline of ${isolate(t.victimName)}`, SLACK_LIMITS.imageTitle)) };
}

function incidentText(i: IncidentSummary): string {
  const head = [`*${i.reference}*`, escapeMrkdwn(i.period), i.marking && `*${i.marking}*`, i.vendor && escapeMrkdwn(isolate(i.vendor))].filter(Boolean).join(' · ');
  const facts = [
    i.impact && `Impact: ${escapeMrkdwn(i.impact)}`,
    i.motives && `Motives: ${escapeMrkdwn(i.motives)}`,
    i.techniques && `ATT&amp;CK: ${escapeMrkdwn(i.techniques)}`,
    i.threatActors && `Actors: ${escapeMrkdwn(isolate(i.threatActors))}`,
  ].filter(Boolean).join('  ·  ');
  const sources = i.sources.map((url, n) => mrkdwnLink(url, `source ${n + 1}`)).join(' · ');
  // The summary gives way first, so the reference, facts and links always show.
  const fixed = [head, `*${escapeMrkdwn(isolate(fitText(i.title, 200)))}*`, facts, sources].filter(Boolean);
  const room = SLACK_LIMITS.sectionText - fixed.join('\n').length - 2;
  const summary = escapeMrkdwn(isolate(i.summary));
  const lines = [fixed[0], fixed[1], room > 20 ? fitMrkdwn(summary, room) : '', ...fixed.slice(2)].filter(Boolean);
  return lines.join('\n');
}

function section(text: string): SlackBlock {
  return { type: 'section', text: mrkdwn(fitMrkdwn(text, SLACK_LIMITS.sectionText)) };
}

function button(label: string, actionId: string, value: string): SlackBlock {
  return { type: 'button', text: plain(fitText(label, SLACK_LIMITS.buttonText)), action_id: actionId, value: cutText(value, SLACK_LIMITS.buttonValue) };
}

const plain = (text: string) => ({ type: 'plain_text', text: balancedBidi(text), emoji: true });
/** Text that shows nothing once open direction controls are taken out: Slack refuses an empty text object. */
const blank = (text: string) => balancedBidi(text).trim() === '';
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text, verbatim: true });

/** Shortens escaped mrkdwn without cutting an entity (`&amp;`) or a link in half. */
export function fitMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = fitText(text, max);
  // A cut inside an entity or a <link|label> would leave broken markup: back off to before it,
  // closing any isolate the cut left open (there is room: the cut took more than that away).
  const backOff = (end: number) => `${cutWithinPairs(text, max - 1, cut.slice(0, end).trimEnd().length)}…`;
  const openEntity = cut.lastIndexOf('&');
  if (openEntity > cut.lastIndexOf(';')) cut = backOff(openEntity);
  const openLink = cut.lastIndexOf('<');
  if (openLink > cut.lastIndexOf('>')) cut = backOff(openLink);
  return cut;
}

function capBlocks(blocks: SlackBlock[]): SlackBlock[] {
  if (blocks.length <= SLACK_LIMITS.blocks) return blocks;
  const kept = blocks.slice(0, SLACK_LIMITS.blocks - 1);
  return [...kept, { type: 'context', elements: [mrkdwn(`${blocks.length - kept.length} more blocks not shown; narrow the query.`)] }];
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
