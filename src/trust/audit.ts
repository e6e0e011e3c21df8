import { sql } from 'kysely';
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
  await db.insertInto('audit_log').values(auditRow(who, action, subject, detail)).execute();
}

/**
 * The same entry as `recordAudit`, for the WITH clause of the statement that makes the
 * change, when that statement assigns the subject: `subject` is a column of the CTE
 * `from` (a new incident's reference), and so may be details (`fromColumns`: a detail's
 * key and its column). One round trip fewer.
 */
export function auditInStatement(
  who: AuditActor, action: AuditAction, from: string, subject: string, detail: Record<string, unknown> = {}, fromColumns: Record<string, string> = {},
) {
  const e = entry(who, action, detail);
  const column = (name: string) => sql.ref(`${from}.${name}`);
  const columns = Object.entries(fromColumns).map(([key, name]) => sql`${key}::text, ${column(name)}`);
  const details = columns.length === 0 ? sql`${e.detail}::jsonb` : sql`${e.detail}::jsonb || jsonb_build_object(${sql.join(columns)})`;
  return sql<object>`(insert into audit_log (platform, workspace, user_id, user_name, channel_id, action, subject, detail)
    select ${e.platform}::text, ${e.workspace}::text, ${e.user_id}::text, ${e.user_name}::text, ${e.channel_id}::text, ${e.action}::text,
      left(${column(subject)}, 500), ${details} from ${sql.table(from)})`;
}

/** One entry as its row, for a statement that records many (an import's batch). */
export function auditRow(who: AuditActor, action: AuditAction, subject: string, detail: Record<string, unknown>) {
  return { ...entry(who, action, detail), subject: subject.slice(0, 500) };
}

function entry(who: AuditActor, action: AuditAction, detail: Record<string, unknown>) {
  return {
    platform: who.platform, workspace: who.workspace, user_id: who.userId, user_name: who.name.slice(0, 200),
    channel_id: who.channelId ?? null, action, detail: JSON.stringify(detail),
  };
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
