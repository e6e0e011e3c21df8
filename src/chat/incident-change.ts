import type { Incident } from '../incidents/incident-view.js';
import { loadIncidents } from '../incidents/incident-view.js';
import type { Services } from '../services.js';
import type { AuditActor } from '../trust/audit.js';
import { visibleTo } from '../trust/tlp.js';
import type { Viewer } from '../trust/tlp.js';
import type { Actor, ChannelRef } from './command.js';

/** An incident by reference that this person may see (and so may try to change); null otherwise. */
export async function changeableIncident(services: Services, reference: string, viewer: Viewer): Promise<Incident | null> {
  const row = await services.ledger.db.selectFrom('incidents').select('id')
    .where('reference', '=', reference.trim().toUpperCase()).where(visibleTo(viewer)).executeTakeFirst();
  if (!row) return null;
  const [incident] = await loadIncidents(services.ledger.db, [row.id]);
  return incident ?? null;
}

/** The audit log's "who" for a change made from chat. */
export function changer(actor: Actor, channel: ChannelRef): AuditActor {
  return { platform: actor.platform, workspace: actor.workspace, userId: actor.userId, name: actor.displayName ?? actor.userId, channelId: channel.channelId };
}
