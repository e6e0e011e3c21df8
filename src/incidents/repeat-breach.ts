import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { loadIncidents, loadVictims, selectIncidents, toIncident } from './incident-view.js';
import type { Incident, IncidentOutline, Victim } from './incident-view.js';
import { OPERATOR, mayView } from '../trust/tlp.js';
import { certaintyOf, inRepeatWindow, possibleBecause } from './repeat-window.js';
import type { Certainty } from './repeat-window.js';
import type { Viewer } from '../trust/tlp.js';

/**
 * Whether an incident makes its victim a repeat victim: the victim's other
 * incidents within the repeat window (src/incidents/repeat-window.ts), certainly or
 * possibly.
 */
export interface RepeatVerdict<T extends IncidentOutline = Incident> {
  isRepeat: boolean;
  windowDays: number;
  /** Certain when some other incident surely lies within the window; possible when only partial dates allow it. */
  certainty: Certainty | null;
  /** This incident's place among the victim's incidents in the window: 2 for the 2nd. */
  ordinal: number;
  /** "2nd incident within 365 days", "possible repeat: 2nd incident within 365 days (dates known only to the year)", or "first incident within 365 days". */
  headline: string;
  /** The victim's other incidents within the window, oldest first. */
  others: T[];
  /** References among `others` that lie only possibly within the window. */
  possibleOthers: string[];
  /** Why a possible repeat is only possible: "dates known only to the year". */
  possibleBecause: string | null;
  /** Vendors or affected systems seen again: ["Click2Gov"]. */
  sharedVendors: string[];
  /** ATT&CK techniques seen again. */
  sharedTechniques: string[];
  sharedThreatActors: string[];
}

/**
 * The verdict for a stored incident, as `viewer` may see it, counting the other
 * incidents at least as surely within the window as `certainty` (a channel that hears
 * only of certain repeats counts only those). Pass `trx` inside the report's transaction.
 */
export async function repeatVerdict(db: Kysely<Database>, incident: Incident, windowDays: number, viewer: Viewer = OPERATOR, certainty: Certainty = 'possible'): Promise<RepeatVerdict> {
  // One statement: which others, and each as loadIncidents gives it. In a report's
  // transaction it runs while the year's reference counter is held, so a round trip
  // fewer is one less for the next report of that year to wait.
  const rows = await selectIncidents(db)
    .where('i.id', 'in', othersInWindow(db, incident.id, windowDays, viewer, certainty))
    .orderBy('i.started_on', 'asc')
    .orderBy('i.id', 'asc')
    .execute();
  return verdictOf(incident, rows.map(toIncident), windowDays);
}

/**
 * The incident `incidentId` as loadIncidents gives it, with its verdict (as
 * `repeatVerdict`), read in one statement: what a report that joined it answers with.
 * Null when there is no such incident.
 */
export async function incidentWithVerdict(db: Kysely<Database>, incidentId: number, windowDays: number, viewer: Viewer = OPERATOR): Promise<{ incident: Incident; verdict: RepeatVerdict } | null> {
  const rows = await selectIncidents(db)
    .where('i.id', 'in', db.selectNoFrom(sql<number>`${incidentId}::int`.as('id')).unionAll(othersInWindow(db, incidentId, windowDays, viewer, 'possible')))
    .orderBy('i.started_on', 'asc')
    .orderBy('i.id', 'asc')
    .execute();
  const loaded = rows.map(toIncident);
  const incident = loaded.find((i) => i.id === incidentId);
  return incident ? { incident, verdict: verdictOf(incident, loaded.filter((i) => i !== incident), windowDays) } : null;
}

/**
 * The ids of the victim's other incidents within the window of incident `incidentId`, at
 * least as surely as `certainty`, among those `viewer` may see (the repeat rule): a
 * query to run, or to use as a subquery.
 */
export function othersInWindow(db: Kysely<Database>, incidentId: number, windowDays: number, viewer: Viewer, certainty: Certainty) {
  return db
    .selectFrom('incidents as judged')
    .innerJoin('incidents as o', (join) => join.onRef('o.victim_id', '=', 'judged.victim_id').onRef('o.id', '<>', 'judged.id'))
    .select('o.id')
    .where('judged.id', '=', incidentId)
    .where(inRepeatWindow(windowDays, viewer, certainty, 'judged', 'o'));
}

/**
 * The verdict's others among incidents already read (a report's nearby ones, read before
 * it was stored: nearby-incidents.ts): the rule of `othersInWindow` in code — the
 * victim's other incidents possibly within the window, both seen by `viewer` — oldest first.
 */
export function othersAmong<T extends Incident>(incident: Incident, incidents: readonly T[], windowDays: number, viewer: Viewer = OPERATOR): T[] {
  if (!mayView(viewer, incident)) return [];
  return incidents
    .filter((o) => o.victimId === incident.victimId && o.id !== incident.id && mayView(viewer, o) && certaintyOf(incident, o, windowDays) !== null)
    .sort((a, b) => a.started.on.localeCompare(b.started.on) || a.id - b.id);
}

export function verdictOf<T extends IncidentOutline>(incident: T, others: T[], windowDays: number): RepeatVerdict<T> {
  const ordinal = others.length + 1;
  const possibleOthers = others.filter((o) => certaintyOf(incident, o, windowDays) === 'possible');
  const certainty: Certainty | null = others.length === 0 ? null : possibleOthers.length < others.length ? 'certain' : 'possible';
  // Named as the earlier records spell it: "Click2Gov", whatever the new one typed.
  const shared = (values: (i: T) => string[]) => {
    const mine = new Set(values(incident).map((v) => v.toLowerCase()));
    const seen = new Map<string, string>();
    for (const v of others.flatMap(values)) if (mine.has(v.toLowerCase()) && !seen.has(v.toLowerCase())) seen.set(v.toLowerCase(), v);
    return [...seen.values()];
  };
  const headline = certainty === null ? `first incident within ${windowDays} days`
    : certainty === 'certain' ? `${ordinalWord(ordinal)} incident within ${windowDays} days`
      : `possible repeat: ${ordinalWord(ordinal)} incident within ${windowDays} days (${possibleBecause(incident, possibleOthers[0]!)})`;
  return {
    isRepeat: others.length > 0,
    windowDays,
    certainty,
    ordinal,
    headline,
    others,
    possibleOthers: possibleOthers.map((o) => o.reference),
    possibleBecause: certainty === 'possible' ? possibleBecause(incident, possibleOthers[0]!) : null,
    sharedVendors: shared((i) => (i.vendor ? [i.vendor] : [])),
    sharedTechniques: shared((i) => i.techniques),
    sharedThreatActors: shared((i) => i.threatActors),
  };
}

/** A victim breached more than once within the window, with the incidents that make it so. */
export interface RepeatVictim {
  victim: Victim;
  /** Certain when two of its incidents surely lie within the window. */
  certainty: Certainty;
  /** Incidents within the window of another of the victim's incidents, newest first. */
  incidents: Incident[];
}

/**
 * Every repeat victim, the most recently breached first.
 *
 * @example
 *   await findRepeatVictims(db, { windowDays: 365 }) // [{ victim: City of Odessa, incidents: [2020, 2019] }]
 */
export async function findRepeatVictims(
  db: Kysely<Database>,
  options: { windowDays: number; limit?: number; viewer?: Viewer; certainty?: Certainty },
): Promise<RepeatVictim[]> {
  const pairs = await db
    .selectFrom('incidents as i')
    .innerJoin('incidents as o', (join) => join.onRef('o.victim_id', '=', 'i.victim_id').onRef('o.id', '<>', 'i.id'))
    .select(['i.victim_id', 'i.id', 'i.started_on'])
    .select(sql<boolean>`bool_or(${inRepeatWindow(options.windowDays, options.viewer ?? OPERATOR, 'certain')})`.as('certain'))
    .where(inRepeatWindow(options.windowDays, options.viewer ?? OPERATOR, options.certainty ?? 'possible'))
    .groupBy(['i.victim_id', 'i.id', 'i.started_on'])
    .execute();

  const latest = new Map<number, string>();
  const incidentIds = new Map<number, number[]>();
  const certain = new Set<number>();
  for (const p of pairs) {
    if ((latest.get(p.victim_id) ?? '') < p.started_on) latest.set(p.victim_id, p.started_on);
    incidentIds.set(p.victim_id, [...(incidentIds.get(p.victim_id) ?? []), p.id]);
    if (p.certain) certain.add(p.victim_id);
  }
  const victimIds = [...latest.entries()]
    .sort((a, b) => b[1].localeCompare(a[1]) || a[0] - b[0])
    .slice(0, options.limit ?? 50)
    .map(([id]) => id);

  const victims = await loadVictims(db, victimIds);
  const incidents = await loadIncidents(db, victimIds.flatMap((id) => incidentIds.get(id) ?? []));
  return victims.map((victim) => ({
    victim, certainty: certain.has(victim.id) ? 'certain' : 'possible', incidents: incidents.filter((i) => i.victimId === victim.id),
  }));
}

/** 1 → '1st', 2 → '2nd', 11 → '11th', 23 → '23rd'. */
export function ordinalWord(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}
