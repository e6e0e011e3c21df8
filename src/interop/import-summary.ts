import { ValidationError } from '../errors.js';
import type { Ledger } from '../ledger.js';
import { reviseFromSource } from '../incidents/revision.js';
import type { Reporter, ReportOutcome } from '../incidents/report.js';
import type { IncidentSubmission, IncidentSubmissionInput } from '../incidents/submission.js';
import type { VictimResolution } from '../incidents/victim-resolution.js';
import { recordImported } from './import-record.js';

/** What an import of records did: the same for every source (VERIS files, HHS rows, …). */
export interface ImportSummary {
  imported: number;
  updated: number;
  /** Already imported and unchanged. */
  skipped: number;
  invalid: { file: string; reason: string }[];
  /** Placeholder victims kept as unattributed incidents. */
  unattributed: number;
  /** Records that report an event the ledger already held: how many, and each with the incident it joined and why. */
  doubleEntries: number;
  joined: { file: string; report: string; incident: string; reason: string }[];
  /** Victims created although a known victim had a similar name: worth a look. */
  nearMatches: { file: string; victim: string; similarTo: string[] }[];
  /** Alerts queued (only with `alerts: true`, and only for incidents started within the window of today). */
  alerted: number;
}

export interface ImportOptions {
  /** Queue alerts for incidents whose start lies within the repeat window of today. Off by default. */
  alerts?: boolean;
  /** Never join a record to an incident it looks like: each is an incident of its own (`--new-incident`). */
  newIncidents?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export const emptySummary = (): ImportSummary =>
  ({ imported: 0, updated: 0, skipped: 0, invalid: [], unattributed: 0, doubleEntries: 0, joined: [], nearMatches: [], alerted: 0 });

/** One source record, mapped: its identity in the source, its content's hash, and the submission it makes. */
export interface MappedRecord {
  externalId: string;
  sourceHash: string;
  submission: IncidentSubmissionInput;
  /** The submission validated, once read (what is recorded; `submission` is kept for `newIncidents`). */
  parsed?: IncidentSubmission;
  unattributed?: boolean;
}

/** The incident an earlier import made of a source record, and the hash of what it read then. */
export interface StoredVersion { id: number; source_hash: string | null }

/** The stored versions of many source records at once, by their ids in the source. */
export async function storedVersions(ledger: Ledger, externalIds: string[]): Promise<Map<string, StoredVersion>> {
  if (externalIds.length === 0) return new Map();
  const rows = await ledger.db.selectFrom('incidents').select(['external_id', 'id', 'source_hash']).where('external_id', 'in', externalIds).execute();
  return new Map(rows.map((r) => [r.external_id!, { id: r.id, source_hash: r.source_hash }]));
}

/**
 * Records one mapped record and counts it: unchanged since the last import, skipped;
 * changed, revised; new, reported (joining an incident it reports again). `where` names
 * the record in the summary (a file, a row). `stored` is its stored version when the
 * caller has looked it up already (null: none); `victimResolution`, its victim as resolved
 * together with the batch's (ledger.resolveTogether).
 */
export async function importRecord(
  ledger: Ledger, record: MappedRecord, where: string, reporter: Reporter, summary: ImportSummary, options: ImportOptions,
  stored?: StoredVersion | null, victimResolution?: VictimResolution,
): Promise<void> {
  const existing = stored !== undefined ? stored
    : await ledger.db.selectFrom('incidents').select(['id', 'source_hash']).where('external_id', '=', record.externalId).executeTakeFirst();
  if (existing?.source_hash === record.sourceHash) {
    summary.skipped += 1;
    return;
  }
  if (existing) {
    await reviseFromSource(ledger.db, existing.id, record.submission, record.sourceHash, { platform: 'import', workspace: null, userId: null, name: reporter.user });
    summary.updated += 1;
    return;
  }
  const submission = options.newIncidents ? { ...record.submission, newIncident: true } : record.parsed ?? record.submission;
  const { outcome, alerted } = await recordImported(ledger, submission, reporter, { alerts: options.alerts, externalId: record.externalId, sourceHash: record.sourceHash, victimResolution });
  countImported(summary, record, where, outcome, alerted);
}

/** Counts a record imported as `outcome` (alerts queued for it or not). */
export function countImported(summary: ImportSummary, record: MappedRecord, where: string, outcome: ReportOutcome, alerted: boolean): void {
  summary.imported += 1;
  if (outcome.similarTo) summary.nearMatches.push({ file: where, victim: outcome.victim.name, similarTo: outcome.similarTo });
  if (record.unattributed) summary.unattributed += 1;
  if (outcome.joined) {
    summary.doubleEntries += 1;
    summary.joined.push({ file: where, report: outcome.joined.report, incident: outcome.incident.reference, reason: outcome.joined.reason });
  } else if (alerted) summary.alerted += 1;
}

/** Why a record was not imported, in one line. */
export function reasonOf(error: unknown): string {
  if (error instanceof ValidationError) return error.fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; ');
  return error instanceof Error ? error.message : String(error);
}
