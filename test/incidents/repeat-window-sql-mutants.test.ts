import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerDatabase } from '../../src/db/database.js';
import { inRepeatWindow } from '../../src/incidents/repeat-window.js';
import type { Certainty } from '../../src/incidents/repeat-window.js';
import { createLedger } from '../../src/ledger.js';
import type { Ledger } from '../../src/ledger.js';
import { OPERATOR } from '../../src/trust/tlp.js';
import { backends, freshDatabase } from '../support/databases.js';
import { analyst, paperReport, submission } from '../support/submissions.js';
import { WINDOW_EDGES } from './window-edges.js';

/**
 * Stryker cannot mutate SQL, so the window's SQL gets hand-made mutants here: each is
 * the real condition (inRepeatWindow, compiled) with one small fault, run over the
 * edge cases' rows; the edges must tell every one from the real rule.
 */
const MUTANTS: [name: string, certainty: Certainty, from: string, to: string][] = [
  ['certain: <= becomes <', 'certain', ') <= $1', ') < $1'],
  ['certain: greatest becomes least', 'certain', 'greatest(', 'least('],
  ['certain: only the later end', 'certain', 'greatest("o"."started_until" - "i"."started_on", ', 'greatest('],
  ['certain: only the earlier end', 'certain', ', "i"."started_until" - "o"."started_on")', ')'],
  ['certain: the other\'s start for its end', 'certain', 'greatest("o"."started_until"', 'greatest("o"."started_on"'],
  ['certain: this one\'s start for its end', 'certain', ', "i"."started_until" - "o"."started_on"', ', "i"."started_on" - "o"."started_on"'],
  ['possible: <= becomes <', 'possible', '"o"."started_on" <= ', '"o"."started_on" < '],
  ['possible: >= becomes >', 'possible', '"o"."started_until" >= ', '"o"."started_until" > '],
  ['possible: + becomes -', 'possible', '"i"."started_until" + $1', '"i"."started_until" - $1'],
  ['possible: - becomes +', 'possible', '"i"."started_on" - $2', '"i"."started_on" + $2'],
  ['possible: this one\'s start for its end', 'possible', '"i"."started_until" + $1', '"i"."started_on" + $1'],
  ['possible: the other\'s start for its end', 'possible', '"o"."started_until" >= ', '"o"."started_on" >= '],
  ['possible: and becomes or', 'possible', '::int and "o"."started_until"', '::int or "o"."started_until"'],
  ['possible: no later bound', 'possible', '"o"."started_on" <= "i"."started_until" + $1::int and ', '$1::int = $1::int and '],
  ['possible: no earlier bound', 'possible', '"o"."started_until" >= "i"."started_on" - $2::int', '$2::int = $2::int'],
  // The bounds on the other's start alone (for the indexes) must never cut a pair the rule finds.
  ['certain: the other\'s start strictly after the window\'s', 'certain', '"o"."started_on" >= "i"."started_on" - $2::int', '"o"."started_on" > "i"."started_on" - $2::int'],
  ['possible: the other\'s start within the window alone', 'possible', '"o"."started_on" >= "i"."started_on" - $3::int', '"o"."started_on" >= "i"."started_on" - ($3::int - 366)'],
  ['a joined report counts as the other', 'possible', ' and "o"."merged_into" is null', ''],
  ['a joined report is judged', 'possible', ' and "i"."merged_into" is null', ''],
  ['a retracted incident counts as the other', 'possible', '"o"."retracted_at" is null and ', ''],
  ['a retracted incident is judged', 'possible', '"i"."retracted_at" is null and ', ''],
];

describe.each(backends)('hand-made mutants of the repeat window\'s SQL, on %s', (backend) => {
  let database: LedgerDatabase;
  let ledger: Ledger;
  /** For each window size, its cases' victims and the pairs (judged→other) each certainty should find among them. */
  let expected: Map<number, Record<Certainty, string[]> & { victims: Set<number> }>;

  const pairs = async (windowDays: number, certainty: Certainty, mutate = (text: string) => text) => {
    const rule = inRepeatWindow(windowDays, OPERATOR, certainty).compile(database.db);
    const query = `select i.victim_id as victim, i.id as i, o.id as o from incidents i join incidents o on o.victim_id = i.victim_id and o.id <> i.id where ${mutate(rule.sql)}`;
    const { rows } = await database.db.executeQuery<{ victim: number; i: number; o: number }>(CompiledQuery.raw(query, [...rule.parameters]));
    return rows.filter((r) => expected.get(windowDays)!.victims.has(r.victim)).map((r) => `${r.i}→${r.o}`).sort();
  };

  // Rows stored by the first test that needs them (see repeat-window-edges.test.ts).
  let seeded: Promise<void> | undefined;
  const seed = () => (seeded ??= (async () => {
    expected = new Map();
    for (const [n, [earlier, later, windowDays, certainty]] of WINDOW_EDGES.entries()) {
      const report = (startDate: string, victim: Record<string, unknown>) =>
        ledger.report(submission({ victim: victim as never, startDate, newIncident: true, vendor: undefined }), analyst, { alerts: false });
      const first = await report(earlier, { name: `Edge Case Utility ${n}`, country: 'US', region: 'TX', kind: 'company', isNew: true });
      const second = await report(later, { name: `Edge Case Utility ${n}`, id: first.victim.id });
      const found = expected.get(windowDays) ?? { certain: [], possible: [], victims: new Set() };
      found.victims.add(first.victim.id);
      const both = [`${first.incident.id}→${second.incident.id}`, `${second.incident.id}→${first.incident.id}`];
      if (certainty !== null) found.possible.push(...both);
      if (certainty === 'certain') found.certain.push(...both);
      expected.set(windowDays, found);
    }
    // A report joined to an incident and a retracted incident, each beside one within the window: never a pair.
    const first = await ledger.report(paperReport('Joined Report Water District'), analyst, { alerts: false });
    const joined = await ledger.report(paperReport('Joined Report Water District', { summary: 'A second article on the billing portal breach.' }), analyst, { alerts: false });
    expect(joined.joined).not.toBeNull();
    const kept = await ledger.report(paperReport('Retracted Report Water District'), analyst, { alerts: false });
    const retracted = await ledger.report(paperReport('Retracted Report Water District', { startDate: '2024-05-01', endDate: undefined, recordsAffected: 10, summary: 'Ransomware.' }), analyst, { alerts: false, sameEvent: 'auto' });
    expect(retracted.incident.id).not.toBe(kept.incident.id);
    await database.db.updateTable('incidents').set({ retracted_at: new Date('2024-06-01T00:00:00Z') }).where('id', '=', retracted.incident.id).execute();
    expected.get(365)!.victims.add(first.victim.id).add(kept.victim.id);
    for (const windowDays of expected.keys()) for (const c of ['certain', 'possible'] as const) expected.get(windowDays)![c].sort();
  })());

  beforeAll(async () => {
    database = await freshDatabase(backend);
    ledger = createLedger(database.db, { windowDays: 365 });
  });
  afterAll(() => database.close());

  it('GIVEN the rule as written THEN it finds exactly the pairs of the edge table', async () => {
    await seed();
    for (const [windowDays, found] of expected) {
      expect(await pairs(windowDays, 'possible')).toEqual(found.possible);
      expect(await pairs(windowDays, 'certain')).toEqual(found.certain);
    }
  });

  it.each(MUTANTS)('GIVEN the mutant "%s" THEN some edge tells it from the rule', async (_name, certainty, from, to) => {
    await seed();
    const mutate = (text: string) => {
      expect(text, 'the mutant no longer applies: update it to the rule as written').toContain(from);
      return text.replace(from, to);
    };
    let told = false;
    for (const [windowDays, found] of expected) {
      if (JSON.stringify(await pairs(windowDays, certainty, mutate)) !== JSON.stringify(found[certainty])) told = true;
    }
    expect(told).toBe(true);
  });
});
