import type { Services } from '../services.js';
import type { Command } from './command.js';
import type { Viewer } from '../trust/tlp.js';
import { timelineIncidents } from './timeline-incidents.js';
import { TIMELINE_MAX } from '../presentation/victim-timeline.js';
import { victimBlock } from '../presentation/incident-blocks.js';
import { actions, message } from '../presentation/message.js';
import type { Block, Message } from '../presentation/message.js';

/** Victims per page and incidents per victim in chat: small enough for every platform's limits. */
export const CHAT_PAGE = { victims: 3, incidents: 5 } as const;

/** A page of search results as a message, with buttons to see more; no results name the other commands. */
export async function searchReply(services: Services, commands: readonly Command[], query: string, cursor: string | null, viewer: Viewer): Promise<Message> {
  // The timelines' outlines come with the page: a lookup is two statements, not three.
  const page = await services.ledger.search(query, { limit: CHAT_PAGE.victims, incidentsPerVictim: CHAT_PAGE.incidents, cursor, viewer, outlines: TIMELINE_MAX });
  if (page.hits.length === 0) {
    return message(`Nothing found for “${query}”`,
      { type: 'text', text: `Nothing found for “${query}”.` },
      { type: 'context', text: 'Try part of a name (odessa), a vendor (click2gov) or a reference (INC-2020-0001).' },
      { type: 'context', text: `Commands: ${commands.filter((c) => !c.hidden && c.name !== 'search').map((c) => c.usage).join(' · ')}` });
  }
  const blocks: Block[] = [];
  // Every victim's timeline incidents: those the page brought, else in one statement for all.
  const timelines = await timelineIncidents(services, page.hits.map((hit) => ({ victimId: hit.victim.id, shown: hit.incidents, total: hit.totalIncidents, outlines: hit.outlines })), viewer);
  for (const [n, hit] of page.hits.entries()) {
    blocks.push(victimBlock(hit.victim, hit.incidents, hit.totalIncidents, services.ledger.windowDays, timelines[n]));
    const more = hit.totalIncidents > hit.incidents.length;
    const row = actions(
      more && { label: `Show all ${hit.totalIncidents} incidents`, command: `victim #${hit.victim.id}` },
      { label: 'Report another incident for this victim', command: `report #${hit.victim.id}` },
      { label: 'Watch', command: `watch #${hit.victim.id}` },
    );
    if (row) blocks.push(row);
  }
  const next = page.nextCursor ? actions({ label: 'Next page', command: `more ${page.nextCursor} ${query}`, style: 'primary' }) : null;
  const names = page.hits.map((h) => h.victim.name).join(', ');
  return message(
    `${page.hits.length} victim${page.hits.length === 1 ? '' : 's'} for “${query}”: ${names}`,
    { type: 'heading', text: `Results for “${query}”` },
    ...blocks,
    next ?? (page.nextCursor ? { type: 'context', text: 'More results: refine the query to see them.' } : null),
  );
}
