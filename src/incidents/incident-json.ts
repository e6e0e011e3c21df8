import type { Incident, Victim } from './incident-view.js';
import { formatPartialDate } from './partial-date.js';
import type { PartialDate } from './partial-date.js';
import type { RepeatVerdict, RepeatVictim } from './repeat-breach.js';
import type { SearchPage } from './search.js';
import type { ReportOutcome } from './report-outcome.js';
import { victimVerdict } from './victim-verdict.js';
import type { VictimVerdict } from './victim-verdict.js';

// The JSON documents `breachdesk … --json` prints. Other tools read them: add
// fields freely, never rename or remove one (README documents the shapes).

const date = (d: PartialDate | null) => (d ? formatPartialDate(d) : null);

export function victimJson(v: Victim) {
  return { id: v.id, name: v.name, kind: v.kind, sector: v.sector, country: v.country, region: v.region, city: v.city, unattributed: v.unattributed };
}

export function incidentJson(i: Incident) {
  return {
    reference: i.reference,
    startDate: date(i.started),
    endDate: date(i.ended),
    discoveredDate: date(i.discovered),
    disclosedDate: date(i.disclosed),
    title: i.title,
    summary: i.summary,
    description: i.description,
    vendor: i.vendor,
    vector: i.vector,
    impact: i.impact,
    motives: i.motives,
    techniques: i.techniques,
    threatActors: i.threatActors,
    recordsAffected: i.recordsAffected,
    sources: i.sources,
    reportedBy: i.reportedBy,
    reportedAt: i.reportedAt.toISOString(),
    externalId: i.externalId,
    tlp: `TLP:${i.tlp.toUpperCase()}`,
    revision: i.revision,
    reports: i.reports.map((r) => ({ reference: r.reference, reportedBy: r.reportedBy, reportedAt: r.reportedAt.toISOString(), externalId: r.externalId, sources: r.sources, reason: r.reason })),
  };
}

/** A victim's repeat status (victim-verdict.ts), or null when none of the incidents shown is a repeat. */
export function victimVerdictJson(v: VictimVerdict | null) {
  if (!v) return null;
  return {
    certainty: v.certainty,
    windowDays: v.verdict.windowDays,
    incidents: v.incidents.map((i) => i.reference),
    daysApart: v.daysApart,
    sharedVendors: v.verdict.sharedVendors,
    sharedTechniques: v.verdict.sharedTechniques,
    sharedThreatActors: v.verdict.sharedThreatActors,
    possibleBecause: v.verdict.possibleBecause,
  };
}

export function verdictJson(v: RepeatVerdict) {
  return {
    isRepeat: v.isRepeat,
    ordinal: v.ordinal,
    windowDays: v.windowDays,
    headline: v.headline,
    others: v.others.map(incidentJson),
    sharedVendors: v.sharedVendors,
    sharedTechniques: v.sharedTechniques,
    sharedThreatActors: v.sharedThreatActors,
    certainty: v.certainty,
    possibleOthers: v.possibleOthers,
  };
}

export function searchJson(page: SearchPage, windowDays: number) {
  return {
    query: page.query,
    victims: page.hits.map((h) => ({
      ...victimJson(h.victim),
      matchedBy: h.matchedBy,
      totalIncidents: h.totalIncidents,
      repeat: victimVerdictJson(victimVerdict(h.incidents, windowDays)),
      incidents: h.incidents.map(incidentJson),
    })),
    nextCursor: page.nextCursor,
  };
}

export function reportJson(outcome: ReportOutcome) {
  return {
    incident: incidentJson(outcome.incident),
    victim: victimJson(outcome.victim),
    victimCreated: outcome.victimCreated,
    joined: outcome.joined,
    repeat: verdictJson(outcome.verdict),
  };
}

export function repeatsJson(windowDays: number, victims: RepeatVictim[]) {
  return {
    windowDays,
    victims: victims.map((r) => ({ ...victimJson(r.victim), certainty: r.certainty, incidents: r.incidents.map(incidentJson) })),
  };
}
