import { incidentSummary, verdictBlocks, victimSummary } from '../chat/incident-blocks.js';
import { actions, message } from '../chat/message.js';
import type { Message } from '../chat/message.js';
import type { ReportOutcome } from '../incidents/report.js';

/**
 * The alert a channel reads: the victim and its place, the ordinal, the new incident,
 * the others in the window with the gap, what they share, and a button to see all.
 */
export function alertMessage(outcome: ReportOutcome, reason: 'repeat' | 'watch'): Message {
  const { victim, incident, verdict } = outcome;
  const headline = reason === 'repeat' || verdict.isRepeat
    ? `Repeat breach: ${victim.name} — ${verdict.headline}`
    : `New incident for watched victim ${victim.name}`;
  return message(
    `${headline}: ${incident.reference} ${incident.title}`,
    { type: 'heading', text: headline },
    { type: 'victim', victim: victimSummary(victim), incidents: [incidentSummary(incident)], totalIncidents: null },
    ...(verdict.isRepeat ? verdictBlocks(incident, verdict).slice(1) : []),
    { type: 'context', text: `Reported by ${incident.reportedBy.user} on ${incident.reportedBy.platform}` },
    actions({ label: 'Show all incidents', command: `victim #${victim.id}` }),
  );
}
