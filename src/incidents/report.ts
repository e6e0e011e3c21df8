import { sql } from 'kysely';
import type { Kysely, Transaction } from 'kysely';
import type { Database, Tlp } from '../db/schema.js';
import { withTransaction } from '../db/in-transaction.js';
import { UserError } from '../errors.js';
import { auditInStatement } from '../trust/audit.js';
import type { AuditActor } from '../trust/audit.js';
import { OPERATOR, tlpLabel, tlpRank, visibleTo } from '../trust/tlp.js';
import type { Viewer } from '../trust/tlp.js';
import { linkThreatActors, reportedColumns } from './incident-rows.js';
import { loadIncidents, loadVictims, toIncident } from './incident-view.js';
import type { Incident, Victim } from './incident-view.js';
import { joinAsReport } from './merge.js';
import { nearbyIncidents } from './nearby-incidents.js';
import { incidentWithVerdict, othersAmong, repeatVerdict, verdictOf } from './repeat-breach.js';
import { auditActorOf } from './report-outcome.js';
import type { Reporter, ReportOutcome } from './report-outcome.js';
import { SameEventNeedsConfirmation, sameEventCandidates } from './same-event-match.js';
import { parseSubmission } from './submission.js';
import type { IncidentSubmission } from './submission.js';
import { insertAliases, shownVictim, victimOrNew } from './submission-victim.js';
import type { NewVictim } from './submission-victim.js';
import type { VictimResolution } from './victim-resolution.js';
import { holdVictims } from './victim-lock.js';

export { VictimNeedsConfirmation } from './submission-victim.js';
export { SameEventNeedsConfirmation } from './same-event-match.js';

export type { Reporter, ReportOutcome } from './report-outcome.js';

export interface ReportOptions {
  windowDays: number;
  /** Who reads the verdict: the reporter sees only the earlier incidents they may see. */
  viewer?: Viewer;
  /** The marking when the submission has none (TLP_DEFAULT). */
  tlpDefault?: Tlp;
  /** Identifies one submission (a Slack view, a Discord interaction); a repeat of it stores nothing. */
  submissionKey?: string;
  /** The id an import source gave the incident, and a hash of the record read. */
  externalId?: string;
  sourceHash?: string;
  /** Keep this public reference (an import of an export) when it is free; otherwise a new one is given. */
  reference?: string;
  /**
   * When the report looks like an incident the victim already has: 'ask' the person
   * (chat forms: SameEventNeedsConfirmation), or join it when sure enough ('auto':
   * the command line and imports). The submission's sameAs / newIncident overrule both.
   */
  sameEvent?: 'ask' | 'auto';
  /** A victim only near known ones: 'ask' (VictimNeedsConfirmation, the default) or a 'new' one (an import, which cannot ask). */
  nearMatch?: 'ask' | 'new';
  /** The victim resolved already in the caller's transaction, still as it stands (an import's batch: resolve-together.ts). */
  victimResolution?: VictimResolution;
  /** Victims the caller's transaction holds already (an import's batch takes those it resolved at once: victim-lock.ts). */
  heldVictims?: ReadonlySet<number>;
  /** Work that must commit with the incident or not at all: queueing its alerts. */
  inTransaction?: (trx: Transaction<Database>, outcome: ReportOutcome) => Promise<void>;
}

/**
 * Records an incident, its victim, sources and threat actors in one transaction (or in
 * the caller's, when `db` is one: an import's batch), and
 * returns the repeat-breach verdict. `input` is validated through the submission
 * schema; nothing is stored when anything fails.
 *
 * @example
 *   const { incident, verdict } = await reportIncident(db, submission,
 *     { platform: 'cli', workspace: null, user: 'analyst' }, { windowDays: 365 });
 *   verdict.headline // '2nd incident within 365 days'
 */
export async function reportIncident(
  db: Kysely<Database>,
  input: unknown,
  reporter: Reporter,
  options: ReportOptions,
): Promise<ReportOutcome> {
  const submission = parseSubmission(input);
  try {
    return await recordOnce(db, submission, reporter, options);
  } catch (error) {
    // Within the caller's transaction (an import's batch) nothing can go again: that
    // transaction failed with this, and the batch is what records again.
    if (db.isTransaction) throw error;
    // Two reports created the same new victim, or one submission arrived twice, at once:
    // the second attempt finds what the first stored. A report given up in a deadlock with
    // an import's batch (each holding a victim or a year's reference counter the other
    // wanted) goes again too.
    if (isUniqueViolation(error, 'victims_identity') || isUniqueViolation(error, 'incidents_submission_key') || isDeadlock(error)) {
      return recordOnce(db, submission, reporter, { ...options, victimResolution: undefined, heldVictims: undefined });
    }
    throw error;
  }
}

function recordOnce(
  db: Kysely<Database>,
  submission: IncidentSubmission,
  reporter: Reporter,
  options: ReportOptions,
): Promise<ReportOutcome> {
  return withTransaction(db, async (trx) => {
    const earlier = options.submissionKey === undefined ? undefined
      : await trx.selectFrom('incidents').select(['id', 'victim_id']).where('submission_key', '=', options.submissionKey).executeTakeFirst();
    if (earlier) {
      const [victim] = await loadVictims(trx, [earlier.victim_id]);
      return outcomeOf(trx, earlier.id, victim!, { victimCreated: false, duplicate: true }, options);
    }

    const found = await victimOrNew(trx, submission, options.viewer, options.nearMatch, options.victimResolution);
    const viewer = options.viewer ?? OPERATOR;
    if (found.victim && !options.heldVictims?.has(found.victim.id)) await holdVictims(trx, [found.victim.id]);
    // What both decisions read — the incidents this may report again, and those that make it
    // a repeat — in one statement, after the hold: a victim created here has none; an incident
    // the submission names (sameAs) is read by its reference, and the report joins it.
    const nearby = found.victim && !submission.sameAs ? await nearbyIncidents(trx, submission, found.victim.id, viewer, options.windowDays) : [];
    const event = await sameEventAs(trx, submission, found.victim ?? { id: null, name: found.create.values.name }, nearby, options);
    const by = auditActorOf(reporter);
    const { incident, victim } = await insertIncident(trx, submission, found, by, reporter, options);
    if (event) {
      await joinAsReport(trx, incident, event.incident, event.reason, by);
      return outcomeOfJoined(trx, incident.reference, event.incident.id, victim, { victimCreated: false, duplicate: false }, options);
    }
    const verdict = verdictOf(incident, othersAmong(incident, nearby, options.windowDays, viewer), options.windowDays);
    const outcome: ReportOutcome = { incident, victim, verdict, joined: null, victimCreated: !found.victim, duplicate: false };
    await options.inTransaction?.(trx, outcome);
    return found.similarTo ? { ...outcome, similarTo: found.similarTo } : outcome;
  });
}

/**
 * The incident this submission reports again, if any: the one it names (sameAs), or
 * the closest that looks like the same event. In 'ask' mode a likely one is put to
 * the person instead; newIncident says it is a different one. A victim not yet
 * created (`id` null) has none: naming one for it is refused.
 */
async function sameEventAs(trx: Transaction<Database>, s: IncidentSubmission, victim: { id: number | null; name: string }, nearby: readonly Incident[], options: ReportOptions): Promise<{ incident: Incident; reason: string } | null> {
  const viewer = options.viewer ?? OPERATOR;
  // Joined, a report's sources show with the incident's: an AMBER or RED report never
  // joins an incident a wider audience may read. (GREEN joins CLEAR: both are for
  // the community, and a report's sources are mostly public articles.)
  const marking = s.tlp ?? options.tlpDefault ?? 'clear';
  const narrower = (incident: Incident) => tlpRank(marking) > Math.max(tlpRank(incident.tlp), tlpRank('green'));
  if (s.sameAs) {
    const row = await trx.selectFrom('incidents as i').select(['i.id', 'i.merged_into']).where('i.reference', '=', s.sameAs).where('i.retracted_at', 'is', null).executeTakeFirst();
    const id = row?.merged_into ?? row?.id;
    const visible = id === undefined ? undefined : await trx.selectFrom('incidents as i').select('i.id').where('i.id', '=', id).where(visibleTo(viewer, 'i')).executeTakeFirst();
    const [incident] = visible ? await loadIncidents(trx, [visible.id]) : [];
    if (!incident) throw new UserError(`There is no incident ${s.sameAs} to add this report to.`, 'unknown_incident');
    if (incident.victimId !== victim.id) throw new UserError(`${s.sameAs} is an incident of another victim, not of ${victim.name}.`, 'other_victim');
    if (narrower(incident)) throw new UserError(`This report is marked ${tlpLabel(marking)}, stricter than ${incident.reference} (${tlpLabel(incident.tlp)}): joined, its sources would show wider. Report it as an incident of its own.`, 'wider_marking');
    return { incident, reason: 'the reporter said it is the same incident' };
  }
  // A new victim (no id yet) has no incident to report again.
  if (s.newIncident || victim.id === null) return null;
  const candidates = sameEventCandidates(s, nearby, victim.name).filter((c) => !narrower(c.incident));
  if (candidates.length === 0) return null;
  if (options.sameEvent === 'ask') throw new SameEventNeedsConfirmation(candidates.slice(0, 3), victim.name);
  return { incident: candidates[0]!.incident, reason: candidates[0]!.judgement.reasons.join('; ') };
}

type OutcomeFlags = Pick<ReportOutcome, 'victimCreated' | 'duplicate'>;
type VerdictOptions = Pick<ReportOptions, 'windowDays' | 'viewer'>;

/** The outcome of the incident stored as `incidentId`, or of the incident it was joined to. */
async function outcomeOf(
  trx: Transaction<Database>,
  incidentId: number,
  victim: Victim,
  flags: OutcomeFlags,
  options: VerdictOptions,
): Promise<ReportOutcome> {
  const [stored] = await loadIncidents(trx, [incidentId]);
  if (stored!.mergedInto === null) return outcomeFor(trx, stored!, victim, flags, options);
  return outcomeOfJoined(trx, stored!.reference, stored!.mergedInto, victim, flags, options);
}

/** A report joined to an incident answers with that incident, as it stands with what the report added, and its verdict. */
async function outcomeOfJoined(
  trx: Transaction<Database>,
  report: string,
  incidentId: number,
  victim: Victim,
  flags: OutcomeFlags,
  options: VerdictOptions,
): Promise<ReportOutcome> {
  const { incident, verdict } = (await incidentWithVerdict(trx, incidentId, options.windowDays, options.viewer))!;
  const joined = { report, reason: incident.reports.find((r) => r.reference === report)?.reason ?? '' };
  return { incident, victim, verdict, joined, ...flags };
}

/** The outcome of `incident` as stored: its verdict among the victim's other incidents. */
async function outcomeFor(
  trx: Transaction<Database>,
  incident: Incident,
  victim: Victim,
  flags: OutcomeFlags,
  options: VerdictOptions,
  joined: ReportOutcome['joined'] = null,
): Promise<ReportOutcome> {
  const verdict = await repeatVerdict(trx, incident, options.windowDays, options.viewer);
  return { incident, victim, verdict, joined, ...flags };
}

/**
 * Stores the incident — with its new victim when it has one, its sources, its audit entry
 * and the year's next reference number (unless a free one was asked for) — in one
 * statement, then its threat actors, and returns it as `loadIncidents` would: built from
 * what was stored rather than read back. A report is two or three round trips fewer.
 */
async function insertIncident(
  trx: Transaction<Database>,
  s: IncidentSubmission,
  found: { victim: Victim } | { create: NewVictim },
  by: AuditActor,
  reporter: Reporter,
  options: Pick<ReportOptions, 'submissionKey' | 'externalId' | 'sourceHash' | 'reference' | 'tlpDefault'>,
): Promise<{ incident: Incident; victim: Victim }> {
  const values = reportedColumns(s, reporter, options);
  const tlp = values.tlp;
  const asked = options.reference ? await freeReference(trx, options.reference) : null;
  const year = Number(s.startDate.on.slice(0, 4));
  // The year's next number is taken in the same statement as the incident (an asked reference takes none).
  const counter = asked
    ? trx.with('counter', (db) => db.selectNoFrom(sql<number>`0`.as('last_number')))
    : trx.with('counter', (db) => db.insertInto('incident_reference_counters').values({ year, last_number: 1 })
      .onConflict((oc) => oc.column('year').doUpdateSet((eb) => ({ last_number: eb('incident_reference_counters.last_number', '+', 1) })))
      .returning('last_number'));
  const victimRow = 'victim' in found
    ? counter.with('victim', (db) => db.selectNoFrom(sql<number>`${found.victim.id}::int`.as('id')))
    : counter.with('victim', (db) => db.insertInto('victims').values(found.create.values).returning('id'));
  const row = await victimRow
    .with('incident', (db) => db.insertInto('incidents')
      .values({
        reference: asked ?? sql<string>`(select ${`INC-${year}-`} || lpad(last_number::text, greatest(4, length(last_number::text)), '0') from counter)`,
        victim_id: sql<number>`(select id from victim)`,
        ...values,
      })
      .returningAll())
    .with('sources', () => sql`(insert into incident_sources (incident_id, position, url)
      select incident.id, source.position - 1, source.url from incident, unnest(${s.sources}::text[]) with ordinality as source(url, position))`)
    .with('audit', () => auditInStatement(by, 'incident.report', 'incident', 'reference', { victim: 'victim' in found ? found.victim.name : found.create.values.name, tlp }, { victimId: 'victim_id' }))
    .selectFrom('incident')
    .selectAll()
    .executeTakeFirstOrThrow();
  const victim = 'victim' in found ? found.victim : { id: row.victim_id, ...shownVictim(found.create.values) };
  if ('create' in found) await insertAliases(trx, victim.id, found.create.aliases);
  const actors = await linkThreatActors(trx, row.id, s.threatActors);
  // Two actors or more are listed in the database's collation order: read back for that.
  const incident = actors.length > 1 ? (await loadIncidents(trx, [row.id]))[0]!
    : toIncident({ ...row, source_rows: s.sources.map((url) => ({ url, incident_id: row.id })), actor_names: actors, report_rows: [] });
  return { incident, victim };
}

/**
 * The public reference asked for (an import of an export: INC-2020-0007) when it is
 * well-formed and free, its year's counter moved up to it so it never falls behind;
 * otherwise null, and the incident gets its year's next number.
 */
async function freeReference(trx: Transaction<Database>, wanted: string): Promise<string | null> {
  const asked = /^INC-(\d{4})-(\d{4,9})$/.exec(wanted.trim().toUpperCase());
  if (!asked) return null;
  const taken = await trx.selectFrom('incidents').select('id').where('reference', '=', asked[0]).executeTakeFirst();
  if (taken) return null;
  const [year, number] = [Number(asked[1]), Number(asked[2])];
  await trx.insertInto('incident_reference_counters').values({ year, last_number: number })
    .onConflict((oc) => oc.column('year').doUpdateSet({ last_number: sql<number>`greatest(incident_reference_counters.last_number, excluded.last_number)` }))
    .execute();
  return asked[0];
}

const isDeadlock = (error: unknown): boolean => (error as { code?: string }).code === '40P01';

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === constraint;
}
