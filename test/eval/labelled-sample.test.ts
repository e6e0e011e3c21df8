import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLabels, recordFiles } from '../../eval/labels.js';
import type { Labels, LabelledPair } from '../../eval/labels.js';
import { scoreRepeats } from '../../eval/score.js';
import type { EvalScore, ListedVictim } from '../../eval/score.js';
import { scoreText } from '../../eval/score-text.js';
import type { LedgerDatabase } from '../../src/db/database.js';
import { repeatsJson } from '../../src/incidents/incident-json.js';
import { createLedger } from '../../src/ledger.js';
import type { Ledger } from '../../src/ledger.js';
import { importVeris } from '../../src/interop/veris-import.js';
import { backends, freshDatabase } from '../support/databases.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/vcdb-labelled/', import.meta.url));
const INCIDENTS = `${FIXTURE}incidents`;

const pair = (a: string, b: string, label: LabelledPair['label'], same_victim: LabelledPair['same_victim'], within_365: LabelledPair['within_365']): LabelledPair =>
  ({ a, b, a_date: '2020', b_date: '2020', label, same_victim, within_365, why: `${a}/${b} ${label}` });

// Four hand-made groups: a true repeat (a1/a2; a3 is a2's second record), one event twice,
// a pair whose dates may or may not fit, and two records too far apart to be a pair.
const labels: Labels = {
  about: 'hand-made',
  counts: {},
  victims: [
    { key: 'twice', names: ['Twice Hospital'], files: ['a1.json', 'a2.json', 'a3.json'], pairs: [pair('a1.json', 'a2.json', 'distinct', true, 'yes'), pair('a2.json', 'a3.json', 'same', true, 'yes')], true_repeat: true },
    { key: 'copy', names: ['Copy Clinic'], files: ['b1.json', 'b2.json'], pairs: [pair('b1.json', 'b2.json', 'same', true, 'yes')], true_repeat: false },
    { key: 'maybe', names: ['Maybe Bank'], files: ['c1.json', 'c2.json'], pairs: [pair('c1.json', 'c2.json', 'distinct', true, 'maybe')], true_repeat: false },
    { key: 'stations', names: ['Pump Co'], files: ['d1.json', 'd2.json', 'd3.json'], pairs: [pair('d1.json', 'd2.json', 'distinct', false, 'yes')], true_repeat: false },
  ],
};
// A file's name need not be its incident_id: 'veris:X1' lives in a1.json.
const fileOf = new Map(['X1:a1', 'A2:a2', 'A3:a3', 'B1:b1', 'B2:b2', 'C1:c1', 'C2:c2', 'D1:d1', 'D2:d2', 'D3:d3', 'N1:n1'].map((s) => {
  const [id, file] = s.split(':') as [string, string];
  return [`veris:${id}`, `${file}.json`] as const;
}));

const incident = (id: string | null, ...reports: string[]) => ({ externalId: id && `veris:${id}`, reports: reports.map((r) => ({ externalId: `veris:${r}` })) });
const victim = (...incidents: ReturnType<typeof incident>[]): ListedVictim => ({ name: 'V', incidents });
const verdict = ({ all }: EvalScore) => (all.trueAlarms ? 'a true alarm' : all.falseAlarms ? 'a false alarm' : all.neither ? 'neither' : 'not listed');

describe('scoring a repeats listing against hand labels', () => {
  it.each([
    ['two incidents holding a true pair', 'a true alarm', 1, victim(incident('X1'), incident('A2'))],
    ['one event listed as two incidents', 'a false alarm', 0, victim(incident('B1'), incident('B2'))],
    ['two organisations of one name', 'a false alarm', 0, victim(incident('D1'), incident('D2'))],
    ['two records of a group that are not a labelled pair (over 365 days apart)', 'a false alarm', 0, victim(incident('D1'), incident('D3'))],
    ['a pair whose dates may or may not lie within the window', 'neither', 0, victim(incident('C1'), incident('C2'))],
    ['files of two different label groups', 'neither', 0, victim(incident('X1'), incident('B1'))],
    ['a false pair beside an unlabelled one', 'neither', 0, victim(incident('B1'), incident('B2'), incident('N1'))],
    ['the true pair merged into one incident', 'neither', 0, victim(incident('X1', 'A2'), incident('B1'))],
    ['a merged report holding one side of the true pair', 'a true alarm', 1, victim(incident('A3', 'X1'), incident('A2'))],
    ['records the sample does not know (other sources, no external id)', 'neither', 0, victim(incident('X1'), incident(null), incident('Z9'))],
  ])('GIVEN %s THEN the victim counts as %s, true repeats found: %i', (_, expected, found, listed) => {
    const score = scoreRepeats(labels, fileOf, { victims: [listed] });
    expect(verdict(score)).toBe(expected);
    expect(score.all.found).toBe(found);
    expect(score.all.recall).toBe(found);
  });

  it('GIVEN a false alarm THEN it names its files, incident by incident, and why each pair is false', () => {
    const { all } = scoreRepeats(labels, fileOf, { victims: [{ name: 'Copy Clinic', incidents: [incident('B1'), incident('B2')] }] });
    expect(all.falseAlarmVictims).toEqual([{ name: 'Copy Clinic', incidents: [['b1.json'], ['b2.json']], pairs: [{ a: 'b1.json', b: 'b2.json', why: 'one event: b1.json/b2.json same' }] }]);
  });

  it('GIVEN a victim counting neither way THEN the pairs that keep it from being false are named', () => {
    const { all } = scoreRepeats(labels, fileOf, { victims: [{ name: 'Copy Clinic', incidents: [incident('B1'), incident('B2', 'C1')] }] });
    expect(all.neitherVictims[0]?.pairs).toEqual([
      { a: 'b1.json', b: 'c1.json', why: 'files of two different label groups' },
    ]);
  });

  it('GIVEN several victims, some certain THEN recall, precision and misses for all listed and for certain only', () => {
    const score = scoreRepeats(labels, fileOf, {
      victims: [
        { name: 'Twice', certainty: 'possible', incidents: [incident('X1'), incident('A2')] },
        { name: 'Copy', certainty: 'certain', incidents: [incident('B1'), incident('B2')] },
        { name: 'Maybe', certainty: 'certain', incidents: [incident('C1'), incident('C2')] },
      ],
    });
    expect(score.all).toMatchObject({ listed: 3, trueAlarms: 1, falseAlarms: 1, neither: 1, found: 1, trueRepeats: 1, recall: 1, precision: 0.5, missed: [] });
    expect(score.certainOnly).toMatchObject({ listed: 2, trueAlarms: 0, falseAlarms: 1, neither: 1, found: 0, recall: 0, precision: 0 });
    expect(score.certainOnly?.missed).toEqual([{ key: 'twice', names: ['Twice Hospital'], files: ['a1.json', 'a2.json', 'a3.json'] }]);
    expect(scoreRepeats(labels, fileOf, { victims: [] })).toMatchObject({ all: { precision: null, recall: 0 }, certainOnly: null });
  });

  it('GIVEN the labelled fixture THEN every label group is there whole, and files are known by their incident_id', async () => {
    const fixture = await loadLabels(`${FIXTURE}LABELS.json`);
    const files = new Set(await readdir(INCIDENTS));
    expect(fixture.victims.flatMap((g) => g.files).filter((f) => !files.has(f))).toEqual([]);
    expect(fixture.counts.true_repeat_groups).toBe(fixture.victims.filter((g) => g.true_repeat).length);
    expect((await recordFiles(INCIDENTS)).get('veris:cbe7c3b0-e075-11e9-9b3e-615de4b5b4cd')).toBe('677e6ac8-300a-4f1d-a867-351e09041239.json');
  });
});

describe.each(backends)('the repeat verdict on the labelled VCDB fixture on %s', (backend) => {
  let database: LedgerDatabase;
  let ledger: Ledger;

  beforeAll(async () => {
    database = await freshDatabase(backend);
    ledger = createLedger(database.db, { windowDays: 365 });
  });
  afterAll(async () => {
    await database.close();
  });

  // The fixture is not yet scored perfectly (README "Repeat-breach quality"): the one
  // miss (two actors in one exposed database, told by one article with one count) and
  // the one false alarm (one prank told in two words and in two sentences) are named,
  // so a new one fails this test.
  const KNOWN_MISSES = ['lumin pdf'];

  it('GIVEN the fixture imported THEN the traps hold: one event twice, a follow-up, a wrong year and one name in two states raise no alarm; a shared source with two events and UCLA under two names are repeats', async () => {
    const imported = await importVeris(ledger, [INCIDENTS]);
    expect(imported.invalid).toEqual([]);
    const listing = repeatsJson(ledger.windowDays, await ledger.repeats({ limit: 100_000, certainty: 'certain' }));
    const score = scoreRepeats(await loadLabels(`${FIXTURE}LABELS.json`), await recordFiles(INCIDENTS), listing);
    const explained = scoreText(score).join('\n');
    expect(score.all.missed.map((m) => m.key).sort(), explained).toEqual(KNOWN_MISSES);
    expect(score.all.falseAlarmVictims.map((v) => v.name), explained).toEqual(['Waze']);
    expect(score.all.found, explained).toBe(6);
    expect(imported.joined.length).toBeGreaterThan(0);

    // The same source again: nothing joins twice, nothing new, the verdicts stand.
    const again = await importVeris(ledger, [INCIDENTS]);
    expect(again).toMatchObject({ imported: 0, updated: 0, skipped: imported.imported, joined: [] });
    expect(repeatsJson(ledger.windowDays, await ledger.repeats({ limit: 100_000, certainty: 'certain' }))).toEqual(listing);
  });
});
