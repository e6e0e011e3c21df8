import { createHash } from 'node:crypto';
import type { IncidentOutline } from '../incidents/incident-view.js';
import { daysBetween, formatPartialDate, periodEnd } from '../incidents/partial-date.js';
import type { PartialDate } from '../incidents/partial-date.js';
import { certaintyOf } from '../incidents/repeat-window.js';
import type { Certainty } from '../incidents/repeat-window.js';

// What a victim's timeline shows, as data: built from the incidents the viewer may
// see (the caller's lookup filtered them), drawn as a picture (timeline-svg.ts), as
// one line of text, and told in words for the picture's alt text.

/** One incident on the time axis. */
export interface TimelineMark {
  reference: string;
  started: PartialDate;
  /** Last day the start covers: a year-only start covers the whole year. */
  startedUntil: string;
  ended: PartialDate | null;
  vendor: string | null;
}

/** Incidents one after another within the repeat window: a shaded span on the picture. */
export interface RepeatSpan {
  /** First day of the first incident's start, last day of the last one's start. */
  from: string;
  until: string;
  /** Certain only when every step of the chain is certain. */
  certainty: Certainty;
  references: string[];
  /** The vendor (or, when none, the ATT&CK technique) every incident of the span shares. */
  shared: string | null;
}

export interface Timeline {
  /** The cache key: the victim and exactly what is drawn (incidents' ids and revisions included). */
  key: string;
  victimName: string;
  windowDays: number;
  /** Oldest first; the newest is on the right. */
  marks: TimelineMark[];
  repeats: RepeatSpan[];
  /** Older incidents left out of the picture (past TIMELINE_MAX). */
  omitted: number;
}

/** Incidents drawn at most: the newest ones. */
export const TIMELINE_MAX = 200;

/**
 * The timeline of a victim over the incidents given, which must be only those the
 * viewer may see: nothing else reaches the picture, its text or its alt text.
 *
 * @example victimTimeline(odessa, [inc2020, inc2019], 365).repeats // [{ references: ['INC-2019-0001', 'INC-2020-0001'], shared: 'Click2Gov', … }]
 */
export function victimTimeline(victim: { id: number; name: string }, incidents: readonly IncidentOutline[], windowDays: number): Timeline {
  const sorted = [...incidents].sort((a, b) => a.started.on.localeCompare(b.started.on) || a.id - b.id);
  const drawn = sorted.slice(Math.max(0, sorted.length - TIMELINE_MAX));
  const marks = drawn.map((i): TimelineMark => ({ reference: i.reference, started: i.started, startedUntil: i.startedUntil, ended: i.ended, vendor: i.vendor }));
  const repeats = repeatSpans(drawn, windowDays);
  const omitted = sorted.length - drawn.length;
  const drawnContent = JSON.stringify([victim.name, windowDays, omitted, marks, repeats, drawn.map((i) => [i.id, i.revision])]);
  const key = `v${victim.id}-${createHash('sha256').update(drawnContent).digest('hex').slice(0, 20)}`;
  return { key, victimName: victim.name, windowDays, marks, repeats, omitted };
}

/** Runs of incidents each within the window of the one before, by the one repeat rule. */
function repeatSpans(sorted: readonly IncidentOutline[], windowDays: number): RepeatSpan[] {
  const spans: RepeatSpan[] = [];
  let run: IncidentOutline[] = [];
  let certainty: Certainty = 'certain';
  const close = () => {
    if (run.length > 1) {
      spans.push({ from: run[0]!.started.on, until: run[run.length - 1]!.startedUntil, certainty, references: run.map((i) => i.reference), shared: sharedBy(run) });
    }
  };
  for (const incident of sorted) {
    const previous = run[run.length - 1];
    const step = previous ? certaintyOf(previous, incident, windowDays) : null;
    if (previous && step) {
      run.push(incident);
      if (step === 'possible') certainty = 'possible';
      continue;
    }
    close();
    run = [incident];
    certainty = 'certain';
  }
  close();
  return spans;
}

function sharedBy(run: readonly IncidentOutline[]): string | null {
  const vendor = run[0]!.vendor;
  if (vendor && run.every((i) => i.vendor?.toLowerCase() === vendor.toLowerCase())) return vendor;
  const technique = run[0]!.techniques.find((t) => run.every((i) => i.techniques.includes(t)));
  return technique ?? null;
}

/** The last day a mark covers: its end's last day, or its start's. */
export function markUntil(mark: TimelineMark): string {
  const end = mark.ended ? periodEnd(mark.ended) : mark.startedUntil;
  return end > mark.startedUntil ? end : mark.startedUntil;
}

/** "2019-08-27 – 2019-10-14", "2020-04 – 2020-06", "2014". */
export function markPeriod(mark: TimelineMark): string {
  const start = formatPartialDate(mark.started);
  const end = mark.ended ? formatPartialDate(mark.ended) : null;
  return end && end !== start ? `${start} – ${end}` : start;
}

/** A start known only to the month or the year: drawn as the whole month or year. */
export function isPartial(mark: TimelineMark): boolean {
  return mark.started.precision !== 'day';
}

/** "both through Click2Gov", "all 3 T1190". */
export function sharedWords(span: RepeatSpan): string | null {
  if (!span.shared) return null;
  const n = span.references.length;
  return `${n === 2 ? 'both' : `all ${n}`} ${/^T\d{4}/.test(span.shared) ? 'used' : 'through'} ${span.shared}`;
}

const MONTH = 30.44;

/**
 * The timeline as one line of text, by year: "2019 ▮━━━━━━━ 2020 ▯". ▮ is an incident
 * whose start day is known, ▯ one known only to the month or year; the dashes grow
 * with the months between (a long gap says its years).
 */
export function timelineText(t: Timeline): string {
  const years = new Map<string, TimelineMark[]>();
  for (const m of t.marks) years.set(m.started.on.slice(0, 4), [...(years.get(m.started.on.slice(0, 4)) ?? []), m]);
  const parts: string[] = [];
  let last: TimelineMark | null = null;
  for (const [year, marks] of years) {
    if (last) {
      const months = Math.max(0, daysBetween(last.started.on, marks[0]!.started.on) / MONTH);
      // Many years make a long line: then a gap is at most three dashes.
      const dashes = '━'.repeat(Math.min(years.size > 4 ? 3 : 12, Math.max(1, Math.round(months))));
      parts.push(months >= 24 ? `${dashes} ${Math.round(months / 12)} years ${dashes}` : dashes);
    }
    const glyphs = marks.map((m) => (isPartial(m) ? '▯' : '▮'));
    parts.push(`${parts.length ? ' ' : ''}${year} ${glyphs.length > 6 ? `${glyphs.slice(0, 3).join('')}…×${glyphs.length}` : glyphs.join('')}`);
    last = marks[marks.length - 1]!;
  }
  return `${t.omitted > 0 ? `… ` : ''}${parts.join('')}`;
}

/** Incidents named one by one in the alt text; the rest are counted. */
const ALT_NAMED = 10;

/** What the picture shows, in words, for screen readers and wherever the picture is not. */
export function timelineAlt(t: Timeline): string {
  const n = t.marks.length;
  const first = t.marks[0]?.started.on.slice(0, 4);
  const last = t.marks[n - 1]?.started.on.slice(0, 4);
  const head = `Timeline of ${t.victimName}: ${n} incident${n === 1 ? '' : 's'}${first ? (first === last ? ` in ${first}` : ` from ${first} to ${last}`) : ''}, oldest on the left.`;
  const named = t.marks.slice(-ALT_NAMED).map((m) => {
    const partial = isPartial(m) ? ` (start known only to the ${m.started.precision})` : '';
    return `${m.reference}: ${markPeriod(m)}${partial}${m.vendor ? `, through ${m.vendor}` : ''}.`;
  });
  const older = n > ALT_NAMED ? [`${n - ALT_NAMED} older incidents not named here.`] : [];
  const spans = t.repeats.map((s) => {
    const shared = sharedWords(s);
    return `Shaded: ${s.certainty === 'certain' ? 'repeat' : 'possible repeat'} within ${t.windowDays} days, ${s.references.join(' → ')}${shared ? `, ${shared}` : ''}.`;
  });
  const omitted = t.omitted > 0 ? [`${t.omitted} older incidents are not drawn.`] : [];
  return [head, ...older, ...named, ...spans, ...omitted].join(' ');
}
