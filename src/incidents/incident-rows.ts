import type { Transaction } from 'kysely';
import type { Database, Tlp } from '../db/schema.js';
import { attackGroupsByName } from './attack-catalogue.js';
import type { Reporter } from './report-outcome.js';
import type { IncidentSubmission } from './submission.js';
import { normalizeVictimName } from './victim-name.js';

// An incident row's content, as a submission sets it: for a new incident, a report
// joined to one, an edit and a re-import alike.

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

/** A new incident's row as a report stores it: its content, who reported it, its marking and where it came from. */
export function reportedColumns(
  s: IncidentSubmission,
  reporter: Reporter,
  options: { tlpDefault?: Tlp; submissionKey?: string; externalId?: string; sourceHash?: string },
) {
  return {
    ...incidentColumns(s),
    reported_platform: reporter.platform,
    reported_workspace: reporter.workspace,
    reported_by: reporter.user,
    reported_by_id: reporter.userId ?? null,
    tlp: s.tlp ?? options.tlpDefault ?? 'clear',
    submission_key: options.submissionKey ?? null,
    external_id: options.externalId ?? null,
    source_hash: options.sourceHash ?? null,
  };
}

export async function linkSourcesAndActors(trx: Transaction<Database>, id: number, s: IncidentSubmission): Promise<void> {
  if (s.sources.length > 0) {
    await trx.insertInto('incident_sources').values(s.sources.map((url, position) => ({ incident_id: id, position, url }))).execute();
  }
  await linkThreatActors(trx, id, s.threatActors);
}

/** Links the incident to its threat actors, creating those the ledger does not know; returns their names as stored. */
export async function linkThreatActors(trx: Transaction<Database>, id: number, names: readonly string[]): Promise<string[]> {
  const stored: string[] = [];
  for (const name of names) {
    const group = attackGroupsByName().get(name.toLowerCase());
    const actor = await trx
      .insertInto('threat_actors')
      .values({ name, normalized_name: normalizeVictimName(name).normalized, attack_group_id: group?.id ?? null })
      .onConflict((oc) => oc.column('normalized_name').doUpdateSet((eb) => ({ name: eb.ref('threat_actors.name') })))
      .returning(['id', 'name'])
      .executeTakeFirstOrThrow();
    await trx.insertInto('incident_threat_actors').values({ incident_id: id, threat_actor_id: actor.id })
      .onConflict((oc) => oc.doNothing()).execute();
    stored.push(actor.name);
  }
  return [...new Set(stored)];
}

/** A title when none was given: the summary's first sentence, cut at a word. */
function titleFrom(s: IncidentSubmission): string {
  const sentence = s.summary.split(/(?<=[.!?])\s/)[0] ?? s.summary;
  if (sentence.length <= 120) return sentence;
  return `${sentence.slice(0, 120).replace(/\s+\S*$/, '')}…`;
}

