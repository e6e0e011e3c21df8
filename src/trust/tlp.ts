import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import { TLP_LEVELS } from '../db/schema.js';
import type { Platform, Tlp } from '../db/schema.js';

export { TLP_LEVELS };
export type { Tlp };

/**
 * Traffic Light Protocol 2.0 (FIRST): how far an incident may travel.
 * CLEAR public · GREEN the community · AMBER the organisation and its clients ·
 * AMBER+STRICT the organisation only · RED named people only.
 */
export const TLP_MEANING: Record<Tlp, string> = {
  clear: 'public',
  green: 'the community, not public',
  amber: 'your organisation and its clients, need to know',
  'amber+strict': 'your organisation only',
  red: 'named people only, never a channel',
};

export function tlpLabel(tlp: Tlp): string {
  return `TLP:${tlp.toUpperCase()}`;
}

export function tlpRank(tlp: Tlp): number {
  return TLP_LEVELS.indexOf(tlp);
}

/** `amber`, `TLP:AMBER`, `tlp amber+strict`; TLP 1.0's WHITE is today's CLEAR. Null when not a marking. */
export function parseTlp(text: string): Tlp | null {
  const t = text.trim().toLowerCase().replace(/^tlp\s*[:\s]\s*/, '').replace(/\s*\+\s*/, '+');
  if (t === 'white') return 'clear';
  return (TLP_LEVELS as readonly string[]).includes(t) ? (t as Tlp) : null;
}

/**
 * Who is looking, in TLP terms: the highest marking they may see, the workspace they
 * look from (AMBER and above stay in the workspace that reported them), and whose RED
 * incidents they may see. AMBER reported from no workspace (the command line, an
 * import, a platform that named none) is, outside the operators, seen by the same
 * people as RED: its reporter and admins.
 */
export interface Viewer {
  upTo: Tlp;
  workspace: string | null;
  /** The bot's own operators (terminal, command line) see every workspace's incidents. */
  everywhere?: true;
  /** RED: everyone's (an admin), only their own, or none (a channel). */
  red: 'all' | 'none' | { platform: Platform; userId: string };
}

/** Anyone at all: CLEAR and GREEN incidents. Type-ahead suggests only victims it may see. */
export const ANYONE: Viewer = { upTo: 'green', workspace: null, red: 'none' };

/** The terminal and command line: the people who run the bot see the whole ledger. */
export const OPERATOR: Viewer = { upTo: 'red', workspace: null, everywhere: true, red: 'all' };

/** Whether this viewer sees the whole ledger (the operators): lookups can skip the visibility work. */
export function seesEverything(viewer: Viewer): boolean {
  return viewer.everywhere === true && viewer.upTo === 'red' && viewer.red === 'all';
}

/** The lower of two viewers: what a person shares into a channel is what both may see. */
export function narrower(a: Viewer, b: Viewer): Viewer {
  let upTo = tlpRank(a.upTo) <= tlpRank(b.upTo) ? a.upTo : b.upTo;
  const sameRed = typeof a.red === 'object' && typeof b.red === 'object' && a.red.platform === b.red.platform && a.red.userId === b.red.userId;
  const red = a.red === 'none' || b.red === 'none' ? 'none' : a.red === 'all' ? b.red : b.red === 'all' || sameRed ? a.red : 'none';
  if (a.everywhere && b.everywhere) return { upTo, workspace: null, everywhere: true, red };
  const workspaces = [a, b].filter((v) => !v.everywhere).map((v) => v.workspace);
  // Two different workspaces share only what crosses workspaces: GREEN and below.
  if (new Set(workspaces).size > 1 && tlpRank(upTo) > tlpRank('green')) upTo = 'green';
  return { upTo, workspace: workspaces[0] ?? null, red };
}

/**
 * The one SQL condition that decides whether an incident row (table or alias
 * `alias`) may be shown to `viewer`. Retracted incidents are shown to nobody.
 * Every lookup, count, verdict and alert goes through it.
 */
export function visibleTo(viewer: Viewer, alias = 'incidents'): RawBuilder<boolean> {
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  const levels = TLP_LEVELS.slice(0, tlpRank(viewer.upTo) + 1).filter((l) => l !== 'red' || viewer.red !== 'none');
  // A report joined to an incident is never an incident of its own; retracted ones are gone.
  const parts = [sql`${col('retracted_at')} is null and ${col('merged_into')} is null`];
  if (levels.length < TLP_LEVELS.length) parts.push(sql`${col('tlp')} in (${sql.join(levels)})`);
  if (!viewer.everywhere) {
    const ownWorkspace = viewer.workspace === null ? sql`false` : sql`${col('reported_workspace')} = ${viewer.workspace}`;
    const unplaced = viewer.red === 'all' ? sql`true`
      : typeof viewer.red === 'object' ? sql`(${col('reported_platform')} = ${viewer.red.platform} and ${col('reported_by_id')} = ${viewer.red.userId})` : sql`false`;
    // Fails closed: AMBER from no known workspace is its reporter's and the admins' alone.
    parts.push(sql`(${col('tlp')} in ('clear', 'green') or ${ownWorkspace} or (${col('reported_workspace')} is null and ${unplaced}))`);
  }
  if (typeof viewer.red === 'object') {
    parts.push(sql`(${col('tlp')} <> 'red' or (${col('reported_platform')} = ${viewer.red.platform} and ${col('reported_by_id')} = ${viewer.red.userId}))`);
  }
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

/**
 * STIX 2.1 marking definitions of TLP 2.0, as published by OASIS (stix2 library,
 * "TLP v2" extension): exports reference them by these fixed ids.
 */
export const STIX_TLP_MARKINGS: Record<Tlp, string> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

/** {@link visibleTo} for an incident already loaded (alerts decide per channel in code). */
export function mayView(viewer: Viewer, incident: { tlp: Tlp; retractedAt: Date | null; mergedInto: number | null; reportedBy: { platform: Platform; workspace: string | null; userId: string | null } }): boolean {
  if (incident.retractedAt !== null || incident.mergedInto !== null) return false;
  if (tlpRank(incident.tlp) > tlpRank(viewer.upTo)) return false;
  if (incident.tlp === 'red' && viewer.red === 'none') return false;
  if (!viewer.everywhere && tlpRank(incident.tlp) > tlpRank('green')) {
    const from = incident.reportedBy.workspace;
    if (from === null ? !ownsUnplaced(viewer, incident.reportedBy) : from !== viewer.workspace) return false;
  }
  if (incident.tlp === 'red' && typeof viewer.red === 'object') {
    return incident.reportedBy.platform === viewer.red.platform && incident.reportedBy.userId === viewer.red.userId;
  }
  return true;
}

/** Whether this viewer may see an AMBER incident reported from no workspace: its reporter, or an admin. */
function ownsUnplaced(viewer: Viewer, by: { platform: Platform; userId: string | null }): boolean {
  if (viewer.red === 'all') return true;
  return typeof viewer.red === 'object' && by.platform === viewer.red.platform && by.userId === viewer.red.userId;
}
