import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/chat/dispatcher.js';
import { loadCommands } from '../../src/chat/registry.js';
import type { LedgerDatabase } from '../../src/db/database.js';
import type { Actor, ChannelRef } from '../../src/identity.js';
import { createLogger } from '../../src/log.js';
import type { Incident, IncidentOutline } from '../../src/incidents/incident-view.js';
import { createLedger } from '../../src/ledger.js';
import type { Ledger } from '../../src/ledger.js';
import { ANYONE, OPERATOR } from '../../src/trust/tlp.js';
import type { Viewer } from '../../src/trust/tlp.js';
import { countingStatements } from '../support/counted-statements.js';
import { backends, freshDatabase } from '../support/databases.js';
import { analyst, paperReport } from '../support/submissions.js';

// A timeline loads its incidents as outlines, in one statement: they must say what the
// whole incidents say, for the same viewer, in the same order.
const outline = (i: Incident): IncidentOutline => ({
  id: i.id, reference: i.reference, revision: i.revision, started: i.started, startedUntil: i.startedUntil,
  ended: i.ended, vendor: i.vendor, techniques: i.techniques, threatActors: i.threatActors,
});

describe.each(backends)('a victim\'s incidents as outlines, on %s', (backend) => {
  let database: LedgerDatabase;
  let ledger: Ledger;
  let victimId: number;
  let firstReference: string;
  let otherId: number;
  let harborReference: string;
  let joinedReference: string;
  const name = 'Outline Water District';
  const outlinesOf = async (id: number, limit: number, viewer: Viewer) => (await ledger.outlines([id], limit, viewer)).get(id)!;

  beforeAll(async () => {
    database = await freshDatabase(backend);
    ledger = createLedger(database.db, { windowDays: 365 });
    const first = await ledger.report(paperReport(name, { vendor: 'Click2Gov', techniques: ['T1190'], threatActors: ['FIN7'] }), analyst, { alerts: false });
    victimId = first.victim.id;
    firstReference = first.incident.reference;
    const again = { name, id: victimId };
    // A second report of the same event joins it, bringing its own threat actor.
    const joined = await ledger.report(paperReport(name, { victim: again, summary: 'A follow-up article naming Magecart.', threatActors: ['Magecart'] }), analyst, { alerts: false });
    expect(joined.joined).not.toBeNull();
    joinedReference = joined.joined!.report;
    await ledger.report(paperReport(name, { victim: again, startDate: '2022', endDate: undefined, recordsAffected: undefined, tlp: 'amber', newIncident: true }),
      { platform: 'slack', workspace: 'T9', user: 'ana', userId: 'UANA' }, { alerts: false });
    const retracted = await ledger.report(paperReport(name, { victim: again, startDate: '2023-02-01', endDate: undefined, recordsAffected: undefined, newIncident: true }), analyst, { alerts: false });
    await ledger.retract(retracted.incident.reference, { platform: 'cli', workspace: null, userId: null, name: 'test-analyst' }, 'reported in error');
    await ledger.report(paperReport(name, { victim: again, startDate: '2024-11', endDate: undefined, recordsAffected: undefined, vendor: 'MOVEit', newIncident: true }), analyst, { alerts: false });
    const other = await ledger.report(paperReport('Outline Port Authority', { startDate: '2021-05-02', vendor: 'Citrix ADC' }), analyst, { alerts: false });
    otherId = other.victim.id;
    await ledger.report(paperReport('Outline Port Authority', { victim: { name: 'Outline Port Authority', id: otherId }, startDate: '2025-01', endDate: undefined, recordsAffected: undefined, newIncident: true }), analyst, { alerts: false });
    // More incidents than a chat page shows (five): its timeline needs the rest.
    const harbor = await ledger.report(paperReport('Outline Harbor Board', { startDate: '2010-06-01', endDate: undefined }), analyst, { alerts: false });
    harborReference = harbor.incident.reference;
    for (let year = 2011; year <= 2016; year++) {
      await ledger.report(paperReport('Outline Harbor Board', { victim: { name: 'Outline Harbor Board', id: harbor.victim.id }, startDate: `${year}-06-01`, endDate: undefined, newIncident: true, tlp: year === 2013 ? 'amber' : 'clear' }),
        { platform: 'slack', workspace: 'T9', user: 'ana', userId: 'UANA' }, { alerts: false });
    }
  });
  afterAll(() => database.close());

  it.each<[string, Viewer, number]>([['the operator', OPERATOR, 3], ['anyone', ANYONE, 2]])(
    'GIVEN %s THEN the outlines are the whole incidents\' dates, vendor, techniques and actors (joined reports\' too), newest first, retracted ones left out',
    async (_, viewer, visible) => {
      const whole = (await ledger.victim(victimId, { offset: 0, limit: 200 }, viewer))!.incidents;
      const outlines = await outlinesOf(victimId, 200, viewer);
      expect(outlines).toHaveLength(visible);
      expect(outlines).toEqual(whole.map(outline));
      expect(outlines.find((o) => o.reference === firstReference)).toMatchObject({ vendor: 'Click2Gov', techniques: ['T1190'], threatActors: ['FIN7', 'Magecart'], ended: { on: '2024-03-20', precision: 'day' } });
    });

  it('GIVEN a limit THEN the newest that many', async () => {
    const all = await outlinesOf(victimId, 200, OPERATOR);
    expect((await outlinesOf(victimId, 2, OPERATOR)).map((o) => o.reference)).toEqual(all.slice(0, 2).map((o) => o.reference));
    expect(all[0]).toMatchObject({ vendor: 'MOVEit', started: { on: '2024-11-01', precision: 'month' }, ended: null, threatActors: [] });
  });

  it('GIVEN no such victim THEN no outlines', async () => {
    expect(await outlinesOf(victimId + 1_000, 200, OPERATOR)).toEqual([]);
  });

  it('GIVEN several victims in one call THEN each has its own newest `limit`, as asked one at a time', async () => {
    const both = await ledger.outlines([otherId, victimId, victimId + 1_000], 2, OPERATOR);
    expect([...both.keys()]).toEqual([otherId, victimId, victimId + 1_000]);
    expect(both.get(victimId)).toEqual(await outlinesOf(victimId, 2, OPERATOR));
    expect(both.get(otherId)!.map((o) => [o.started.on, o.vendor])).toEqual([['2025-01-01', null], ['2021-05-02', 'Citrix ADC']]);
    expect(both.get(victimId + 1_000)).toEqual([]);
    expect((await ledger.outlines([], 2, OPERATOR)).size).toBe(0);
  });

  it.each<[string, Viewer]>([['the operator', OPERATOR], ['anyone', ANYONE]])(
    'GIVEN %s searching with outlines asked for THEN each hit brings those `outlines` gives, by name, by text and by reference alike; none without asking',
    async (_, viewer) => {
      for (const query of ['outline', 'billing portal', harborReference]) {
        const page = await ledger.search(query, { limit: 3, incidentsPerVictim: 5, viewer, outlines: 200 });
        expect(page.hits.length).toBeGreaterThan(0);
        for (const hit of page.hits) expect(hit.outlines).toEqual(await outlinesOf(hit.victim.id, 200, viewer));
        expect((await ledger.search(query, { limit: 3, viewer })).hits.every((hit) => hit.outlines === undefined)).toBe(true);
      }
      const limited = await ledger.search('outline harbor', { limit: 1, viewer, outlines: 2 });
      expect(limited.hits[0]!.outlines).toEqual(await outlinesOf(limited.hits[0]!.victim.id, 2, viewer));
    });

  it('GIVEN a lookup in chat of a victim with more incidents than the page shows THEN it is two statements: the page brings the timeline\'s outlines', async () => {
    const counted = countingStatements(database.db);
    const dispatcher = createDispatcher(await loadCommands(), { ledger: createLedger(counted.db, { windowDays: 365 }), wakeAlerts: () => undefined, log: createLogger('error', () => undefined) });
    const actor: Actor = { platform: 'shell', workspace: null, userId: 'analyst', displayName: 'analyst', canManageChannel: true };
    const channel: ChannelRef = { platform: 'shell', workspace: null, channelId: 'soc' };
    const reply = await dispatcher.invoke({ text: 'outline harbor board', actor, channel });
    expect(reply.kind === 'message' && reply.message.blocks.some((b) => b.type === 'victim' && b.timeline?.marks.length === 7)).toBe(true);
    expect(counted.statements).toBe(2);
  });

  it('GIVEN a lookup in chat by a reference, its incident\'s or a report\'s joined to it THEN it is one statement: the incident, its victim, its count and the timeline\'s outlines', async () => {
    const counted = countingStatements(database.db);
    const dispatcher = createDispatcher(await loadCommands(), { ledger: createLedger(counted.db, { windowDays: 365 }), wakeAlerts: () => undefined, log: createLogger('error', () => undefined) });
    const actor: Actor = { platform: 'shell', workspace: null, userId: 'analyst', displayName: 'analyst', canManageChannel: true };
    const channel: ChannelRef = { platform: 'shell', workspace: null, channelId: 'soc' };
    const reply = await dispatcher.invoke({ text: harborReference.toLowerCase(), actor, channel });
    expect(reply.kind === 'message' && reply.message.blocks.some((b) => b.type === 'victim' && b.timeline?.marks.length === 7)).toBe(true);
    expect(counted.statements).toBe(1);
    counted.reset();
    const page = await createLedger(counted.db, { windowDays: 365 }).search(joinedReference, { outlines: 200 });
    expect(page.hits.map((h) => [h.victim.id, h.matchedBy, h.totalIncidents, h.incidents.map((i) => i.reference), h.outlines?.length])).toEqual([[victimId, 'reference', 3, [firstReference], 3]]);
    expect(counted.statements).toBe(1);
  });
});
