import { balancedBidi, isolate } from '../../presentation/bidi-isolation.js';
import type { Block, IncidentSummary, Message } from '../../presentation/message.js';
import { timelineText } from '../../presentation/victim-timeline.js';

// ANSI styles: open and close codes. The renderer decides on colour itself (a
// terminal, and no NO_COLOR), so it writes the codes directly.
const STYLES = { bold: [1, 22], dim: [2, 22], cyan: [36, 39], yellow: [33, 39], blue: [34, 39] } as const;
type Style = keyof typeof STYLES;

export interface TerminalStyle {
  color: boolean;
}

/**
 * Anything a person wrote is shown as text: control characters (escape sequences) are
 * dropped, and direction controls left open on their line.
 */
export function terminalSafe(text: string): string {
  return balancedBidi(text.replace(/[^\P{Cc}\n]/gu, ''));
}

/**
 * Renders a message for a terminal: colour when it is one, plain text otherwise.
 * Buttons become numbered lines; typing the number runs them.
 */
export function renderForTerminal(message: Message, style: TerminalStyle): string {
  const paint = (s: Style, text: string) => (style.color ? `\u001b[${STYLES[s][0]}m${text}\u001b[${STYLES[s][1]}m` : text);
  const lines: string[] = [];
  let actionNumber = 0;
  for (const block of message.blocks) lines.push(...renderBlock(block));
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();

  function renderBlock(block: Block): string[] {
    switch (block.type) {
      case 'heading':
        return ['', paint('bold', terminalSafe(block.text))];
      case 'text':
        return [terminalSafe(block.text)];
      case 'fields':
        return block.fields.flatMap((f) => [paint('bold', terminalSafe(f.label)), ...terminalSafe(f.value).split('\n').map((l) => `  ${l}`)]);
      case 'context':
        return [paint('dim', terminalSafe(block.text))];
      case 'divider':
        return ['—'.repeat(40)];
      case 'victim': {
        const total = block.totalIncidents;
        const count = total === null ? '' : ` · ${total} incident${total === 1 ? '' : 's'}${total > block.incidents.length ? `, showing ${block.incidents.length}` : ''}`;
        return [
          '',
          `${paint('bold', terminalSafe(isolate(block.victim.name)))} ${paint('dim', `· ${terminalSafe(block.victim.description)}${count}`)}`,
          ...(block.repeat ? [paint('yellow', `  ${terminalSafe(block.repeat)}`)] : []),
          // A terminal shows no picture: the timeline in one line.
          ...(block.timeline ? [paint('dim', `  ${terminalSafe(timelineText(block.timeline))}`)] : []),
          ...block.incidents.flatMap(renderIncident),
        ];
      }
      case 'actions':
        return block.actions.map((a) => paint('cyan', `  ${++actionNumber}) ${terminalSafe(a.label)}`));
    }
  }

  function renderIncident(i: IncidentSummary): string[] {
    const facts = [
      i.vendor && `vendor ${isolate(i.vendor)}`,
      i.impact && `impact ${i.impact}`,
      i.motives && `motives ${i.motives}`,
      i.techniques && `ATT&CK ${i.techniques}`,
      i.threatActors && `actors ${isolate(i.threatActors)}`,
    ].filter(Boolean).join(' · ');
    return [
      `  ${paint('yellow', i.reference)}  ${i.period}${i.marking ? `  ${paint('bold', i.marking)}` : ''}  ${terminalSafe(isolate(i.title))}`,
      `    ${terminalSafe(isolate(i.summary)).replace(/\n/g, '\n    ')}`,
      ...(facts ? [paint('dim', `    ${terminalSafe(facts)}`)] : []),
      ...i.sources.map((s) => paint('blue', `    ${terminalSafe(s)}`)),
    ];
  }
}

/** The commands behind the numbered buttons of a rendered message, in order. */
export function numberedActions(message: Message): string[] {
  return message.blocks.flatMap((b) => (b.type === 'actions' ? b.actions.map((a) => a.command) : []));
}
