import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { recordAudit } from '../trust/audit.js';
import type { AuditActor } from '../trust/audit.js';
import { loadIncidents } from './incident-view.js';
import type { Incident } from './incident-view.js';
import { keep } from './revision.js';

// One event, many reports: a report joined to an incident keeps its own row (text,
// source, reporter, reference) and adds to the incident what it lacked. The version
// before is kept in incident_revisions; the audit log says who joined what, and why.

/**
 * Joins the stored row `reportId` to `incident` as a further report of it: its
 * sources and threat actors show with the incident's, and facts the incident lacked
 * (an end, discovery or disclosure date, records affected, vendor, vector, techniques)
 * are added.
 */
export async function joinAsReport(trx: Transaction<Database>, reportId: number, incident: Incident, reason: string, by: AuditActor): Promise<void> {
  await trx.updateTable('incidents').set({ merged_into: incident.id, merge_reason: reason.slice(0, 500), merged_at: new Date() })
    .where((eb) => eb.or([eb('id', '=', reportId), eb('merged_into', '=', reportId)])).execute();
  const [report] = await loadIncidents(trx, [reportId]);
  if (report) await addWhatItLacked(trx, incident, report, by);
  await recordAudit(trx, by, 'incident.merge', incident.reference, { report: report?.reference ?? null, reason });
}

async function addWhatItLacked(trx: Transaction<Database>, incident: Incident, report: Incident, by: AuditActor): Promise<void> {
  const added = {
    ...(!incident.ended && report.ended ? { ended_on: report.ended.on, ended_precision: report.ended.precision } : {}),
    ...(!incident.discovered && report.discovered ? { discovered_on: report.discovered.on, discovered_precision: report.discovered.precision } : {}),
    ...(!incident.disclosed && report.disclosed ? { disclosed_on: report.disclosed.on, disclosed_precision: report.disclosed.precision } : {}),
    ...(incident.recordsAffected === null && report.recordsAffected !== null ? { records_affected: report.recordsAffected } : {}),
    ...(!incident.vendor && report.vendor ? { vendor: report.vendor } : {}),
    ...(!incident.vector && report.vector ? { vector: report.vector } : {}),
    ...(report.techniques.some((t) => !incident.techniques.includes(t)) ? { techniques: [...new Set([...incident.techniques, ...report.techniques])].slice(0, 30) } : {}),
  };
  if (Object.keys(added).length === 0) return;
  await keep(trx, incident, 'edit', by);
  await trx.updateTable('incidents').set({ ...added, revision: incident.revision + 1 }).where('id', '=', incident.id).execute();
}
