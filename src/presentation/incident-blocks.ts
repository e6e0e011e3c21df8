import type { Incident, IncidentOutline, Victim } from '../incidents/incident-view.js';
import { daysBetween, formatPartialDate } from '../incidents/partial-date.js';
import { formatPlace } from '../incidents/places.js';
import type { RepeatVerdict } from '../incidents/repeat-breach.js';
import { victimVerdict } from '../incidents/victim-verdict.js';
import type { VictimVerdict } from '../incidents/victim-verdict.js';
import { tlpLabel } from '../trust/tlp.js';
import { isolate } from './bidi-isolation.js';
import { victimTimeline } from './victim-timeline.js';
import type { Block, IncidentSummary, VictimSummary } from './message.js';

// How incidents and victims read in every chat surface, before rendering. People's
// text put among our words is isolated (see bidi-isolation.ts); fields of their own
// are isolated by each renderer.

export function victimSummary(v: Victim): VictimSummary {
  return { id: v.id, name: v.name, description: [v.kind, isolate(formatPlace(v))].filter(Boolean).join(' · ') };
}

export function period(i: Incident): string {
  const start = formatPartialDate(i.started);
  const end = i.ended ? formatPartialDate(i.ended) : null;
  return end && end !== start ? `${start} – ${end}` : start;
}

export function incidentSummary(i: Incident): IncidentSummary {
  return {
    reference: i.reference,
    period: period(i),
    marking: i.tlp === 'clear' ? null : tlpLabel(i.tlp),
    title: i.title,
    summary: i.summary,
    vendor: i.vendor,
    impact: i.impact.join(', '),
    motives: i.motives.join(', '),
    techniques: i.techniques.join(', '),
    threatActors: i.threatActors.join(', '),
    sources: i.sources,
  };
}

/**
 * A victim with a page of its incidents, led by its repeat status. `allIncidents`, when
 * given (every incident of the victim the viewer may see), draws its timeline; a victim
 * of one incident has none worth drawing.
 */
export function victimBlock(victim: Victim, incidents: Incident[], totalIncidents: number | null, windowDays?: number, allIncidents?: IncidentOutline[]): Block {
  const repeat = windowDays === undefined ? null : victimVerdict(allIncidents ?? incidents, windowDays);
  const timeline = windowDays !== undefined && allIncidents && allIncidents.length > 1 ? victimTimeline(victim, allIncidents, windowDays) : null;
  return { type: 'victim', victim: victimSummary(victim), incidents: incidents.map(incidentSummary), totalIncidents, repeat: repeat && repeatLine(repeat), ...(timeline ? { timeline } : {}) };
}

/**
 * A victim's repeat status in words, the same in every surface: "Repeat victim — 2
 * incidents within 365 days (INC-2019-0001 → INC-2020-0001, 8 months apart), both
 * through Click2Gov"; "Possible repeat victim — …" when only partial dates put them there.
 */
export function repeatLine(r: VictimVerdict): string {
  const n = r.incidents.length;
  const head = r.certainty === 'certain' ? 'Repeat victim' : 'Possible repeat victim';
  const within = r.certainty === 'certain' ? `within ${r.verdict.windowDays} days` : `that may lie within ${r.verdict.windowDays} days`;
  const refs = r.incidents.map((i) => i.reference).join(' → ');
  const apart = r.certainty === 'possible' ? r.verdict.possibleBecause ?? 'dates known only in part' : `${spanWords(r.daysApart)} apart`;
  const vendors = r.verdict.sharedVendors;
  const through = vendors.length > 0 ? `, ${n === 2 ? 'both' : 'all'} through ${vendors.map(isolate).join(' and ')}` : '';
  return `${head} — ${n} incidents ${within} (${refs}, ${apart})${through}`;
}

/** 12 days, 3 weeks, 8 months. */
function spanWords(days: number): string {
  if (days < 21) return `${days} day${days === 1 ? '' : 's'}`;
  if (days < 60) return `${Math.round(days / 7)} weeks`;
  return `${Math.round(days / 30.44)} months`;
}

/** The repeat-breach verdict as text lines: headline, other incidents with the gap, what they share. */
export function verdictBlocks(incident: Incident, verdict: RepeatVerdict): Block[] {
  if (!verdict.isRepeat) return [{ type: 'context', text: `No repeat breach: the ${verdict.headline}.` }];
  const shared = sharedLines(verdict);
  return [
    { type: 'heading', text: `Repeat breach: ${verdict.headline}` },
    { type: 'text', text: otherIncidentLines(incident, verdict).join('\n') },
    ...(shared.length ? [{ type: 'fields', fields: [{ label: 'Shared', value: shared.join('\n') }] } as Block] : []),
  ];
}

/** The victim's other incidents in the window, with the gap between the starts. */
export function otherIncidentLines(incident: Incident, verdict: RepeatVerdict): string[] {
  return verdict.others.map((o) => {
    const when = o.started.on <= incident.started.on ? 'earlier' : 'later';
    return `${o.reference} · ${period(o)} · ${isolate(o.title)} (started ${gapDays(o, incident)} days ${when})`;
  });
}

/** What the incidents share: "Click2Gov — also in INC-2019-0001 (2019)", techniques, actors. */
export function sharedLines(verdict: RepeatVerdict): string[] {
  return [
    ...verdict.sharedVendors.map((v) => `${isolate(v)} — also in ${verdict.others.filter((o) => o.vendor?.toLowerCase() === v.toLowerCase()).map((o) => `${o.reference} (${o.started.on.slice(0, 4)})`).join(', ')}`),
    ...(verdict.sharedTechniques.length ? [`ATT&CK ${verdict.sharedTechniques.join(', ')} seen again`] : []),
    ...(verdict.sharedThreatActors.length ? [`${verdict.sharedThreatActors.map(isolate).join(', ')} again`] : []),
  ];
}

/** Days between the starts of two incidents (0 when their intervals overlap). */
export function gapDays(a: Incident, b: Incident): number {
  const [first, second] = a.started.on <= b.started.on ? [a, b] : [b, a];
  return Math.max(0, daysBetween(first.startedUntil, second.started.on));
}
