import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { isolate } from '../presentation/bidi-isolation.js';
import { incidentSummary, otherIncidentLines, period, sharedLines, victimSummary } from '../presentation/incident-blocks.js';
import { actions, message } from '../presentation/message.js';
import { victimTimeline } from '../presentation/victim-timeline.js';
import type { Block, Message } from '../presentation/message.js';
import type { Database } from '../db/schema.js';
import type { Incident, Victim } from '../incidents/incident-view.js';
import type { RepeatVerdict } from '../incidents/repeat-breach.js';
import { OPERATOR } from '../trust/tlp.js';
import { inRepeatWindow } from '../incidents/repeat-window.js';
import { ordinalWord } from '../incidents/repeat-breach.js';
import type { Viewer } from '../trust/tlp.js';

/** What an alert is about, loaded when it is sent. */
export interface AlertSubject {
  victim: Victim;
  incident: Incident;
  verdict: RepeatVerdict;
  /** Other victims of the same vendor within the window: "Click2Gov: 6 other victims since 2018". */
  vendorPeers: { count: number; since: string | null } | null;
}

/**
 * The alert a channel reads: the victim and its place, the ordinal, the new incident,
 * the others in the window with the gap, what they share, other victims of the same
 * vendor, and a button to see all.
 */
export function alertMessage(subject: AlertSubject, reason: 'repeat' | 'watch'): Message {
  const { victim, incident, verdict } = subject;
  // People's names and titles are isolated among our words: a right-to-left override in one turns nothing else around.
  const name = isolate(victim.name);
  const headline = !(reason === 'repeat' || verdict.isRepeat) ? `New incident for watched ${name}`
    : verdict.certainty === 'possible'
      ? `Possible repeat breach: ${name} — ${ordinalWord(verdict.ordinal)} incident within ${verdict.windowDays} days (${verdict.possibleBecause})`
      : `Repeat breach: ${name} — ${verdict.headline}`;
  return message(
    `${headline}: ${incident.reference} ${isolate(incident.title)}`,
    { type: 'heading', text: headline },
    // The picture shows the incidents of the window, as this channel may see them (the verdict's own).
    { type: 'victim', victim: victimSummary(victim), incidents: [incidentSummary(incident)], totalIncidents: null, ...(verdict.others.length > 0 ? { timeline: victimTimeline(victim, [incident, ...verdict.others], verdict.windowDays) } : {}) },
    ...repeatBlocks(subject),
    { type: 'context', text: `Reported by ${isolate(incident.reportedBy.user)} on ${incident.reportedBy.platform}` },
    actions({ label: 'Show all incidents', command: `victim #${victim.id}` }),
  );
}

function repeatBlocks({ incident, verdict, vendorPeers }: AlertSubject): Block[] {
  const blocks: Block[] = [];
  if (verdict.others.length > 0) {
    blocks.push({ type: 'fields', fields: [{ label: `Other incidents within ${verdict.windowDays} days`, value: otherIncidentLines(incident, verdict).join('\n') }] });
  }
  const shared = [
    ...sharedLines(verdict),
    ...(incident.vendor && vendorPeers && vendorPeers.count > 0
      ? [`${isolate(incident.vendor)}: ${vendorPeers.count} other victim${vendorPeers.count === 1 ? '' : 's'}${vendorPeers.since ? ` since ${vendorPeers.since}` : ''}`]
      : []),
  ];
  if (shared.length) blocks.push({ type: 'fields', fields: [{ label: 'Shared', value: shared.join('\n') }] });
  return blocks;
}

/** Other victims with an incident of this vendor within the repeat window of this one. */
export async function vendorPeers(db: Kysely<Database>, incident: Incident, windowDays: number, viewer: Viewer = OPERATOR): Promise<AlertSubject['vendorPeers']> {
  if (!incident.vendor) return null;
  const row = await db.selectFrom('incidents as i')
    .innerJoin('incidents as o', (join) => join.on(sql<boolean>`lower(o.vendor) = lower(i.vendor)`).onRef('o.victim_id', '<>', 'i.victim_id'))
    .select((eb) => [eb.fn.count<number>('o.victim_id').distinct().as('n'), eb.fn.min('o.started_on').as('since')])
    .where('i.id', '=', incident.id)
    .where(inRepeatWindow(windowDays, viewer))
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), since: row.since ? String(row.since).slice(0, 4) : null };
}

/** One message for a channel's daily digest. */
export function digestMessage(items: { subject: AlertSubject; reason: 'repeat' | 'watch' }[]): Message {
  const repeats = items.filter((i) => i.subject.verdict.isRepeat).length;
  return message(
    `Daily digest: ${items.length} new incident${items.length === 1 ? '' : 's'}, ${repeats} repeat breach${repeats === 1 ? '' : 'es'}`,
    { type: 'heading', text: `Daily digest: ${items.length} new incident${items.length === 1 ? '' : 's'}` },
    ...items.map(({ subject }): Block => ({
      type: 'fields',
      fields: [{
        label: `${isolate(subject.victim.name)}${subject.verdict.isRepeat ? ` — ${subject.verdict.headline}` : ''}`,
        value: `${subject.incident.reference} · ${period(subject.incident)} · ${isolate(subject.incident.title)}`,
      }],
    })),
  );
}
