import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { withTransaction } from '../db/in-transaction.js';
import { UserError } from '../errors.js';
import { recordAudit } from '../trust/audit.js';
import type { AuditActor } from '../trust/audit.js';
import { incidentJson } from './incident-json.js';
import { loadIncidents } from './incident-view.js';
import type { Incident } from './incident-view.js';
import { incidentColumns, linkSourcesAndActors } from './incident-rows.js';
import { victimFor } from './submission-victim.js';
import { parseSubmission } from './submission.js';
import { OPERATOR } from '../trust/tlp.js';
import type { Viewer } from '../trust/tlp.js';
import type { IncidentSubmission } from './submission.js';

// An incident is corrected or retracted, never overwritten in place: the version
// before each change is kept in incident_revisions, and the audit log says who.

/**
 * Replaces an incident's content with a corrected submission (validated through the
 * one schema); its reference stays, its revision goes up by one. One transaction.
 *
 * @example
 *   await editIncident(db, 'INC-2020-0001', corrected, { platform: 'slack', workspace: 'T1', userId: 'U1', name: 'ana' })
 */
export async function editIncident(db: Kysely<Database>, reference: string, input: unknown, by: AuditActor, viewer: Viewer = OPERATOR): Promise<Incident> {
  const s = parseSubmission(input);
  return db.transaction().execute(async (trx) => {
    const before = await current(trx, reference);
    // The incident's own victim stays; another one must be a victim this person may know of.
    const keepsVictim = s.victim.id === undefined || s.victim.id === before.victimId;
    const { victim } = keepsVictim
      ? await victimFor(trx, { ...s, victim: { ...s.victim, id: before.victimId } })
      : await victimFor(trx, s, viewer);
    await revise(trx, before, s, by, { victim_id: victim.id });
    const [after] = await loadIncidents(trx, [before.id]);
    await recordAudit(trx, by, 'incident.edit', before.reference, { revision: after!.revision, changed: changedFields(before, after!) });
    return after!;
  });
}

/** Takes an incident out of every lookup, count and alert; it stays in the ledger with who, when and why. */
export async function retractIncident(db: Kysely<Database>, reference: string, by: AuditActor, reason: string): Promise<Incident> {
  const why = reason.trim().slice(0, 500);
  return db.transaction().execute(async (trx) => {
    const before = await current(trx, reference);
    await keep(trx, before, 'retract', by);
    await trx.updateTable('incidents')
      .set({ retracted_at: new Date(), retracted_by: by.name.slice(0, 200), retraction_reason: why || null, revision: before.revision + 1 })
      .where('id', '=', before.id).execute();
    await recordAudit(trx, by, 'incident.retract', before.reference, { revision: before.revision + 1, reason: why });
    const [after] = await loadIncidents(trx, [before.id]);
    return after!;
  });
}

/** An import read a newer version of the incident's source record: the same, with the importer as author. */
export async function reviseFromSource(db: Kysely<Database>, incidentId: number, input: unknown, sourceHash: string, by: AuditActor): Promise<void> {
  const s = parseSubmission(input);
  await withTransaction(db, async (trx) => {
    const [before] = await loadIncidents(trx, [incidentId]);
    if (!before) return;
    await revise(trx, before, s, by, { source_hash: sourceHash });
    await recordAudit(trx, by, 'incident.edit', before.reference, { revision: before.revision + 1, source: 'import' });
  });
}

/** The earlier versions of an incident, oldest first. */
export async function revisionsOf(db: Kysely<Database>, incidentId: number) {
  return db.selectFrom('incident_revisions').selectAll().where('incident_id', '=', incidentId).orderBy('revision').execute();
}

/** The incident by reference, locked for the change; retracted ones cannot change again. */
async function current(trx: Transaction<Database>, reference: string): Promise<Incident> {
  const row = await trx.selectFrom('incidents').select('id').where('reference', '=', reference.trim().toUpperCase()).forUpdate().executeTakeFirst();
  const [incident] = row ? await loadIncidents(trx, [row.id]) : [];
  if (!incident) throw new UserError(`There is no incident ${reference.trim().toUpperCase().slice(0, 30)}.`, 'unknown_incident');
  if (incident.retractedAt) throw new UserError(`${incident.reference} was retracted; it cannot be changed any more.`, 'retracted');
  return incident;
}

/** Keeps the version before, then writes the new content over it: one revision up, sources and actors linked anew. */
async function revise(trx: Transaction<Database>, before: Incident, s: IncidentSubmission, by: AuditActor, also: { victim_id?: number; source_hash?: string }): Promise<void> {
  await keep(trx, before, 'edit', by);
  await trx.updateTable('incidents')
    .set({ ...incidentColumns(s), tlp: s.tlp ?? before.tlp, ...also, revision: before.revision + 1 })
    .where('id', '=', before.id).execute();
  await trx.deleteFrom('incident_sources').where('incident_id', '=', before.id).execute();
  await trx.deleteFrom('incident_threat_actors').where('incident_id', '=', before.id).execute();
  await linkSourcesAndActors(trx, before.id, s);
}

/** Keeps the incident as it stands in its revision history, before a change. */
export async function keep(trx: Transaction<Database>, before: Incident, change: 'edit' | 'retract', by: AuditActor): Promise<void> {
  await trx.insertInto('incident_revisions').values({
    incident_id: before.id, revision: before.revision, content: JSON.stringify({ ...incidentJson(before), victimId: before.victimId }),
    change, changed_by: by.name.slice(0, 200), changed_by_id: by.userId, changed_platform: by.platform,
  }).execute();
}

function changedFields(before: Incident, after: Incident): string[] {
  const a = incidentJson(before) as Record<string, unknown>;
  const b = incidentJson(after) as Record<string, unknown>;
  const fields = Object.keys(b).filter((k) => !['revision', 'reportedAt'].includes(k) && JSON.stringify(a[k]) !== JSON.stringify(b[k]));
  return before.victimId === after.victimId ? fields : [...fields, 'victim'];
}
