import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database, Tlp } from './db/schema.js';
import { withTransaction } from './db/in-transaction.js';
import { analyzeLedger } from './db/planner-statistics.js';
import { createChannelSettings } from './channel-settings.js';
import type { ChannelSettings } from './channel-settings.js';
import type { AuditActor } from './trust/audit.js';
import type { Clearance } from './trust/clearance.js';
import { OPERATOR } from './trust/tlp.js';
import type { Viewer } from './trust/tlp.js';
import { referencedIncident } from './incidents/incident-reference.js';
import { loadIncidents, loadVictims } from './incidents/incident-view.js';
import { mergeIncidents, splitReport } from './incidents/merge.js';
import type { MayChange, MergeOutcome, SplitOutcome } from './incidents/merge.js';
import { findRepeatVictims, repeatVerdict } from './incidents/repeat-breach.js';
import type { RepeatVerdict, RepeatVictim } from './incidents/repeat-breach.js';
import { editIncident, retractIncident } from './incidents/revision.js';
import type { Certainty } from './incidents/repeat-window.js';
import { reportIncident } from './incidents/report.js';
import { holdVictims } from './incidents/victim-lock.js';
import type { Reporter, ReportOutcome } from './incidents/report.js';
import { search } from './incidents/search.js';
import { queueAlerts } from './alerts/outbox.js';
import type { SearchOptions, SearchPage } from './incidents/search.js';
import { suggestVictims, victimIncidents, victimOutlines } from './incidents/victim-incidents.js';
import type { Incident, IncidentOutline, Victim } from './incidents/incident-view.js';
import { resolveVictim } from './incidents/victim-resolution.js';
import { resolveTogether } from './incidents/resolve-together.js';
import { reportNewVictims } from './incidents/report-new-victims.js';
import type { NewVictimReport } from './incidents/report-new-victims.js';
import type { IncidentSubmission } from './incidents/submission.js';
import type { VictimResolution } from './incidents/victim-resolution.js';

/**
 * The incident ledger's services, bound to one database and repeat window: commands
 * and chat read and change the ledger only through these (lint keeps `db` out of them).
 */
export interface Ledger {
  /** For the process's own wiring (bot.ts, the command line, tests), not for commands. */
  readonly db: Kysely<Database>;
  readonly windowDays: number;
  /** The marking a report gets when it has none, and a channel's clearance until it sets one. */
  readonly tlpDefault: Tlp;
  readonly clearanceDefault: Clearance;
  /** Lookups show only what `viewer` may see (TLP, retractions); the default sees everything (the command line). */
  search(query: string, options?: SearchOptions & { viewer?: Viewer }): Promise<SearchPage>;
  /** Validates and records an incident and queues its alerts (unless `alerts: false`, as imports do). */
  /**
   * `bulk`: one record of an import. Its commit does not wait for the disk (the record
   * is still all or nothing); a crash may lose the last moments' records, which the
   * import's next run records again, since it skips only what is stored.
   */
  report(input: unknown, reporter: Reporter, options?: { submissionKey?: string; externalId?: string; sourceHash?: string; reference?: string; alerts?: boolean; bulk?: boolean; viewer?: Viewer; sameEvent?: 'ask' | 'auto'; nearMatch?: 'ask' | 'new'; victimResolution?: VictimResolution }): Promise<ReportOutcome>;
  /**
   * The victims of submissions about to be reported one after another in this ledger's
   * transaction (a batch), resolved in one statement: pass each as its report's
   * `victimResolution`. Those an earlier one could change get none and resolve alone.
   * Within `batch`, the victims found are held from here until it ends (victim-lock.ts).
   */
  resolveTogether(submissions: readonly IncidentSubmission[]): Promise<(VictimResolution | undefined)[]>;
  /**
   * Records reports whose victims were resolved together as new (`createsItsVictim`)
   * as one after another would, in two statements for all of them, with no alerts:
   * an import's new victims. Within `batch`, like `resolveTogether`.
   */
  reportNewVictims(reports: readonly NewVictimReport[], reporter: Reporter): Promise<ReportOutcome[]>;
  /**
   * Runs `work` (an import's batch of records) on a ledger bound to one transaction: all
   * of it commits, or nothing of it when anything throws. Like a `bulk` report, its
   * commit does not wait for the disk.
   */
  batch<T>(work: (ledger: Ledger) => Promise<T>): Promise<T>;
  /**
   * Brings the planner's statistics of the ledger's tables up to date (ANALYZE) and
   * returns how many incidents they count: for an import that has grown them (db/planner-statistics.ts).
   */
  analyze(): Promise<number>;
  /** Repeat victims, certain and possible (`certainty: 'certain'` for the certain ones only). */
  repeats(options?: { windowDays?: number; limit?: number; viewer?: Viewer; certainty?: Certainty }): Promise<RepeatVictim[]>;
  /** Which victim a typed name means; near matches name only victims `viewer` may know of. */
  resolveVictim(victim: { name: string; country?: string; region?: string; city?: string }, viewer?: Viewer): Promise<VictimResolution>;
  /** One victim and a page of its incidents; null when there is no such victim. */
  victim(id: number, page?: { offset: number; limit: number }, viewer?: Viewer): Promise<{ victim: Victim; incidents: Incident[]; total: number } | null>;
  /** The newest `limit` incidents of each victim `viewer` may see, as outlines (what a timeline and its verdict read), by victim id. */
  outlines(victimIds: readonly number[], limit: number, viewer?: Viewer): Promise<Map<number, IncidentOutline[]>>;
  suggestVictims(typed: string, limit?: number): Promise<Victim[]>;
  victims(ids: number[]): Promise<Victim[]>;
  /** The incident a typed reference names, as `viewer` may see it; a report joined to an incident leads to it (`viaReport`). */
  incident(reference: string, viewer?: Viewer): Promise<{ incident: Incident; viaReport: string | null } | null>;
  /** Whether the incident is a repeat breach, as `viewer` may see its victim's other incidents. */
  verdict(incident: Incident, viewer?: Viewer): Promise<RepeatVerdict>;
  /** A corrected version of the incident; the previous one is kept. */
  edit(reference: string, input: unknown, by: AuditActor, viewer?: Viewer): Promise<Incident>;
  retract(reference: string, by: AuditActor, reason: string): Promise<Incident>;
  /** The second incident (and its reports) becomes a report of the first. */
  merge(keep: string, other: string, by: AuditActor, mayChange: MayChange, options?: { viewer?: Viewer }): Promise<MergeOutcome>;
  split(incident: string, report: string, by: AuditActor, mayChange: MayChange, options?: { viewer?: Viewer }): Promise<SplitOutcome>;
  /** What each channel asked for: alerts, watches, clearance. */
  readonly channels: ChannelSettings;
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
  // Bound to a transaction (a batch): the victims it holds already (resolveTogether).
  const heldVictims = new Set<number>();
  return {
    db,
    windowDays,
    tlpDefault,
    clearanceDefault,
    search: (query, searchOptions) => search(db, query, searchOptions),
    report: (input, reporter, { alerts = true, bulk = false, ...keys } = {}) => reportIncident(db, input, reporter, {
      windowDays,
      tlpDefault,
      heldVictims,
      ...keys,
      inTransaction: async (trx, outcome) => {
        // The flush to disk was a fifth of an import's time on PostgreSQL. (A batch set it once.)
        if (bulk && !db.isTransaction) await sql`set local synchronous_commit = off`.execute(trx);
        // The outbox rows commit with the incident: an alert exists exactly when its incident does.
        if (alerts) await queueAlerts(trx, outcome, { windowDays, digestHourUtc, clearanceDefault });
      },
    }),
    batch: (work) => withTransaction(db, async (trx) => {
      await sql`set local synchronous_commit = off`.execute(trx);
      return work(createLedger(trx, options));
    }),
    analyze: () => analyzeLedger(db),
    repeats: (o = {}) => findRepeatVictims(db, { windowDays: o.windowDays ?? windowDays, limit: o.limit, viewer: o.viewer, certainty: o.certainty }),
    resolveVictim: (victim, viewer) => resolveVictim(db, victim, viewer),
    resolveTogether: async (submissions) => {
      const resolved = await resolveTogether(db, submissions, OPERATOR);
      // In a batch, the victims found are held at once, for the reports that follow: one
      // statement for them all, instead of one in each report (victim-lock.ts).
      if (db.isTransaction) {
        const found = resolved.flatMap((r) => (r?.status === 'matched' && !heldVictims.has(r.victim.id) ? [r.victim.id] : []));
        await holdVictims(db, found);
        for (const id of found) heldVictims.add(id);
      }
      return resolved;
    },
    reportNewVictims: (reports, reporter) => reportNewVictims(db, reports, reporter, { windowDays, tlpDefault }),
    victim: (id, page = { offset: 0, limit: 10 }, viewer) => victimIncidents(db, id, page, viewer),
    outlines: (victimIds, limit, viewer) => victimOutlines(db, victimIds, limit, viewer),
    suggestVictims: (typed, limit) => suggestVictims(db, typed, limit),
    victims: (ids) => loadVictims(db, ids),
    incident: async (reference, viewer) => {
      const found = await referencedIncident(db, reference, viewer ?? OPERATOR);
      const [incident] = found ? await loadIncidents(db, [found.incidentId]) : [];
      return incident ? { incident, viaReport: found!.viaReport } : null;
    },
    verdict: (incident, viewer) => repeatVerdict(db, incident, windowDays, viewer),
    edit: (reference, input, by, viewer) => editIncident(db, reference, input, by, viewer),
    retract: (reference, by, reason) => retractIncident(db, reference, by, reason),
    merge: (keep, other, by, mayChange, o) => mergeIncidents(db, keep, other, by, mayChange, o),
    split: (incident, report, by, mayChange, o) => splitReport(db, incident, report, by, mayChange, o),
    channels: createChannelSettings(db, clearanceDefault),
  };
}
