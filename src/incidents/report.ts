import { sql } from 'kysely';
import type { Kysely, Transaction } from 'kysely';
import type { Database, Platform, Tlp } from '../db/schema.js';
import { recordAudit } from '../trust/audit.js';
import { OPERATOR } from '../trust/tlp.js';
import type { Viewer } from '../trust/tlp.js';
import { UserError } from '../errors.js';
import { attackGroupsByName } from './attack-catalogue.js';
import { loadIncidents, loadVictims } from './incident-view.js';
import type { Incident, Victim } from './incident-view.js';
import { repeatVerdict } from './repeat-breach.js';
import type { RepeatVerdict } from './repeat-breach.js';
import { parseSubmission } from './submission.js';
import type { IncidentSubmission } from './submission.js';
import { kindFromName, resolveVictim, victimIdentity } from './victim-resolution.js';
import type { VictimIdentity } from './victim-resolution.js';
import { normalizeVictimName } from './victim-name.js';
import { visibleVictimIds } from './victim-visibility.js';

/** Who reported an incident, and where. */
export interface Reporter {
  platform: Platform;
  /** Slack workspace or Discord guild; null for the shell and command line. */
  workspace: string | null;
  /** The name to show. */
  user: string;
  /** The platform's user id: with it the reporter may later edit or retract the incident. */
  userId?: string | null;
  /** Where it was reported from, for the audit log. */
  channelId?: string | null;
}

export interface ReportOutcome {
  incident: Incident;
  victim: Victim;
  victimCreated: boolean;
  verdict: RepeatVerdict;
  /** The submission key was seen before: this is the incident it stored then; nothing new was stored. */
  duplicate: boolean;
}

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
  /** Work that must commit with the incident or not at all: queueing its alerts. */
  inTransaction?: (trx: Transaction<Database>, outcome: ReportOutcome) => Promise<void>;
}

/**
 * The victim is only similar to known ones: the person must pick one (`victim.id`)
 * or confirm a new victim (`victim.isNew: true`). Nothing was stored.
 */
export class VictimNeedsConfirmation extends UserError {
  override readonly name = 'VictimNeedsConfirmation';
  constructor(
    readonly typedName: string,
    readonly candidates: Victim[],
  ) {
    super(
      `"${typedName}" is close to ${candidates.map((c) => `${c.name} (#${c.id})`).join(', ')}. ` +
        'Choose one (victim.id) or confirm a new victim (victim.isNew: true).',
      'victim_needs_confirmation',
    );
  }
}

/**
 * Records an incident, its victim, sources and threat actors in one transaction, and
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
    // Two reports created the same new victim, or one submission arrived twice, at
    // once: the second attempt finds what the first stored.
    if (isUniqueViolation(error, 'victims_identity') || isUniqueViolation(error, 'incidents_submission_key')) {
      return recordOnce(db, submission, reporter, options);
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
  return db.transaction().execute(async (trx) => {
    const earlier = options.submissionKey === undefined ? undefined
      : await trx.selectFrom('incidents').select(['id', 'victim_id']).where('submission_key', '=', options.submissionKey).executeTakeFirst();
    if (earlier) {
      const [victim] = await loadVictims(trx, [earlier.victim_id]);
      return outcomeOf(trx, earlier.id, victim!, { victimCreated: false, duplicate: true }, options);
    }

    const { victim, created } = await victimFor(trx, submission, options.viewer);
    const incidentId = await insertIncident(trx, submission, victim.id, reporter, options);
    await markProbableDuplicate(trx, incidentId);
    const outcome = await outcomeOf(trx, incidentId, victim, { victimCreated: created, duplicate: false }, options);
    await recordAudit(trx, { platform: reporter.platform, workspace: reporter.workspace, userId: reporter.userId ?? null, name: reporter.user, channelId: reporter.channelId },
      'incident.report', outcome.incident.reference, { victim: victim.name, victimId: victim.id, tlp: outcome.incident.tlp });
    await options.inTransaction?.(trx, outcome);
    return outcome;
  });
}

async function outcomeOf(
  trx: Transaction<Database>,
  incidentId: number,
  victim: Victim,
  flags: { victimCreated: boolean; duplicate: boolean },
  options: Pick<ReportOptions, 'windowDays' | 'viewer'>,
): Promise<ReportOutcome> {
  const [incident] = await loadIncidents(trx, [incidentId]);
  const verdict = await repeatVerdict(trx, incident!, options.windowDays, options.viewer);
  return { incident: incident!, victim, verdict, ...flags };
}

/**
 * The victim a submission names: `#12` (one this viewer may know of), an existing
 * victim by name, or a new one; near matches the person must confirm.
 */
export async function victimFor(trx: Transaction<Database>, submission: IncidentSubmission, viewer: Viewer = OPERATOR): Promise<{ victim: Victim; created: boolean }> {
  const input = submission.victim;
  if (input.id !== undefined) {
    const [victim] = (await visibleVictimIds(trx, [input.id], viewer)).has(input.id) ? await loadVictims(trx, [input.id]) : [];
    if (!victim) throw new UserError(`There is no victim #${input.id}.`, 'unknown_victim');
    await insertAliases(trx, victim.id, input.aliases);
    return { victim, created: false };
  }
  if (input.unattributed) return insertVictim(trx, victimIdentity(input), submission);
  const resolution = await resolveVictim(trx, { ...input, kind: input.kind ?? kindFromName(normalizeVictimName(input.name)) ?? undefined }, viewer);
  if (resolution.status === 'matched') {
    await insertAliases(trx, resolution.victim.id, input.aliases);
    return { victim: resolution.victim, created: false };
  }
  if (resolution.status === 'uncertain' && !input.isNew) {
    throw new VictimNeedsConfirmation(resolution.identity.name, resolution.candidates);
  }
  return insertVictim(trx, resolution.identity, submission);
}

async function insertVictim(trx: Transaction<Database>, identity: VictimIdentity, submission: IncidentSubmission) {
  const values = {
    name: identity.name,
    normalized_name: identity.normalized.normalized,
    core_name: identity.normalized.core,
    kind: submission.victim.kind ?? kindFromName(identity.normalized),
    sector: submission.victim.sector ?? null,
    country: identity.country,
    region: identity.region,
    city: identity.city,
    unattributed: submission.victim.unattributed,
  };
  const [victim] = await loadVictims(trx, [
    (await trx.insertInto('victims').values(values).returning('id').executeTakeFirstOrThrow()).id,
  ]);
  await insertAliases(trx, victim!.id, submission.victim.aliases);
  return { victim: victim!, created: true };
}

async function insertAliases(trx: Transaction<Database>, victimId: number, aliases: string[]) {
  if (aliases.length === 0) return;
  await trx
    .insertInto('victim_aliases')
    .values(aliases.map((alias) => ({ victim_id: victimId, alias, normalized_alias: normalizeVictimName(alias).normalized })))
    .onConflict((oc) => oc.columns(['victim_id', 'normalized_alias']).doNothing())
    .execute();
}

async function insertIncident(
  trx: Transaction<Database>,
  s: IncidentSubmission,
  victimId: number,
  reporter: Reporter,
  options: Pick<ReportOptions, 'submissionKey' | 'externalId' | 'sourceHash' | 'reference' | 'tlpDefault'>,
): Promise<number> {
  const { id } = await trx
    .insertInto('incidents')
    .values({
      reference: await referenceFor(trx, s, options.reference),
      victim_id: victimId,
      ...incidentColumns(s),
      reported_platform: reporter.platform,
      reported_workspace: reporter.workspace,
      reported_by: reporter.user,
      reported_by_id: reporter.userId ?? null,
      tlp: s.tlp ?? options.tlpDefault ?? 'clear',
      submission_key: options.submissionKey ?? null,
      external_id: options.externalId ?? null,
      source_hash: options.sourceHash ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await linkSourcesAndActors(trx, id, s);
  return id;
}

/**
 * The next public reference of the start's year (INC-2020-0007), or the one asked
 * for when it is well-formed and free; the year's counter never falls behind it.
 */
async function referenceFor(trx: Transaction<Database>, s: IncidentSubmission, wanted: string | undefined): Promise<string> {
  const asked = wanted ? /^INC-(\d{4})-(\d{4,9})$/.exec(wanted.trim().toUpperCase()) : null;
  if (asked) {
    const taken = await trx.selectFrom('incidents').select('id').where('reference', '=', asked[0]).executeTakeFirst();
    if (!taken) {
      const [year, number] = [Number(asked[1]), Number(asked[2])];
      await trx.insertInto('incident_reference_counters').values({ year, last_number: number })
        .onConflict((oc) => oc.column('year').doUpdateSet({ last_number: sql<number>`greatest(incident_reference_counters.last_number, excluded.last_number)` }))
        .execute();
      return asked[0];
    }
  }
  const year = Number(s.startDate.on.slice(0, 4));
  const { last_number } = await trx
    .insertInto('incident_reference_counters')
    .values({ year, last_number: 1 })
    .onConflict((oc) => oc.column('year').doUpdateSet((eb) => ({ last_number: eb('incident_reference_counters.last_number', '+', 1) })))
    .returning('last_number')
    .executeTakeFirstOrThrow();
  return `INC-${year}-${String(last_number).padStart(4, '0')}`;
}

/** The columns an incident's content sets: the same for a new incident and a replaced one. */
export function incidentColumns(s: IncidentSubmission) {
  return {
    started_on: s.startDate.on,
    started_precision: s.startDate.precision,
    ended_on: s.endDate?.on ?? null,
    ended_precision: s.endDate?.precision ?? null,
    discovered_on: s.discoveredDate?.on ?? null,
    discovered_precision: s.discoveredDate?.precision ?? null,
    disclosed_on: s.disclosedDate?.on ?? null,
    disclosed_precision: s.disclosedDate?.precision ?? null,
    title: s.title ?? titleFrom(s),
    summary: s.summary,
    description: s.description ?? null,
    vendor: s.vendor ?? null,
    confidentiality: s.impact.includes('confidentiality'),
    integrity: s.impact.includes('integrity'),
    availability: s.impact.includes('availability'),
    motives: s.motives,
    techniques: s.techniques,
    records_affected: s.recordsAffected ?? null,
    vector: s.vector ?? null,
  };
}

export async function linkSourcesAndActors(trx: Transaction<Database>, id: number, s: IncidentSubmission): Promise<void> {
  if (s.sources.length > 0) {
    await trx.insertInto('incident_sources').values(s.sources.map((url, position) => ({ incident_id: id, position, url }))).execute();
  }
  for (const name of s.threatActors) {
    const group = attackGroupsByName().get(name.toLowerCase());
    const actor = await trx
      .insertInto('threat_actors')
      .values({ name, normalized_name: normalizeVictimName(name).normalized, attack_group_id: group?.id ?? null })
      .onConflict((oc) => oc.column('normalized_name').doUpdateSet((eb) => ({ name: eb.ref('threat_actors.name') })))
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('incident_threat_actors').values({ incident_id: id, threat_actor_id: actor.id })
      .onConflict((oc) => oc.doNothing()).execute();
  }
}


/** A title when none was given: the summary's first sentence, cut at a word. */
function titleFrom(s: IncidentSubmission): string {
  const sentence = s.summary.split(/(?<=[.!?])\s/)[0] ?? s.summary;
  if (sentence.length <= 120) return sentence;
  return `${sentence.slice(0, 120).replace(/\s+\S*$/, '')}…`;
}

/**
 * Two records of one victim citing the same source with overlapping dates are
 * probably one incident entered twice (real data has them): the later is marked
 * as a double entry of the earlier, and never counts as a repeat breach.
 */
async function markProbableDuplicate(trx: Transaction<Database>, incidentId: number): Promise<void> {
  const periodEnd = (alias: string) => sql.raw(`coalesce(period_end(${alias}.ended_on, ${alias}.ended_precision), ${alias}.started_until)`);
  const twin = await trx.selectFrom('incidents as i')
    .innerJoin('incidents as o', (join) => join.onRef('o.victim_id', '=', 'i.victim_id').onRef('o.id', '<>', 'i.id'))
    .select('o.id')
    .where('i.id', '=', incidentId)
    .where('o.duplicate_of', 'is', null)
    .where(sql<boolean>`o.started_on <= ${periodEnd('i')} and ${periodEnd('o')} >= i.started_on`)
    .where((eb) => eb.exists(eb.selectFrom('incident_sources as si')
      .innerJoin('incident_sources as so', 'so.url', 'si.url')
      .whereRef('si.incident_id', '=', 'i.id').whereRef('so.incident_id', '=', 'o.id')))
    .orderBy('o.id').limit(1).executeTakeFirst();
  if (twin) await trx.updateTable('incidents').set({ duplicate_of: twin.id }).where('id', '=', incidentId).execute();
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === constraint;
}
