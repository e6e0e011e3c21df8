import { sql } from 'kysely';
import type { Kysely, Selectable } from 'kysely';
import type { Database, IncidentTable, Tlp } from '../db/schema.js';
import { withTransaction } from '../db/in-transaction.js';
import { jsonParam } from '../db/json-param.js';
import { auditRow } from '../trust/audit.js';
import { OPERATOR } from '../trust/tlp.js';
import { linkThreatActors, reportedColumns } from './incident-rows.js';
import { loadIncidents, toIncident } from './incident-view.js';
import type { Incident } from './incident-view.js';
import { verdictOf } from './repeat-breach.js';
import { auditActorOf } from './report-outcome.js';
import type { Reporter, ReportOutcome } from './report-outcome.js';
import type { IncidentSubmission } from './submission.js';
import { shownVictim, victimOrNew } from './submission-victim.js';
import type { NewVictim } from './submission-victim.js';
import { normalizeVictimName } from './victim-name.js';
import type { VictimResolution } from './victim-resolution.js';

/** A submission whose victim was resolved as new (or is an unattributed placeholder), with the import source's ids for it. */
export interface NewVictimReport {
  submission: IncidentSubmission;
  resolution: VictimResolution | undefined;
  externalId?: string;
  sourceHash?: string;
}

/**
 * Whether a report of `submission` would create its victim — an unattributed
 * placeholder (one per incident), or a victim resolved as `resolution` to none known or
 * only near ones (which an import keeps apart) — and store nothing that needs the victim
 * to exist first: it names no incident it reports again.
 */
export function createsItsVictim(submission: IncidentSubmission, resolution: VictimResolution | undefined): boolean {
  if (submission.sameAs !== undefined || submission.victim.id !== undefined) return false;
  return submission.victim.unattributed || resolution?.status === 'new' || resolution?.status === 'uncertain';
}

/**
 * Records reports that each create their victim (`createsItsVictim`, resolved together
 * in this transaction, so none of them names another's victim), as the same reports one
 * after another would — ids, references and audit entries in their order, the same rows —
 * in two statements for all of them instead of one each: the ids and the years'
 * reference numbers taken first, then victims, aliases, incidents, sources and audit
 * entries written, each table by one insert (threat actors, which few records name, one
 * by one after). Records that create their victims are most of an import, and a
 * statement's own start costs more than a row (bench/README.md).
 *
 * No alerts are queued: an import records with alerts off, or records alone.
 */
export async function reportNewVictims(
  db: Kysely<Database>,
  reports: readonly NewVictimReport[],
  reporter: Reporter,
  options: { windowDays: number; tlpDefault?: Tlp },
): Promise<ReportOutcome[]> {
  if (reports.length === 0) return [];
  return withTransaction(db, async (trx) => {
    const found: { create: NewVictim; similarTo?: string[] }[] = [];
    for (const r of reports) {
      const { create, similarTo } = createsItsVictim(r.submission, r.resolution) ? await victimOrNew(trx, r.submission, OPERATOR, 'new', r.resolution) : {};
      if (!create) throw new Error('reportNewVictims: a report that does not create its victim');
      found.push({ create, similarTo });
    }
    const years = reports.map((r) => Number(r.submission.startDate.on.slice(0, 4)));
    const taken = await takeNumbers(trx, years);
    const by = auditActorOf(reporter);

    const victims = found.map((f, i) => ({ id: taken.victimIds[i]!, ...f.create.values }));
    const incidents = reports.map((r, i) => ({
      id: taken.incidentIds[i]!,
      reference: taken.references[i]!,
      victim_id: victims[i]!.id,
      ...reportedColumns(r.submission, reporter, { tlpDefault: options.tlpDefault, externalId: r.externalId, sourceHash: r.sourceHash }),
    }));
    const aliases = found.flatMap((f, i) => f.create.aliases.map((alias) => ({ victim_id: victims[i]!.id, alias })));
    const sources = reports.flatMap((r, i) => r.submission.sources.map((url, position) => ({ incident_id: incidents[i]!.id, position, url })));
    const audit = incidents.map((row, i) => auditRow(by, 'incident.report', row.reference, { victim: victims[i]!.name, tlp: row.tlp, victimId: row.victim_id }));

    const rows = await writeAll(trx, victims, aliases, incidents, sources, audit);
    const outcomes: ReportOutcome[] = [];
    for (const [i, r] of reports.entries()) {
      const row = rows[i]!;
      const actors = await linkThreatActors(trx, row.id, r.submission.threatActors);
      // Two actors or more are listed in the database's collation order: read back for that.
      const incident: Incident = actors.length > 1 ? (await loadIncidents(trx, [row.id]))[0]!
        : toIncident({ ...row, source_rows: r.submission.sources.map((url) => ({ url, incident_id: row.id })), actor_names: actors, report_rows: [] });
      const victim = { id: victims[i]!.id, ...shownVictim(found[i]!.create.values) };
      const outcome: ReportOutcome = { incident, victim, verdict: verdictOf(incident, [], options.windowDays), joined: null, victimCreated: true, duplicate: false };
      outcomes.push(found[i]!.similarTo ? { ...outcome, similarTo: found[i]!.similarTo } : outcome);
    }
    return outcomes;
  });
}

/**
 * The victims' and incidents' ids, from their sequences, and each incident's reference:
 * its year's next numbers, in the reports' order (one counter update a year).
 */
async function takeNumbers(db: Kysely<Database>, years: number[]): Promise<{ victimIds: number[]; incidentIds: number[]; references: string[] }> {
  const counts = new Map<number, number>();
  for (const year of years) counts.set(year, (counts.get(year) ?? 0) + 1);
  const { rows: [taken] } = await sql<{ victim_ids: number[]; incident_ids: number[]; counters: { year: number; last_number: number }[] }>`
    with counter as (
      insert into incident_reference_counters (year, last_number)
      select * from unnest(${[...counts.keys()]}::int[], ${[...counts.values()]}::int[])
      on conflict (year) do update set last_number = incident_reference_counters.last_number + excluded.last_number
      returning year, last_number)
    select array(select nextval(pg_get_serial_sequence('victims', 'id'))::int from generate_series(1, ${years.length}::int)) as victim_ids,
      array(select nextval(pg_get_serial_sequence('incidents', 'id'))::int from generate_series(1, ${years.length}::int)) as incident_ids,
      (select json_agg(counter) from counter) as counters`.execute(db);
  // A year's numbers: the last one taken, less those this statement took, counted up in order
  // (written as insertIncident's statement writes them in SQL: report.ts).
  const next = new Map(taken!.counters.map((c) => [c.year, c.last_number - counts.get(c.year)!]));
  const references = years.map((year) => {
    const n = next.get(year)! + 1;
    next.set(year, n);
    return `INC-${year}-${String(n).padStart(4, '0')}`;
  });
  return { victimIds: [...taken!.victim_ids].sort((a, b) => a - b), incidentIds: [...taken!.incident_ids].sort((a, b) => a - b), references };
}

/** Victims, their aliases, incidents, sources and audit entries, each table by one insert; returns the incidents as stored. */
async function writeAll(
  db: Kysely<Database>,
  victims: Record<string, unknown>[],
  aliases: { victim_id: number; alias: string }[],
  incidents: Record<string, unknown>[],
  sources: { incident_id: number; position: number; url: string }[],
  audit: ReturnType<typeof auditRow>[],
) {
  const { rows } = await sql<Selectable<IncidentTable>>`
    with victim as (
      insert into victims (${columns(victims[0]!)}) overriding system value
      select ${columns(victims[0]!)} from jsonb_populate_recordset(null::victims, ${jsonParam(victims)}::jsonb)),
    alias as (
      insert into victim_aliases (victim_id, alias, normalized_alias)
      select a.victim_id, a.alias, a.normalized from jsonb_to_recordset(${jsonParam(aliases.map((a) => ({ ...a, normalized: normalizeVictimName(a.alias).normalized })))}::jsonb)
        as a(victim_id int, alias text, normalized text)
      on conflict (victim_id, normalized_alias) do nothing),
    incident as (
      insert into incidents (${columns(incidents[0]!)}) overriding system value
      select ${columns(incidents[0]!)} from jsonb_populate_recordset(null::incidents, ${jsonParam(incidents)}::jsonb)
      returning *),
    source as (
      insert into incident_sources (incident_id, position, url)
      select s.incident_id, s.position, s.url from jsonb_to_recordset(${jsonParam(sources)}::jsonb) as s(incident_id int, position int, url text)),
    audit as (
      insert into audit_log (platform, workspace, user_id, user_name, channel_id, action, subject, detail)
      select a.platform, a.workspace, a.user_id, a.user_name, a.channel_id, a.action, a.subject, a.detail::jsonb
      from jsonb_to_recordset(${jsonParam(audit)}::jsonb)
        as a(platform text, workspace text, user_id text, user_name text, channel_id text, action text, subject text, detail text))
    select * from incident order by id`.execute(db);
  return rows;
}

/** A row's columns, for an insert and its select alike. */
const columns = (row: object) => sql.join(Object.keys(row).map((name) => sql.ref(name)));
