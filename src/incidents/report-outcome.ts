import type { Platform } from '../db/schema.js';
import type { AuditActor } from '../trust/audit.js';
import type { Incident, Victim } from './incident-view.js';
import type { RepeatVerdict } from './repeat-breach.js';

// Who reported, and what came of it: read by the ledger's callers, the alert outbox
// and the JSON documents alike, so it lives below all of them.

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

/** The reporter as the audit log names who recorded an incident. */
export const auditActorOf = (reporter: Reporter): AuditActor =>
  ({ platform: reporter.platform, workspace: reporter.workspace, userId: reporter.userId ?? null, name: reporter.user, channelId: reporter.channelId });

export interface ReportOutcome {
  /** The incident recorded, or the one this report joined. */
  incident: Incident;
  victim: Victim;
  victimCreated: boolean;
  verdict: RepeatVerdict;
  /** The submission key was seen before: this is the incident it stored then; nothing new was stored. */
  duplicate: boolean;
  /** Set when the report describes an incident the ledger held: it was added to it as a further report (no new incident, no alert). */
  joined: { report: string; reason: string } | null;
  /** An import's new victim whose name is near known victims' (`nearMatch: 'new'`): their names, worth a look. */
  similarTo?: string[];
}
