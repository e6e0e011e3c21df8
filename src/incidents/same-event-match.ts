import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import { UserError } from '../errors.js';
import type { Incident } from './incident-view.js';
import { daysBetween, formatPartialDate, periodEnd } from './partial-date.js';
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
 * The incidents among `nearby` (a victim's, as `viewer` may see them, and the reports
 * joined to them: nearby-incidents.ts) that a submission probably describes again, best
 * first. Each incident is judged by the closest of its reports: a follow-up story may
 * resemble the article it follows better than the first report.
 */
export function sameEventCandidates(s: IncidentSubmission, nearby: readonly Incident[], victimName: string): SameEventCandidate[] {
  const incidents = nearby.filter((i) => i.mergedInto === null && isNearInTime(s, i));
  if (incidents.length === 0) return [];
  const reports = nearby.filter((i) => i.mergedInto !== null);
  const facts = factsOf(s);
  return incidents
    .map((incident) => {
      const judgements = [incident, ...reports.filter((r) => r.mergedInto === incident.id)].map((r) => sameEvent(facts, r, victimName));
      return { incident, judgement: judgements.reduce((a, b) => (b.score > a.score ? b : a)) };
    })
    .filter((c) => c.judgement.score >= SAME_EVENT_THRESHOLD)
    .sort((a, b) => b.judgement.score - a.judgement.score || a.incident.id - b.incident.id);
}

/** How far from a submission's dates an incident it describes again may start. */
function horizonOf(s: IncidentSubmission): { until: string; back: number } {
  return { until: periodEnd(s.endDate ?? s.startDate), back: isRegisterCopy(s) ? REGISTER_LAG_DAYS : HORIZON_DAYS };
}

/** Whether an incident starts near enough the submission's dates to be the same event: its start interval within the horizon. */
function isNearInTime(s: IncidentSubmission, o: Pick<Incident, 'started' | 'startedUntil'>): boolean {
  const { until, back } = horizonOf(s);
  return daysBetween(until, o.started.on) <= HORIZON_DAYS && daysBetween(o.startedUntil, s.startDate.on) <= back;
}

/** {@link isNearInTime} in SQL, for incidents aliased `o`: what nearby-incidents.ts reads. */
export function nearInTime(s: IncidentSubmission, o = 'o'): RawBuilder<boolean> {
  const { until, back } = horizonOf(s);
  return sql<boolean>`(${sql.ref(`${o}.started_on`)} <= ${until}::date + ${HORIZON_DAYS}::int and ${sql.ref(`${o}.started_until`)} >= ${s.startDate.on}::date - ${back}::int)`;
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
