import type { Incident } from '../incidents/incident-view.js';
import type { Services } from '../services.js';
import type { AuditActor } from '../trust/audit.js';
import { OPEN_POLICY, REFUSALS, mayChange } from '../trust/permissions.js';
import type { Viewer } from '../trust/tlp.js';
import type { Actor, ChannelRef } from '../identity.js';

/**
 * The incident this person may change (its reporter or an admin), or why not: one
 * they may not see is not there for them at all. Edit and retract ask it on open and
 * again on submit.
 */
export async function incidentToChange(services: Services, actor: Actor, reference: string, viewer: Viewer): Promise<{ incident: Incident } | { refusal: string }> {
  const typed = reference.trim().toUpperCase();
  const found = await services.ledger.incident(typed, viewer);
  if (!found) return { refusal: `There is no incident ${typed.slice(0, 30)}.` };
  const { incident, viaReport } = found;
  // A report joined to an incident is changed as that incident, or split off first.
  if (viaReport) return { refusal: `${viaReport} is a report of ${incident.reference} now: change ${incident.reference}, or split the report off first (\`/incident split ${incident.reference} ${viaReport}\`).` };
  if (!mayChange(actor, incident, services.trust ?? OPEN_POLICY)) return { refusal: REFUSALS.change };
  return { incident };
}

/** The audit log's "who" for a change made from chat. */
export function changer(actor: Actor, channel: ChannelRef): AuditActor {
  return { platform: actor.platform, workspace: actor.workspace, userId: actor.userId, name: actor.displayName ?? actor.userId, channelId: channel.channelId };
}
