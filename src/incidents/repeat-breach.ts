import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { loadIncidents, loadVictims } from './incident-view.js';
import type { Incident, Victim } from './incident-view.js';
import { OPERATOR, visibleTo } from '../trust/tlp.js';
import type { Viewer } from '../trust/tlp.js';

/**
 * Whether an incident makes its victim a repeat victim: the victim's other
 * incidents whose start lies within the window of this one's start (partial dates
 * compared by the interval they cover; backdated reports count).
 */
export interface RepeatVerdict {
  isRepeat: boolean;
  windowDays: number;
  /** This incident's place among the victim's incidents in the window: 2 for the 2nd. */
  ordinal: number;
  /** "2nd incident within 365 days", or "first incident within 365 days". */
  headline: string;
  /** The victim's other incidents within the window, oldest first. */
  others: Incident[];
  /** Vendors or affected systems seen again: ["Click2Gov"]. */
  sharedVendors: string[];
  /** ATT&CK techniques seen again. */
  sharedTechniques: string[];
  sharedThreatActors: string[];
  /** The reference of the incident this one probably records again (same source, overlapping dates). */
  duplicateOf: string | null;
}

// Two starts are "within the window" when the intervals they cover come at most
// windowDays apart. Only incidents the viewer may see count: a channel must not learn
// of a RED incident from "2nd incident within 365 days"; retracted ones never count.
const withinWindow = (windowDays: number, viewer: Viewer) =>
  sql<boolean>`o.started_on <= i.started_until + ${windowDays}::int and o.started_until >= i.started_on - ${windowDays}::int
    and o.duplicate_of is null and i.duplicate_of is null and ${visibleTo(viewer, 'o')} and ${visibleTo(viewer, 'i')}`;

/** The verdict for a stored incident, as `viewer` may see it. Pass `trx` inside the report's transaction. */
export async function repeatVerdict(db: Kysely<Database>, incident: Incident, windowDays: number, viewer: Viewer = OPERATOR): Promise<RepeatVerdict> {
  if (incident.duplicateOf !== null) {
    const twin = await db.selectFrom('incidents').select('reference').where('id', '=', incident.duplicateOf).executeTakeFirst();
    return { ...verdictOf(incident, [], windowDays), headline: `probable double entry of ${twin?.reference ?? 'another incident'} (same source, overlapping dates)`, duplicateOf: twin?.reference ?? null };
  }
  const rows = await db
    .selectFrom('incidents as i')
    .innerJoin('incidents as o', (join) => join.onRef('o.victim_id', '=', 'i.victim_id').onRef('o.id', '<>', 'i.id'))
    .select('o.id')
    .where('i.id', '=', incident.id)
    .where(withinWindow(windowDays, viewer))
    .execute();
  const others = (await loadIncidents(db, rows.map((r) => r.id))).reverse();
  return verdictOf(incident, others, windowDays);
}

export function verdictOf(incident: Incident, others: Incident[], windowDays: number): RepeatVerdict {
  const ordinal = others.length + 1;
  // Named as the earlier records spell it: "Click2Gov", whatever the new one typed.
  const shared = (values: (i: Incident) => string[]) => {
    const mine = new Set(values(incident).map((v) => v.toLowerCase()));
    const seen = new Map<string, string>();
    for (const v of others.flatMap(values)) if (mine.has(v.toLowerCase()) && !seen.has(v.toLowerCase())) seen.set(v.toLowerCase(), v);
    return [...seen.values()];
  };
  return {
    isRepeat: others.length > 0,
    windowDays,
    ordinal,
    headline: `${others.length > 0 ? ordinalWord(ordinal) : 'first'} incident within ${windowDays} days`,
    others,
    sharedVendors: shared((i) => (i.vendor ? [i.vendor] : [])),
    sharedTechniques: shared((i) => i.techniques),
    sharedThreatActors: shared((i) => i.threatActors),
    duplicateOf: null,
  };
}

/** A victim breached more than once within the window, with the incidents that make it so. */
export interface RepeatVictim {
  victim: Victim;
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
  options: { windowDays: number; limit?: number; viewer?: Viewer },
): Promise<RepeatVictim[]> {
  const pairs = await db
    .selectFrom('incidents as i')
    .innerJoin('incidents as o', (join) => join.onRef('o.victim_id', '=', 'i.victim_id').onRef('o.id', '<>', 'i.id'))
    .select(['i.victim_id', 'i.id', 'i.started_on'])
    .where(withinWindow(options.windowDays, options.viewer ?? OPERATOR))
    .groupBy(['i.victim_id', 'i.id', 'i.started_on'])
    .execute();

  const latest = new Map<number, string>();
  const incidentIds = new Map<number, number[]>();
  for (const p of pairs) {
    if ((latest.get(p.victim_id) ?? '') < p.started_on) latest.set(p.victim_id, p.started_on);
    incidentIds.set(p.victim_id, [...(incidentIds.get(p.victim_id) ?? []), p.id]);
  }
  const victimIds = [...latest.entries()]
    .sort((a, b) => b[1].localeCompare(a[1]) || a[0] - b[0])
    .slice(0, options.limit ?? 50)
    .map(([id]) => id);

  const victims = await loadVictims(db, victimIds);
  const incidents = await loadIncidents(db, victimIds.flatMap((id) => incidentIds.get(id) ?? []));
  return victims.map((victim) => ({ victim, incidents: incidents.filter((i) => i.victimId === victim.id) }));
}

/** 1 → '1st', 2 → '2nd', 11 → '11th', 23 → '23rd'. */
export function ordinalWord(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}
