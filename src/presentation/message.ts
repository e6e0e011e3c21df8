import type { Timeline } from './victim-timeline.js';

/**
 * The neutral message model: what a command answers, before any platform renders
 * it. Slack makes Block Kit of it, Discord embeds and components, the shell text.
 * Text here is plain text exactly as people wrote it; each renderer escapes it for
 * its own markup, so a victim named `<!channel>` or `@everyone` pings nobody.
 */
export interface Message {
  blocks: Block[];
  /** A one-line summary for notifications and screen readers. */
  fallback: string;
}

export type Block =
  | { type: 'heading'; text: string }
  | { type: 'text'; text: string }
  /** Short label/value pairs shown side by side where the platform can. */
  | { type: 'fields'; fields: Field[] }
  /** One victim with a page of its incidents; `totalIncidents` null when not worth saying. */
  | {
    type: 'victim'; victim: VictimSummary; incidents: IncidentSummary[]; totalIncidents: number | null;
    /** The victim's repeat status, first (presentation/incident-blocks.ts `repeatLine`). */
    repeat?: string | null;
    /** The victim's incidents on a time axis, as the viewer may see them: a picture where the platform takes one, a line of text elsewhere. */
    timeline?: Timeline | null;
  }
  /** A small, muted line: counts, hints, provenance. */
  | { type: 'context'; text: string }
  | { type: 'divider' }
  | { type: 'actions'; actions: Action[] };

export interface Field {
  label: string;
  value: string;
}

export interface VictimSummary {
  id: number;
  name: string;
  /** "city · Odessa, TX, US" */
  description: string;
}

export interface IncidentSummary {
  reference: string;
  /** "2020-04 – 2020-06" */
  period: string;
  /** "TLP:AMBER": shown beside every incident not marked CLEAR. */
  marking?: string | null;
  title: string;
  summary: string;
  vendor: string | null;
  /** "confidentiality, availability" or "" */
  impact: string;
  motives: string;
  techniques: string;
  threatActors: string;
  sources: string[];
}

/**
 * A button. Pressing it runs `command` (the text after `/incident`) as the person
 * who pressed it, so a button is only a pre-typed command: "Next page" is
 * `more <cursor> odessa`. Commands kept short enough for every platform's button
 * payload (Discord allows 100 characters) — see MAX_ACTION_COMMAND.
 */
export interface Action {
  label: string;
  command: string;
  style?: 'primary' | 'danger';
}

/** Longest button command every platform can carry (Discord's custom_id is 100, less our prefix). */
export const MAX_ACTION_COMMAND = 90;

/** Buttons whose command would not fit a platform's payload are left out, never cut. */
export function actions(...candidates: (Action | null | undefined | false)[]): Block | null {
  const fitting = candidates.filter((a): a is Action => !!a && a.command.length <= MAX_ACTION_COMMAND);
  return fitting.length > 0 ? { type: 'actions', actions: fitting.slice(0, 5) } : null;
}

/** A message from blocks, dropping the nulls that optional parts leave. */
export function message(fallback: string, ...blocks: (Block | null | undefined | false)[]): Message {
  return { fallback, blocks: blocks.filter((b): b is Block => !!b) };
}

/** A message of one paragraph. */
export function textMessage(text: string): Message {
  return message(text, { type: 'text', text });
}
