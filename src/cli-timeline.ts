import { UserError } from './errors.js';
import type { Ledger } from './ledger.js';
import type { Victim } from './incidents/incident-view.js';
import { victimVerdict } from './incidents/victim-verdict.js';
import { repeatLine } from './presentation/incident-blocks.js';
import { TIMELINE_MAX, timelineAlt, timelineText, victimTimeline } from './presentation/victim-timeline.js';
import type { Timeline } from './presentation/victim-timeline.js';
import type { Viewer } from './trust/tlp.js';

/** What `breachdesk timeline <victim>` draws: the victim, its timeline, and its repeat status in words. */
export interface VictimTimelineView {
  victim: Victim;
  timeline: Timeline;
  repeat: string | null;
}

/**
 * The timeline of the victim a typed name (or `#12`) means, over the incidents `viewer`
 * may see. A name that matches no victim, or several, is a refusal that says so.
 */
export async function victimTimelineView(ledger: Ledger, typed: string, viewer: Viewer): Promise<VictimTimelineView> {
  const id = /^#(\d{1,9})$/.exec(typed)?.[1];
  let victimId: number;
  if (id) victimId = Number(id);
  else {
    const resolution = await ledger.resolveVictim({ name: typed }, viewer);
    if (resolution.status === 'matched') victimId = resolution.victim.id;
    else {
      // Part of a name ("odessa") finds the victim as a lookup in chat does.
      const page = await ledger.search(typed, { limit: 5, viewer });
      // Of near names ("Odesa International Airport" for "odessa"), the one that holds the typed words is meant.
      const holding = page.hits.filter((h) => h.victim.name.toLowerCase().includes(typed.toLowerCase()));
      const [only, ...more] = holding.length === 1 ? holding : page.hits;
      if (!only) throw new UserError(`victim: no victim called "${typed}" is in the ledger.`, 'unknown_victim');
      if (more.length > 0) {
        throw new UserError(`victim: "${typed}" could be ${page.hits.map((h) => `${h.victim.name} (#${h.victim.id})`).join(' or ')}; name one exactly, or give #id.`, 'victim_needs_confirmation');
      }
      victimId = only.victim.id;
    }
  }
  const [victim] = await ledger.victims([victimId]);
  const incidents = victim ? (await ledger.outlines([victimId], TIMELINE_MAX, viewer)).get(victimId)! : [];
  if (!victim || incidents.length === 0) throw new UserError(`victim: no victim ${id ? `#${id}` : `called "${typed}"`} with incidents to draw is in the ledger.`, 'unknown_victim');
  const verdict = victimVerdict(incidents, ledger.windowDays);
  return { victim, timeline: victimTimeline(victim, incidents, ledger.windowDays), repeat: verdict && repeatLine(verdict) };
}

/** The timeline for a terminal: the victim, its repeat status, the line of text. */
export function timelineCliText(view: VictimTimelineView, pngFile: string | null): string {
  return [
    `${view.victim.name} · ${view.timeline.marks.length} incident${view.timeline.marks.length === 1 ? '' : 's'}`,
    ...(view.repeat ? [view.repeat] : []),
    timelineText(view.timeline),
    ...(pngFile ? [`Wrote the picture to ${pngFile}.`] : []),
  ].join('\n');
}

/** `--json`: the timeline as programs read it. */
export function timelineJson(view: VictimTimelineView, pngFile: string | null) {
  const t = view.timeline;
  return {
    victim: { id: view.victim.id, name: view.victim.name },
    repeat: view.repeat,
    text: timelineText(t),
    alt: timelineAlt(t),
    windowDays: t.windowDays,
    incidents: t.marks.map((m) => ({ reference: m.reference, started: m.started, startedUntil: m.startedUntil, ended: m.ended, vendor: m.vendor })),
    repeats: t.repeats,
    omitted: t.omitted,
    png: pngFile,
  };
}
