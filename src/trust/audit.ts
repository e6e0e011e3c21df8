import type { Kysely } from 'kysely';
import type { Database, Platform } from '../db/schema.js';

export type AuditAction =
  | 'incident.report' | 'incident.edit' | 'incident.retract' | 'incident.merge' | 'incident.split'
  | 'alerts.subscribe' | 'alerts.change' | 'alerts.unsubscribe'
  | 'watch.add' | 'watch.remove' | 'channel.clearance';

/** Who did it, from where. */
export interface AuditActor {
  platform: Platform;
  workspace: string | null;
  userId: string | null;
  name: string;
  channelId?: string | null;
}

/** The "who" of a change made to a channel's settings by its owner (subscriptions, watches, clearance). */
export function channelActor(channel: { platform: Platform; workspace: string | null; channelId: string }, by: { name: string; id: string | null }): AuditActor {
  return { platform: channel.platform, workspace: channel.workspace, userId: by.id, name: by.name, channelId: channel.channelId };
}

export interface AuditEntry {
  id: string;
  at: Date;
  who: AuditActor;
  action: string;
  /** What it was done to: an incident reference, a channel, a watch target. */
  subject: string;
  detail: Record<string, unknown>;
}

/**
 * Records one action. Call it with the transaction that makes the change, so the
 * log holds exactly what happened.
 */
export async function recordAudit(db: Kysely<Database>, who: AuditActor, action: AuditAction, subject: string, detail: Record<string, unknown> = {}): Promise<void> {
  await db.insertInto('audit_log').values({
    platform: who.platform, workspace: who.workspace, user_id: who.userId, user_name: who.name.slice(0, 200),
    channel_id: who.channelId ?? null, action, subject: subject.slice(0, 500), detail: JSON.stringify(detail),
  }).execute();
}

/** The log, oldest first, from `since` on. */
export async function readAudit(db: Kysely<Database>, options: { since?: Date; limit?: number } = {}): Promise<AuditEntry[]> {
  let query = db.selectFrom('audit_log').selectAll().orderBy('id').limit(options.limit ?? 10_000);
  if (options.since) query = query.where('at', '>=', options.since);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: String(r.id), at: r.at, action: r.action, subject: r.subject, detail: r.detail,
    who: { platform: r.platform, workspace: r.workspace, userId: r.user_id, name: r.user_name, channelId: r.channel_id },
  }));
}
