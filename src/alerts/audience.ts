import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { ReportOutcome } from '../incidents/report.js';
import type { AlertChannel } from '../identity.js';
import { allClearances, clearanceKey } from '../trust/clearance.js';
import type { Clearance } from '../trust/clearance.js';
import { channelViewer } from '../trust/permissions.js';
import { mayView } from '../trust/tlp.js';
import { othersInWindow } from '../incidents/repeat-breach.js';
import type { Certainty } from '../incidents/repeat-window.js';
import type { Viewer } from '../trust/tlp.js';

/** One channel that should hear of an incident, and why. */
export interface Listener {
  channel: AlertChannel;
  reason: 'repeat' | 'watch';
  /** The window the channel counts repeat breaches in. */
  windowDays: number;
  /** The channel takes a daily digest rather than each alert as it happens. */
  digest: boolean;
  /** The channel counts possible repeats too, not only certain ones. */
  possible: boolean;
  /** The victim's other incidents within the channel's window, as it counts them now (at the report's commit). */
  counted: number[];
}

/**
 * Who hears of a newly recorded incident: subscribed channels whose filters match the
 * victim and whose threshold the incident reaches within their window, and channels
 * watching the victim, its vendor, sector, region, a threat actor or a technique.
 * One entry per channel; a repeat-breach subscription wins over a watch. A channel
 * hears only of incidents its clearance allows, and counts only those (TLP).
 */
export async function listenersFor(db: Kysely<Database>, outcome: ReportOutcome, defaultWindowDays: number, clearanceDefault: Clearance = 'green'): Promise<Listener[]> {
  const { victim, incident } = outcome;
  const clearances = await allClearances(db);
  const viewerOf = (r: { platform: AlertChannel['platform']; workspace: string; channel_id: string }) =>
    channelViewer({ platform: r.platform, workspace: r.workspace === '' ? null : r.workspace }, clearances.get(clearanceKey(r)) ?? clearanceDefault);
  const lower = (s: string | null) => (s === null ? null : s.toLowerCase());

  const subscriptions = await db.selectFrom('alert_subscriptions')
    .select(['platform', 'workspace', 'channel_id', 'min_ordinal', 'window_days', 'cadence', 'possible'])
    .where('broken_reason', 'is', null)
    .where((eb) => eb.and([
      eb.or([eb('country', 'is', null), eb('country', '=', victim.country ?? '')]),
      eb.or([eb('region', 'is', null), eb(eb.fn('lower', ['region']), '=', lower(victim.region) ?? '')]),
      eb.or([eb('sector', 'is', null), eb(eb.fn('lower', ['sector']), '=', lower(victim.sector) ?? '')]),
      eb.or([eb('victim_kind', 'is', null), eb('victim_kind', '=', victim.kind ?? 'other')]),
    ]))
    .execute();

  // The victim's other incidents within each window a matching channel counts in,
  // among the incidents that channel may see: the incident is one more.
  const counts = new Map<string, number[]>();
  const countedFor = async (windowDays: number, viewer: Viewer, certainty: Certainty) => {
    const k = `${windowDays}\u0000${certainty}\u0000${JSON.stringify(viewer)}`;
    if (!counts.has(k)) counts.set(k, await othersWithin(db, incident.id, windowDays, viewer, certainty));
    return counts.get(k)!;
  };

  const listeners = new Map<string, Listener>();
  const key = (r: { platform: string; workspace: string; channel_id: string }) => `${r.platform}\u0000${r.workspace}\u0000${r.channel_id}`;
  const channelOf = (r: { platform: AlertChannel['platform']; workspace: string; channel_id: string }): AlertChannel =>
    ({ platform: r.platform, workspace: r.workspace === '' ? null : r.workspace, channelId: r.channel_id });

  for (const s of subscriptions) {
    const windowDays = s.window_days ?? defaultWindowDays;
    const viewer = viewerOf(s);
    if (!mayView(viewer, incident)) continue;
    const counted = await countedFor(windowDays, viewer, s.possible ? 'possible' : 'certain');
    if (counted.length + 1 < s.min_ordinal) continue;
    listeners.set(key(s), { channel: channelOf(s), reason: 'repeat', windowDays, digest: s.cadence === 'daily', possible: s.possible, counted });
  }

  const targets: [string, string[]][] = [
    ['victim', [String(victim.id)]],
    ['vendor', incident.vendor ? [incident.vendor.toLowerCase()] : []],
    ['sector', victim.sector ? [victim.sector.toLowerCase()] : []],
    ['region', victim.region ? [victim.region.toLowerCase()] : []],
    ['actor', incident.threatActors.map((a) => a.toLowerCase())],
    ['technique', incident.techniques],
  ];
  const wanted = targets.filter(([, values]) => values.length > 0);
  const watches = await db.selectFrom('watches')
    .select(['platform', 'workspace', 'channel_id'])
    .where('broken_reason', 'is', null)
    .where((eb) => eb.or(wanted.map(([kind, values]) => eb.and([eb('target_kind', '=', kind as never), eb('target_value', 'in', values)]))))
    .execute();
  for (const w of watches) {
    const viewer = viewerOf(w);
    if (!mayView(viewer, incident) || listeners.has(key(w))) continue;
    listeners.set(key(w), { channel: channelOf(w), reason: 'watch', windowDays: defaultWindowDays, digest: false, possible: true, counted: await countedFor(defaultWindowDays, viewer, 'possible') });
  }
  return [...listeners.values()];
}

/** The victim's other incidents within the window of this one, at least as surely as `certainty` (the repeat rule). */
export async function othersWithin(db: Kysely<Database>, incidentId: number, windowDays: number, viewer: Viewer, certainty: Certainty): Promise<number[]> {
  const rows = await othersInWindow(db, incidentId, windowDays, viewer, certainty).orderBy('o.id').execute();
  return rows.map((r) => r.id);
}
