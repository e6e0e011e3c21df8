import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { UserError } from '../errors.js';
import { auditRow, recordAudit } from '../trust/audit.js';
import type { AuditActor } from '../trust/audit.js';
import { OPERATOR, mayView, tlpLabel, tlpRank } from '../trust/tlp.js';
import type { Viewer } from '../trust/tlp.js';
import { loadIncidents, loadVictims } from './incident-view.js';
import type { Incident, Victim } from './incident-view.js';
import { formatPartialDate, periodEnd } from './partial-date.js';
import { keep } from './revision.js';

// One event, many reports: a report joined to an incident keeps its own row (text,
// source, reporter, reference) and adds to the incident what it lacked. The version
// before is kept in incident_revisions; the audit log says who joined what, and why.

/**
 * Joins the stored incident `report` (as loaded or just stored) to `incident` as a
 * further report of it, with the reports joined to it: their sources and threat actors
 * show with the incident's, and facts the incident lacked (an end, discovery or
 * disclosure date, records affected, vendor, vector, techniques) are added. Audited in
 * the same statement.
 */
export async function joinAsReport(trx: Transaction<Database>, report: Incident, incident: Incident, reason: string, by: AuditActor): Promise<void> {
  await trx.with('audit', (db) => db.insertInto('audit_log').values(auditRow(by, 'incident.merge', incident.reference, { report: report.reference, reason })))
    .updateTable('incidents').set({ merged_into: incident.id, merge_reason: reason.slice(0, 500), merged_at: new Date() })
    .where((eb) => eb.or([eb('id', '=', report.id), eb('merged_into', '=', report.id)])).execute();
  await addWhatItLacked(trx, incident, report, by);
}

async function addWhatItLacked(trx: Transaction<Database>, incident: Incident, report: Incident, by: AuditActor): Promise<void> {
  const added = {
    // An end only when it ends this incident: after its start (the ledger checks it too).
    ...(!incident.ended && report.ended && periodEnd(report.ended) >= incident.started.on ? { ended_on: report.ended.on, ended_precision: report.ended.precision } : {}),
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

/** Whether the person may change this incident (its reporter or an admin); the command line may change anything. */
export type MayChange = (incident: Incident) => boolean | Promise<boolean>;

/** What `/incident merge` did: the incident kept, its victim, and the references that became its reports. */
export interface MergeOutcome {
  incident: Incident;
  victim: Victim;
  /** The other incident's reference, then those of the reports already joined to it. */
  joined: string[];
}

/** What `/incident split` did: the incident as it is now, and the report that is an incident of its own again. */
export interface SplitOutcome {
  incident: Incident;
  report: Incident;
  victim: Victim;
}

/**
 * Undoes a wrong "two incidents" by hand: `other` (and the reports already joined to
 * it) become reports of `keep`, in one transaction, audited. Refuses with a sentence,
 * changing nothing, when either is unknown to `viewer`, is itself a joined report or
 * retracted, when they are one incident or of two victims, when `mayChange` is false
 * for either, or when `other` is marked stricter than `keep` (its sources would show
 * wider than its marking allows).
 *
 * @example
 *   await mergeIncidents(db, 'INC-2020-0001', 'INC-2020-0003', by, () => true)
 *   // INC-2020-0003 is now a report of INC-2020-0001
 */
export async function mergeIncidents(
  db: Kysely<Database>, keepRef: string, otherRef: string, by: AuditActor, mayChange: MayChange, options: { viewer?: Viewer } = {},
): Promise<MergeOutcome> {
  return db.transaction().execute(async (trx) => {
    const [keep, other] = await lockIncidents(trx, [keepRef, otherRef], options.viewer ?? OPERATOR);
    if (keep.mergedInto !== null) {
      throw new UserError(`${keep.reference} is a report of ${await referenceOf(trx, keep.mergedInto)}, not an incident of its own; merge into ${await referenceOf(trx, keep.mergedInto)} instead.`, 'joined_report');
    }
    if (other.mergedInto === keep.id) throw new UserError(`${other.reference} is already a report of ${keep.reference}.`, 'already_merged');
    if (other.mergedInto !== null) {
      throw new UserError(`${other.reference} is a report of ${await referenceOf(trx, other.mergedInto)}, not an incident of its own; split it off first.`, 'joined_report');
    }
    if (keep.id === other.id) throw new UserError(`${keep.reference} is one incident; name two different incidents to merge.`, 'same_incident');
    for (const i of [keep, other]) {
      if (i.retractedAt) throw new UserError(`${i.reference} was retracted; it cannot be merged.`, 'retracted');
    }
    const [keepVictim, otherVictim] = await loadVictims(trx, [keep.victimId, other.victimId]);
    if (keep.victimId !== other.victimId) {
      throw new UserError(`${keep.reference} is an incident of ${keepVictim!.name} and ${other.reference} of ${otherVictim!.name}: only incidents of one victim can be merged.`, 'other_victim');
    }
    for (const i of [keep, other]) {
      if (!(await mayChange(i))) throw new UserError(`Only the person who reported ${i.reference}, or a breachdesk admin, may merge it.`, 'not_permitted');
    }
    // A joined report's sources show with the incident: they must not travel further than their own marking.
    if (tlpRank(other.tlp) > tlpRank(keep.tlp)) {
      throw new UserError(`${other.reference} is marked ${tlpLabel(other.tlp)}, stricter than ${keep.reference} (${tlpLabel(keep.tlp)}): merged, its sources would show wider. Merge ${keep.reference} into ${other.reference} instead.`, 'wider_marking');
    }
    // The end date a report adds must not lie before the incident's start (the ledger's check would refuse it).
    if (!keep.ended && other.ended && periodEnd(other.ended) < keep.started.on) {
      throw new UserError(`${other.reference} ended ${formatPartialDate(other.ended)}, before ${keep.reference} began (${formatPartialDate(keep.started)}): correct the dates first, or merge ${keep.reference} into ${other.reference}.`, 'dates_disagree');
    }
    await joinAsReport(trx, other, keep, `merged by ${by.name}`.slice(0, 500), by);
    const [after] = await loadIncidents(trx, [keep.id]);
    return { incident: after!, victim: keepVictim!, joined: [other.reference, ...other.reports.map((r) => r.reference)] };
  });
}

/**
 * Undoes a wrong join: the report `reportRef` of `incidentRef` becomes an incident of
 * its own again, counted in repeats and lookups. The incident's version before is
 * kept; audited 'incident.split'. Refuses with a sentence, changing nothing, when the
 * incident is unknown to `viewer` or retracted, the report is not one of its reports,
 * or `mayChange` is false for the incident or the report.
 *
 * @example
 *   await splitReport(db, 'INC-2020-0001', 'INC-2020-0003', by, () => true)
 *   // INC-2020-0003 is an incident of its own again
 */
export async function splitReport(
  db: Kysely<Database>, incidentRef: string, reportRef: string, by: AuditActor, mayChange: MayChange, options: { viewer?: Viewer } = {},
): Promise<SplitOutcome> {
  return db.transaction().execute(async (trx) => {
    const [incident] = await lockIncidents(trx, [incidentRef], options.viewer ?? OPERATOR);
    if (incident.mergedInto !== null) {
      throw new UserError(`${incident.reference} is itself a report of ${await referenceOf(trx, incident.mergedInto)}; name that incident and this report.`, 'joined_report');
    }
    if (incident.retractedAt) throw new UserError(`${incident.reference} was retracted; it cannot be changed any more.`, 'retracted');
    const typed = reportRef.trim().toUpperCase();
    if (typed === incident.reference) throw new UserError(`${incident.reference} is the incident itself; name one of its reports to split off.`, 'same_incident');
    const row = incident.reports.some((r) => r.reference === typed)
      ? await trx.selectFrom('incidents').select('id').where('reference', '=', typed).where('merged_into', '=', incident.id).forUpdate().executeTakeFirst()
      : undefined;
    const [report] = row ? await loadIncidents(trx, [row.id]) : [];
    if (!report) {
      const theirs = incident.reports.map((r) => r.reference);
      throw new UserError(`${typed.slice(0, 30)} is not a report of ${incident.reference}${theirs.length ? ` (its reports: ${theirs.slice(0, 10).join(', ')})` : '; it has no other reports'}.`, 'not_a_report');
    }
    for (const i of [incident, report]) {
      if (!(await mayChange(i))) throw new UserError(`Only the person who reported ${i.reference}, or a breachdesk admin, may split it off.`, 'not_permitted');
    }
    await keep(trx, incident, 'edit', by);
    await trx.updateTable('incidents').set({ revision: incident.revision + 1 }).where('id', '=', incident.id).execute();
    await trx.updateTable('incidents').set({ merged_into: null, merge_reason: null, merged_at: null }).where('id', '=', report.id).execute();
    await recordAudit(trx, by, 'incident.split', incident.reference, { report: report.reference, revision: incident.revision + 1 });
    const [after, own] = await loadIncidents(trx, [incident.id, report.id]).then((rows) => [rows.find((r) => r.id === incident.id), rows.find((r) => r.id === report.id)]);
    const [victim] = await loadVictims(trx, [incident.victimId]);
    return { incident: after!, report: own!, victim: victim! };
  });
}

/**
 * The incidents by reference, in that order, their rows locked for the change (in id
 * order, so two merges of the same pair wait rather than deadlock). One `viewer` may
 * not see is not there for them at all.
 */
async function lockIncidents<const R extends readonly string[]>(trx: Transaction<Database>, references: R, viewer: Viewer): Promise<{ [K in keyof R]: Incident }> {
  const typed = references.map((r) => r.trim().toUpperCase());
  const rows = await trx.selectFrom('incidents').select(['id', 'reference']).where('reference', 'in', [...new Set(typed)]).orderBy('id').forUpdate().execute();
  const loaded = await loadIncidents(trx, rows.map((r) => r.id));
  return typed.map((reference) => {
    const incident = loaded.find((i) => i.reference === reference);
    // Joined and retracted ones are there, if hidden: each gets its own sentence.
    if (!incident || !mayView(viewer, { ...incident, retractedAt: null, mergedInto: null })) {
      throw new UserError(`There is no incident ${reference.slice(0, 30)}.`, 'unknown_incident');
    }
    return incident;
  }) as { [K in keyof R]: Incident };
}

async function referenceOf(trx: Transaction<Database>, id: number): Promise<string> {
  const row = await trx.selectFrom('incidents').select('reference').where('id', '=', id).executeTakeFirstOrThrow();
  return row.reference;
}
