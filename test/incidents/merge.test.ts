import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/identity.js';
import { UserError } from '../../src/errors.js';
import type { Incident } from '../../src/incidents/incident-view.js';
import { mergeIncidents, splitReport } from '../../src/incidents/merge.js';
import type { MayChange } from '../../src/incidents/merge.js';
import type { Reporter } from '../../src/incidents/report.js';
import { retractIncident, revisionsOf } from '../../src/incidents/revision.js';
import type { IncidentSubmissionInput } from '../../src/incidents/submission.js';
import { readAudit } from '../../src/trust/audit.js';
import type { AuditActor } from '../../src/trust/audit.js';
import { REFUSALS, mayChange } from '../../src/trust/permissions.js';
import type { TrustPolicy } from '../../src/trust/permissions.js';
import type { Viewer } from '../../src/trust/tlp.js';
import { chatHarness, textOf } from '../support/chat.js';
import { backends } from '../support/databases.js';
import { paperReport } from '../support/submissions.js';

// Ana and Bob may report; Boss is an admin; Carl may only look things up.
const policy: TrustPolicy = { reporters: { slack: ['UANA', 'UBOB'], discord: null }, admins: { slack: ['UBOSS'], discord: null } };
const person = (userId: string): Actor => ({ platform: 'slack', workspace: 'T1', userId, displayName: userId.slice(1).toLowerCase() });
const [ana, bob, boss, carl] = ['UANA', 'UBOB', 'UBOSS', 'UCARL'].map(person) as [Actor, Actor, Actor, Actor];
const reporter = (actor: Actor): Reporter => ({ platform: actor.platform, workspace: actor.workspace, user: actor.displayName!, userId: actor.userId });
const by = (actor: Actor): AuditActor => ({ platform: actor.platform, workspace: actor.workspace, userId: actor.userId, name: actor.displayName! });
const as = (actor: Actor): MayChange => (i) => mayChange(actor, i, policy);
const soc = { platform: 'slack' as const, workspace: 'T1', channelId: 'CSOC' };

const event = paperReport;

describe.each(backends)('merging and splitting incidents by hand, on %s', (backend) => {
  let chat: Awaited<ReturnType<typeof chatHarness>>;
  const ledger = () => chat.ledger;
  const report = async (input: IncidentSubmissionInput, actor: Actor = ana) => ledger().report(input, reporter(actor), { alerts: false });
  const load = async (reference: string): Promise<Incident> => {
    const { loadIncidents } = await import('../../src/incidents/incident-view.js');
    const row = await ledger().db.selectFrom('incidents').select('id').where('reference', '=', reference).executeTakeFirstOrThrow();
    return (await loadIncidents(ledger().db, [row.id]))[0]!;
  };
  const repeatVictims = async () => (await ledger().repeats({ limit: 10_000 })).map((r) => r.victim.name);
  /** Everything a merge or split could change: the incidents' joins and revisions, kept versions, the audit log. */
  const ledgerState = async () => {
    const db = ledger().db;
    const incidents = await db.selectFrom('incidents').select(['reference', 'merged_into', 'merge_reason', 'merged_at', 'revision', 'retracted_at', 'records_affected', 'vendor']).orderBy('id').execute();
    const count = async (table: 'incident_revisions' | 'audit_log') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return { incidents, revisions: await count('incident_revisions'), audit: await count('audit_log') };
  };

  beforeAll(async () => (chat = await chatHarness(backend, { trust: policy })));
  afterAll(() => chat.close());

  it('GIVEN a second report joined automatically WHEN split THEN it is an incident of its own and a repeat; WHEN merged again THEN one event, no repeat', async () => {
    const first = await report(event('Round Trip Water District'));
    const second = await report(event('Round Trip Water District', { summary: 'A follow-up article on the billing portal breach.' }), bob);
    expect(second.joined).not.toBeNull();
    const incident = first.incident.reference;
    const joined = second.joined!.report;
    expect(second.incident.reference).toBe(incident);
    expect(await repeatVictims()).not.toContain('Round Trip Water District');

    // Bob reported the joined report and Ana the incident: only both, or an admin, may split them.
    const revisionsBefore = (await revisionsOf(ledger().db, first.incident.id)).length;
    const split = await splitReport(ledger().db, incident, joined.toLowerCase(), by(boss), as(boss));
    expect(split.report).toMatchObject({ reference: joined, mergedInto: null });
    expect(split.incident.reports).toEqual([]);
    expect(split.incident.revision).toBe((await load(incident)).revision);
    expect(split.victim.name).toBe('Round Trip Water District');
    expect(await ledger().db.selectFrom('incidents').select(['merged_into', 'merge_reason', 'merged_at']).where('reference', '=', joined).executeTakeFirstOrThrow())
      .toEqual({ merged_into: null, merge_reason: null, merged_at: null });
    expect(await revisionsOf(ledger().db, first.incident.id)).toHaveLength(revisionsBefore + 1);
    expect(await repeatVictims()).toContain('Round Trip Water District');
    expect((await ledger().search('round trip water')).hits[0]?.incidents.map((i) => i.reference).sort()).toEqual([incident, joined].sort());

    const merged = await mergeIncidents(ledger().db, incident, joined, by(boss), as(boss));
    expect(merged.joined).toEqual([joined]);
    expect(merged.incident.reports.map((r) => [r.reference, r.reason])).toEqual([[joined, 'merged by boss']]);
    expect(await repeatVictims()).not.toContain('Round Trip Water District');
    expect((await ledger().search('round trip water')).hits[0]?.incidents.map((i) => i.reference)).toEqual([incident]);

    const audit = (await readAudit(ledger().db)).filter((e) => e.subject === incident && ['incident.split', 'incident.merge'].includes(e.action));
    expect(audit.map((e) => [e.action, e.who.name, e.detail.report])).toEqual([
      ['incident.merge', 'bob', joined], ['incident.split', 'boss', joined], ['incident.merge', 'boss', joined],
    ]);
  });

  it('GIVEN an incident with a report of its own WHEN merged into another THEN both become reports, facts it lacked are added, and each can be split off alone', async () => {
    const keep = await report(event('Two Step Gas Co', { startDate: '2024-03', endDate: undefined, recordsAffected: undefined, sources: ['https://a.example.org/gas'], newIncident: true }));
    const other = await report(event('Two Step Gas Co', { vendor: 'MOVEit', newIncident: true }));
    const again = await report(event('Two Step Gas Co', { summary: 'Regulator fines the gas company over the billing breach.' }));
    expect(again.joined?.report).toBeDefined();
    expect(again.incident.reference).toBe(other.incident.reference);
    expect(await repeatVictims()).toContain('Two Step Gas Co');

    const merged = await mergeIncidents(ledger().db, keep.incident.reference, other.incident.reference, by(ana), as(ana));
    expect(merged.joined).toEqual([other.incident.reference, again.joined!.report]);
    expect(merged.incident.reports.map((r) => r.reference)).toEqual([other.incident.reference, again.joined!.report]);
    expect(merged.incident).toMatchObject({ vendor: 'MOVEit', recordsAffected: 48_213 });
    expect(merged.incident.sources).toEqual(expect.arrayContaining(['https://a.example.org/gas', 'https://news.example.org/two-step-gas-co']));
    expect(await repeatVictims()).not.toContain('Two Step Gas Co');

    await splitReport(ledger().db, keep.incident.reference, again.joined!.report, by(ana), as(ana));
    const after = await load(keep.incident.reference);
    expect(after.reports.map((r) => r.reference)).toEqual([other.incident.reference]);
    expect(await repeatVictims()).toContain('Two Step Gas Co');
  });

  it('GIVEN a report joined to an incident THEN its own reference finds the incident, a change to it names the incident to change, and a stricter marking never joins a wider incident', async () => {
    const first = await report(event('Reference Trail Clinic'));
    const second = await report(event('Reference Trail Clinic', { summary: 'A second paper on the clinic portal breach.' }), bob);
    const joined = second.joined!.report;
    const found = await ledger().search(joined.toLowerCase());
    expect(found.hits.map((h) => [h.victim.name, h.matchedBy, h.incidents.map((i) => i.reference)])).toEqual([['Reference Trail Clinic', 'reference', [first.incident.reference]]]);
    const edit = textOf(await chat.say(`/incident edit ${joined}`, ana, soc));
    expect(edit).toContain(`${joined} is a report of ${first.incident.reference} now`);
    expect(edit).toContain(`/incident split ${first.incident.reference} ${joined}`);

    // AMBER alike: its own incident, not a source shown to everyone who may read the GREEN one.
    const amber = await report(event('Reference Trail Clinic', { summary: 'A second paper on the clinic portal breach.', tlp: 'amber' }), bob);
    expect(amber.joined).toBeNull();
    expect(amber.incident.reference).not.toBe(first.incident.reference);
    const refused = await report(event('Reference Trail Clinic', { tlp: 'red', sameAs: first.incident.reference }), bob).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UserError);
    expect(refused).toMatchObject({ code: 'wider_marking' });
    expect((refused as UserError).message).toMatch(/^This report is marked TLP:RED, stricter than INC-/);
  });

  describe('refusals: a sentence, and nothing changes', () => {
    const refs: Record<string, string> = {};
    beforeAll(async () => {
      const store = async (name: string, input: IncidentSubmissionInput, actor: Actor = ana) => {
        const outcome = await report(input, actor);
        refs[name] = outcome.joined?.report ?? outcome.incident.reference;
      };
      await store('a1', event('Refusal Water District', { startDate: '2023-01-10', endDate: undefined, recordsAffected: 1_200 }));
      await store('a2', event('Refusal Water District', { startDate: '2023-06', newIncident: true }));
      await store('a3', event('Refusal Water District', { startDate: '2023-01-10', endDate: undefined, recordsAffected: 1_200 }));
      await store('a6', event('Refusal Water District', { startDate: '2023-01-10', endDate: undefined, recordsAffected: 1_200 }), bob);
      await store('bob', event('Refusal Water District', { startDate: '2023-09', newIncident: true }), bob);
      await store('amber', event('Refusal Water District', { startDate: '2023-11', newIncident: true, tlp: 'amber' }));
      await store('gone', event('Refusal Water District', { startDate: '2022-12', newIncident: true }));
      await retractIncident(ledger().db, refs.gone!, by(ana), 'entered by mistake');
      await store('late', event('Refusal Water District', { startDate: '2024-06', endDate: undefined, newIncident: true }));
      await store('b1', event('Refusal Electric', { newIncident: true }));
      expect(refs.a3).not.toBe(refs.a1);
      expect((await load(refs.a1!)).reports.map((r) => r.reference)).toEqual([refs.a3, refs.a6]);
    });

    const otherWorkspace: Viewer = { upTo: 'red', workspace: 'T2', red: { platform: 'slack', userId: 'UEVE' } };
    const merges: [string, string, string, Actor, string, RegExp, Viewer?][] = [
      ['an unknown incident to keep', 'INC-2099-0999', 'a2', ana, 'unknown_incident', /^There is no incident INC-2099-0999\.$/],
      ['an unknown incident to merge', 'a1', 'INC-2099-0999', ana, 'unknown_incident', /^There is no incident INC-2099-0999\.$/],
      ['an incident the person may not see', 'a1', 'amber', ana, 'unknown_incident', /^There is no incident INC-/, otherWorkspace],
      ['a joined report to keep', 'a3', 'a2', ana, 'joined_report', /^{a3} is a report of {a1}, not an incident of its own/],
      ['a joined report of another incident to merge', 'a2', 'a3', ana, 'joined_report', /^{a3} is a report of {a1}, not an incident of its own; split it off first\.$/],
      ['a report already joined to it', 'a1', 'a3', ana, 'already_merged', /^{a3} is already a report of {a1}\.$/],
      ['the same incident twice', 'a1', 'a1', ana, 'same_incident', /^{a1} is one incident/],
      ['a retracted incident', 'a1', 'gone', ana, 'retracted', /^{gone} was retracted; it cannot be merged\.$/],
      ['incidents of two victims', 'a1', 'b1', ana, 'other_victim', /^{a1} is an incident of Refusal Water District and {b1} of Refusal Electric: only incidents of one victim can be merged\.$/],
      ['another reporter\'s incident', 'a1', 'bob', ana, 'not_permitted', /^Only the person who reported {bob}, or a breachdesk admin, may merge it\.$/],
      ['someone who reported neither', 'a1', 'a2', bob, 'not_permitted', /^Only the person who reported {a1}, or a breachdesk admin, may merge it\.$/],
      ['a report that ended before the incident began', 'late', 'a2', ana, 'dates_disagree', /^{a2} ended 2024-03-20, before {late} began \(2024-06\): correct the dates first, or merge {late} into {a2}\.$/],
      ['a stricter marking into a wider one', 'a1', 'amber', ana, 'wider_marking', /^{amber} is marked TLP:AMBER, stricter than {a1} \(TLP:GREEN\)/],
    ];
    const splits: [string, string, string, Actor, string, RegExp][] = [
      ['an unknown incident', 'INC-2099-0999', 'a3', ana, 'unknown_incident', /^There is no incident INC-2099-0999\.$/],
      ['a retracted incident', 'gone', 'a3', ana, 'retracted', /^{gone} was retracted; it cannot be changed any more\.$/],
      ['a report of another incident', 'a2', 'a3', ana, 'not_a_report', /^{a3} is not a report of {a2}; it has no other reports\.$/],
      ['an unknown report', 'a1', 'INC-2099-0999', ana, 'not_a_report', /^INC-2099-0999 is not a report of {a1} \(its reports: {a3}, {a6}\)\.$/],
      ['the incident itself', 'a1', 'a1', ana, 'same_incident', /^{a1} is the incident itself/],
      ['a joined report named as the incident', 'a3', 'a1', ana, 'joined_report', /^{a3} is itself a report of {a1}/],
      ['a report another person gave', 'a1', 'a6', ana, 'not_permitted', /^Only the person who reported {a6}, or a breachdesk admin, may split it off\.$/],
      ['someone who reported neither', 'a1', 'a3', bob, 'not_permitted', /^Only the person who reported {a1}, or a breachdesk admin, may split it off\.$/],
    ];
    const named = (ref: string) => refs[ref] ?? ref;
    const expected = (pattern: RegExp) => new RegExp(pattern.source.replace(/\{(\w+)\}/g, (_, name: string) => refs[name]!));
    const refusal = async (work: Promise<unknown>): Promise<UserError> => {
      const error = await work.then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      return error as UserError;
    };

    it.each(merges)('GIVEN %s THEN merge refuses and nothing changes', async (_, keep, other, actor, code, message, viewer) => {
      const before = await ledgerState();
      const error = await refusal(mergeIncidents(ledger().db, named(keep), named(other), by(actor), as(actor), { viewer }));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(expected(message));
      expect(await ledgerState()).toEqual(before);
    });

    it.each(splits)('GIVEN %s THEN split refuses and nothing changes', async (_, incident, report, actor, code, message) => {
      const before = await ledgerState();
      const error = await refusal(splitReport(ledger().db, named(incident), named(report), by(actor), as(actor)));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(expected(message));
      expect(await ledgerState()).toEqual(before);
    });
  });

  describe('/incident merge and /incident split through the real dispatcher', () => {
    it('GIVEN Ana\'s two incidents THEN Ana may merge and split them; Bob is refused with a sentence, Carl may not even try; nothing changes on a refusal', async () => {
      const one = await report(event('Chat Merge Clinic', { newIncident: true }));
      const two = await report(event('Chat Merge Clinic', { newIncident: true }));
      const [a, b] = [one.incident.reference, two.incident.reference];
      const before = await ledgerState();

      expect(textOf(await chat.say(`/incident merge ${a} ${b}`, bob, soc))).toBe(`Only the person who reported ${a}, or a breachdesk admin, may merge it.`);
      expect(textOf(await chat.say(`/incident merge ${a} ${b}`, carl, soc))).toBe(REFUSALS.report);
      expect(textOf(await chat.say(`/incident merge ${a}`, ana, soc))).toMatch(/Give two incident references[\s\S]*Usage: \/incident merge/);
      expect(textOf(await chat.say(`/incident merge ${a} INC-2099-0999`, ana, soc))).toBe('There is no incident INC-2099-0999.');
      expect(await ledgerState()).toEqual(before);

      const merged = textOf(await chat.say(`/incident merge ${a} ${b.toLowerCase()}`, ana, soc));
      expect(merged).toContain(`${b} is now a report of ${a} (Chat Merge Clinic); 2 reports.`);
      expect(merged).toContain(`/incident split ${a} ${b}`);
      expect(textOf(await chat.say('/incident chat merge clinic', carl, soc))).not.toContain(b);

      expect(textOf(await chat.say(`/incident split ${a} ${b}`, bob, soc))).toBe(`Only the person who reported ${a}, or a breachdesk admin, may split it off.`);
      const split = textOf(await chat.say(`/incident split ${a} ${b}`, ana, soc));
      expect(split).toContain(`${b} is an incident of its own again, no longer a report of ${a} (Chat Merge Clinic). Repeat breach: 2nd incident within 365 days.`);
      expect(textOf(await chat.say('/incident chat merge clinic', carl, soc))).toContain(b);
      expect(chat.logged).toEqual([]);
    });

    it('GIVEN help THEN merge and split are listed with their usage', async () => {
      const help = textOf(await chat.say('/incident help', carl, soc));
      expect(help).toContain('/incident merge <incident to keep> <incident that reports it again>');
      expect(help).toContain('/incident split <incident> <its report>');
    });
  });
});
