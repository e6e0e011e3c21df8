import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Database, DatePrecision, Motive, Platform, Tlp, VictimKind } from '../db/schema.js';
import type { PartialDate } from './partial-date.js';
import type { Impact } from './submission.js';

/** A victim as every surface shows it. */
export interface Victim {
  id: number;
  name: string;
  kind: VictimKind | null;
  sector: string | null;
  country: string | null;
  region: string | null;
  city: string | null;
  /** A placeholder victim from an import ("Unknown"): never a repeat victim. */
  unattributed: boolean;
}

/** An incident as every surface shows it. */
export interface Incident {
  id: number;
  reference: string;
  victimId: number;
  started: PartialDate;
  /** Last day the start date covers: '2020-04-30' for April 2020. */
  startedUntil: string;
  ended: PartialDate | null;
  discovered: PartialDate | null;
  disclosed: PartialDate | null;
  title: string;
  summary: string;
  description: string | null;
  vendor: string | null;
  /** How it happened, as text: "hacking: SQLi via Web application". */
  vector: string | null;
  impact: Impact[];
  motives: Motive[];
  techniques: string[];
  threatActors: string[];
  recordsAffected: number | null;
  sources: string[];
  /** `userId`: the reporter's platform id (null for imports and older records). */
  reportedBy: { platform: Platform; workspace: string | null; user: string; userId: string | null };
  reportedAt: Date;
  /** Traffic Light Protocol marking. */
  tlp: Tlp;
  /** 1 when first recorded, +1 per edit. */
  revision: number;
  /** Set when retracted: such an incident is out of every lookup and count. */
  retractedAt: Date | null;
  /** The id an import source gave it. */
  externalId: string | null;
  /** Set when this row is a report joined to that incident: then it is no incident of its own. */
  mergedInto: number | null;
  /** Further reports of this event (another article, a follow-up, a register's copy), oldest first. */
  reports: IncidentReport[];
}

/**
 * What the repeat rule and a timeline read of an incident: its dates, vendor, techniques
 * and actors, without its text, sources or reports (a timeline loads up to 200 of them).
 */
export type IncidentOutline = Pick<Incident, 'id' | 'reference' | 'revision' | 'started' | 'startedUntil' | 'ended' | 'vendor' | 'techniques' | 'threatActors'>;

/** A report joined to an incident: its own reference, who gave it, where from, and why it was judged the same event. */
export interface IncidentReport {
  reference: string;
  reportedBy: { platform: Platform; workspace: string | null; user: string };
  reportedAt: Date;
  externalId: string | null;
  sources: string[];
  /** "dates overlap; same records affected (1,607)", or "confirmed by ana". */
  reason: string | null;
}

/** Victims by id, in the order of `ids`. */
export async function loadVictims(db: Kysely<Database>, ids: readonly number[]): Promise<Victim[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('victims')
    .select(['id', 'name', 'kind', 'sector', 'country', 'region', 'city', 'unattributed'])
    .where('id', 'in', ids)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Incidents by id with their sources and threat actors, newest start first. */
export async function loadIncidents(db: Kysely<Database>, ids: readonly number[]): Promise<Incident[]> {
  if (ids.length === 0) return [];
  const rows = await selectIncidents(db).where('i.id', 'in', ids).orderBy('i.started_on', 'desc').orderBy('i.id', 'desc').execute();
  return rows.map(toIncident);
}

/**
 * Incidents (`incidents as i`) with their sources and threat actors, for a caller that
 * picks them by its own condition in the same statement (search picks each victim's newest).
 */
export function selectIncidents(db: Kysely<Database>) {
  return db
    .selectFrom('incidents as i')
    .selectAll('i')
    .select((eb) => [
      // The incident's own sources first, then those of the reports joined to it; two
      // index lookups (by incident, by merged_into), never a scan.
      sql<{ url: string; incident_id: number }[]>`(select coalesce(json_agg(json_build_object('url', x.url, 'incident_id', x.incident_id)
        order by x.own desc, x.incident_id, x.position), '[]') from (
          select s.url, s.incident_id, s.position, true as own from incident_sources s where s.incident_id = i.id
          union all
          select s.url, s.incident_id, s.position, false from incidents r join incident_sources s on s.incident_id = r.id where r.merged_into = i.id) x)`.as('source_rows'),
      threatActorNames('i').as('actor_names'),
      jsonArrayFrom(
        eb.selectFrom('incidents as r')
          .select(['r.reference', 'r.reported_platform', 'r.reported_workspace', 'r.reported_by', 'r.reported_at', 'r.external_id', 'r.merge_reason', 'r.id'])
          .whereRef('r.merged_into', '=', 'i.id')
          .orderBy('r.id'),
      ).as('report_rows'),
    ]);
}

/**
 * The threat actors' names of an incident (`alias`) and of the reports joined to it,
 * once each, sorted: a JSON array, for a select list.
 */
export function threatActorNames(alias: string) {
  const id = sql.ref(`${alias}.id`);
  return sql<string[]>`(select coalesce(json_agg(x.name order by x.name), '[]') from (
      select a.name from incident_threat_actors ita join threat_actors a on a.id = ita.threat_actor_id where ita.incident_id = ${id}
      union
      select a.name from incidents r join incident_threat_actors ita on ita.incident_id = r.id join threat_actors a on a.id = ita.threat_actor_id
        where r.merged_into = ${id}) x)`;
}

export function toIncident(r: Awaited<ReturnType<ReturnType<typeof selectIncidents>['execute']>>[number]): Incident {
  return {
    id: r.id,
    reference: r.reference,
    victimId: r.victim_id,
    started: { on: r.started_on, precision: r.started_precision },
    startedUntil: r.started_until,
    ended: partialDate(r.ended_on, r.ended_precision),
    discovered: partialDate(r.discovered_on, r.discovered_precision),
    disclosed: partialDate(r.disclosed_on, r.disclosed_precision),
    title: r.title,
    summary: r.summary,
    description: r.description,
    vendor: r.vendor,
    vector: r.vector,
    impact: (['confidentiality', 'integrity', 'availability'] as const).filter((k) => r[k]),
    motives: r.motives,
    techniques: r.techniques,
    threatActors: r.actor_names,
    recordsAffected: r.records_affected,
    sources: [...new Set(r.source_rows.map((s) => s.url))],
    reportedBy: { platform: r.reported_platform, workspace: r.reported_workspace, user: r.reported_by, userId: r.reported_by_id },
    reportedAt: r.reported_at,
    tlp: r.tlp,
    revision: r.revision,
    retractedAt: r.retracted_at,
    externalId: r.external_id,
    mergedInto: r.merged_into,
    reports: r.report_rows.map((x) => ({
      reference: x.reference,
      reportedBy: { platform: x.reported_platform, workspace: x.reported_workspace, user: x.reported_by },
      reportedAt: new Date(x.reported_at),
      externalId: x.external_id,
      sources: r.source_rows.filter((s) => s.incident_id === x.id).map((s) => s.url),
      reason: x.merge_reason,
    })),
  };
}

/** A date column and its precision column as a partial date; null when either is. */
export function partialDate(on: string | null, precision: DatePrecision | null): PartialDate | null {
  return on && precision ? { on, precision } : null;
}
