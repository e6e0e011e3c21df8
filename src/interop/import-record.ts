import type { Ledger } from '../ledger.js';
import { daysBetween, periodEnd, todayUtc } from '../incidents/partial-date.js';
import type { PartialDate } from '../incidents/partial-date.js';
import type { Reporter, ReportOutcome } from '../incidents/report.js';
import { parseSubmission } from '../incidents/submission.js';
import type { IncidentSubmission, IncidentSubmissionInput } from '../incidents/submission.js';
import type { VictimResolution } from '../incidents/victim-resolution.js';

export interface ImportedRecord {
  outcome: ReportOutcome;
  /** Alerts were queued for it. */
  alerted: boolean;
  /** The victim is new although known victims have a similar name: worth a look. */
  nearMatch: { victim: string; similarTo: string[] } | null;
}

/**
 * Records one imported incident. With `alerts`, only an incident whose start lies
 * within the repeat window of today alerts (old history must not flood channels).
 * An import cannot ask "did you mean …?": a near-match victim is kept as a new one
 * and reported back (in the same transaction: no second attempt).
 */
export async function recordImported(
  ledger: Ledger,
  submission: IncidentSubmissionInput | IncidentSubmission,
  reporter: Reporter,
  options: { alerts?: boolean; externalId?: string; reference?: string; sourceHash: string; victimResolution?: VictimResolution },
): Promise<ImportedRecord> {
  const alerts = !!options.alerts && startedWithin(parseSubmission(submission).startDate, ledger.windowDays);
  const outcome = await ledger.report(submission, reporter, {
    alerts, bulk: true, nearMatch: 'new', externalId: options.externalId, reference: options.reference, sourceHash: options.sourceHash, victimResolution: options.victimResolution,
  });
  return { outcome, alerted: alerts, nearMatch: outcome.similarTo ? { victim: outcome.victim.name, similarTo: outcome.similarTo } : null };
}

/** Whether `start` (its last possible day, for a month or a year) lies within the last `days` days. */
function startedWithin(start: PartialDate, days: number): boolean {
  return daysBetween(periodEnd(start), todayUtc()) <= days;
}
