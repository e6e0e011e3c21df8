import type { Kysely } from 'kysely';
import type { Database, Tlp } from './db/schema.js';
import type { Clearance } from './trust/clearance.js';
import type { Viewer } from './trust/tlp.js';
import { findRepeatVictims } from './incidents/repeat-breach.js';
import type { RepeatVictim } from './incidents/repeat-breach.js';
import type { Certainty } from './incidents/repeat-window.js';
import { reportIncident } from './incidents/report.js';
import type { Reporter, ReportOutcome } from './incidents/report.js';
import { search } from './incidents/search.js';
import { queueAlerts } from './alerts/outbox.js';
import type { SearchOptions, SearchPage } from './incidents/search.js';
import { suggestVictims, victimIncidents } from './incidents/victim-incidents.js';
import type { Incident, Victim } from './incidents/incident-view.js';
import { resolveVictim } from './incidents/victim-resolution.js';
import type { VictimResolution } from './incidents/victim-resolution.js';

/** The incident ledger's services, bound to one database and repeat window. */
export interface Ledger {
  readonly db: Kysely<Database>;
  readonly windowDays: number;
  /** The marking a report gets when it has none, and a channel's clearance until it sets one. */
  readonly tlpDefault: Tlp;
  readonly clearanceDefault: Clearance;
  /** Lookups show only what `viewer` may see (TLP, retractions); the default sees everything (the command line). */
  search(query: string, options?: SearchOptions & { viewer?: Viewer }): Promise<SearchPage>;
  /** Validates and records an incident and queues its alerts (unless `alerts: false`, as imports do). */
  report(input: unknown, reporter: Reporter, options?: { submissionKey?: string; externalId?: string; sourceHash?: string; reference?: string; alerts?: boolean; viewer?: Viewer; sameEvent?: 'ask' | 'auto' }): Promise<ReportOutcome>;
  /** Repeat victims, certain and possible (`certainty: 'certain'` for the certain ones only). */
  repeats(options?: { windowDays?: number; limit?: number; viewer?: Viewer; certainty?: Certainty }): Promise<RepeatVictim[]>;
  /** Which victim a typed name means; near matches name only victims `viewer` may know of. */
  resolveVictim(victim: { name: string; country?: string; region?: string; city?: string }, viewer?: Viewer): Promise<VictimResolution>;
  /** One victim and a page of its incidents; null when there is no such victim. */
  victim(id: number, page?: { offset: number; limit: number }, viewer?: Viewer): Promise<{ victim: Victim; incidents: Incident[]; total: number } | null>;
  suggestVictims(typed: string, limit?: number): Promise<Victim[]>;
}

export interface LedgerOptions {
  windowDays: number;
  /** When daily alert digests go out, UTC hour (default 9). */
  digestHourUtc?: number;
  /** TLP_DEFAULT and CHANNEL_CLEARANCE_DEFAULT (both GREEN unless configured). */
  tlpDefault?: Tlp;
  clearanceDefault?: Clearance;
}

export function createLedger(db: Kysely<Database>, options: LedgerOptions): Ledger {
  const { windowDays } = options;
  const digestHourUtc = options.digestHourUtc ?? 9;
  const tlpDefault = options.tlpDefault ?? 'green';
  const clearanceDefault = options.clearanceDefault ?? 'green';
  return {
    db,
    windowDays,
    tlpDefault,
    clearanceDefault,
    search: (query, searchOptions) => search(db, query, searchOptions),
    report: (input, reporter, { alerts = true, ...keys } = {}) => reportIncident(db, input, reporter, {
      windowDays,
      tlpDefault,
      ...keys,
      // The outbox rows commit with the incident: an alert exists exactly when its incident does.
      inTransaction: alerts ? async (trx, outcome) => void (await queueAlerts(trx, outcome, { windowDays, digestHourUtc, clearanceDefault })) : undefined,
    }),
    repeats: (o = {}) => findRepeatVictims(db, { windowDays: o.windowDays ?? windowDays, limit: o.limit, viewer: o.viewer, certainty: o.certainty }),
    resolveVictim: (victim, viewer) => resolveVictim(db, victim, viewer),
    victim: (id, page = { offset: 0, limit: 10 }, viewer) => victimIncidents(db, id, page, viewer),
    suggestVictims: (typed, limit) => suggestVictims(db, typed, limit),
  };
}
