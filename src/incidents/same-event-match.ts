import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { UserError } from '../errors.js';
import { visibleTo } from '../trust/tlp.js';
import type { Viewer } from '../trust/tlp.js';
import { selectIncidents, toIncident } from './incident-view.js';
import type { Incident } from './incident-view.js';
import { formatPartialDate, periodEnd } from './partial-date.js';
import { SAME_EVENT_THRESHOLD, sameEvent } from './same-event.js';
import type { SameEventJudgement } from './same-event.js';
import { isRegisterCopy } from './event-evidence.js';
import type { EventFacts } from './event-evidence.js';
import type { IncidentSubmission } from './submission.js';

/** An incident a new report may describe, and how alike the two are. */
export interface SameEventCandidate {
  incident: Incident;
  judgement: SameEventJudgement;
}

/**
 * The report looks like an incident the victim already has: the person says whether
 * it is that incident (`sameAs`) or a different one (`newIncident: true`). Nothing
 * was stored.
 */
export class SameEventNeedsConfirmation extends UserError {
  override readonly name = 'SameEventNeedsConfirmation';
  constructor(
    readonly candidates: SameEventCandidate[],
    /** The victim the report is of, as the ledger names it. */
    readonly victimName: string,
  ) {
    super(
      `This looks like ${candidates.map((c) => `${c.incident.reference} (${c.judgement.reasons.join(', ')})`).join(' or ')}. ` +
        'Say which (sameAs: INC-…) or that it is a different incident (newIncident: true).',
      'same_event_needs_confirmation',
    );
  }
}

// Reports of one event come within two years of each other (a sentencing, a fine)…
const HORIZON_DAYS = 730;
// …but a breach register's entry is dated when it was filed, sometimes years after
// the breach (a covered entity that found out late): it may tell an older event.
const REGISTER_LAG_DAYS = 5 * 365;

/**
 * The victim's incidents (those `viewer` may see) that a submission probably
 * describes again, best first. Each incident is judged by the closest of its
 * reports: a follow-up story may resemble the article it follows better than the
 * first report.
 */
export async function sameEventCandidates(db: Kysely<Database>, s: IncidentSubmission, victimId: number, victimName: string, viewer: Viewer): Promise<SameEventCandidate[]> {
  const until = periodEnd(s.endDate ?? s.startDate);
  const back = isRegisterCopy(s) ? REGISTER_LAG_DAYS : HORIZON_DAYS;
  // The incidents near in time and the reports joined to them, found and loaded in one statement.
  const near = db.selectFrom('incidents as o').select('o.id')
    .where('o.victim_id', '=', victimId)
    .where(visibleTo(viewer, 'o'))
    .where(sql<boolean>`o.started_on <= ${until}::date + ${HORIZON_DAYS}::int and o.started_until >= ${s.startDate.on}::date - ${back}::int`);
  const rows = await selectIncidents(db)
    .where('i.id', 'in', near.unionAll(db.selectFrom('incidents as r').select('r.id').where('r.merged_into', 'in', near).where('r.retracted_at', 'is', null)))
    .orderBy('i.started_on', 'desc').orderBy('i.id', 'desc')
    .execute();
  if (rows.length === 0) return [];
  const loaded = rows.map(toIncident);
  const incidents = loaded.filter((i) => i.mergedInto === null);
  const reports = loaded.filter((i) => i.mergedInto !== null);
  const facts = factsOf(s);
  return incidents
    .map((incident) => {
      const judgements = [incident, ...reports.filter((r) => r.mergedInto === incident.id)].map((r) => sameEvent(facts, r, victimName));
      return { incident, judgement: judgements.reduce((a, b) => (b.score > a.score ? b : a)) };
    })
    .filter((c) => c.judgement.score >= SAME_EVENT_THRESHOLD)
    .sort((a, b) => b.judgement.score - a.judgement.score || a.incident.id - b.incident.id);
}

/** A submission read as the facts two reports are compared by. */
export function factsOf(s: IncidentSubmission): EventFacts {
  return {
    started: s.startDate, ended: s.endDate ?? null, discovered: s.discoveredDate ?? null, disclosed: s.disclosedDate ?? null,
    title: s.title ?? '', summary: s.summary, description: s.description ?? null, vendor: s.vendor ?? null, vector: s.vector ?? null,
    techniques: s.techniques, threatActors: s.threatActors, recordsAffected: s.recordsAffected ?? null, sources: s.sources,
  };
}

/** "INC-2020-0001 (City of Odessa, 2020-04 – 2020-06, Click2Gov)": how the form names a candidate. */
export function candidateLabel(incident: Incident, victimName: string): string {
  const when = incident.ended ? `${formatPartialDate(incident.started)} – ${formatPartialDate(incident.ended)}` : formatPartialDate(incident.started);
  return `${incident.reference} (${[victimName, when, incident.vendor ?? incident.title].filter(Boolean).join(', ')})`;
}
