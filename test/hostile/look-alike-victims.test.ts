import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../../src/interop/csv.js';
import { backends } from '../support/databases.js';
import { runCli } from '../support/run-cli.js';
import { cliLedger, jsonOf } from './cli-ledger.js';

// Names that look like "City of Odessa" and are not its letters: a second victim of
// that name would take the real one's repeats and alerts away (issue 15, item 4).
const LOOK_ALIKES = {
  cyrillicC: '\u0421ity of Odessa',
  zeroWidthSpace: 'City of Ode\u200bssa',
  greekO: 'City of \u039fdessa',
  softHyphen: 'City of Ode\u00adssa',
};

interface ReportDoc { victim: { id: number; name: string }; victimCreated: boolean }
interface SearchDoc { victims: { name: string; country: string | null }[] }

const report = (name: string, startDate: string) => ({
  victim: { name, isNew: true }, startDate, summary: `Look-alike report of ${startDate}: payment portal skimmed.`, newIncident: true,
});

describe.each(backends)('a victim named with look-alike or invisible characters, on %s', (backend) => {
  let ledger: Awaited<ReturnType<typeof cliLedger>>;
  let odessa: ReportDoc['victim'];
  const odessas = async () => jsonOf<SearchDoc>(await runCli(['search', 'odessa', '--json', '--limit', '20'], { env: ledger.env })).victims
    .filter((v) => v.country !== 'UA');

  beforeAll(async () => {
    ledger = await cliLedger(backend);
    const first = { victim: { name: 'City of Odessa', country: 'US', region: 'TX', kind: 'city' }, startDate: '2019-08-27', summary: 'Click2Gov card data skimmed.', vendor: 'Click2Gov' };
    odessa = jsonOf<ReportDoc>(await runCli(['report', '--json'], { env: ledger.env, input: JSON.stringify(first) })).victim;
  });
  afterAll(() => ledger.drop());

  it('GIVEN breachdesk report with the name written with a Cyrillic С, then a Greek Ο, each confirmed as new THEN both are the City of Odessa', async () => {
    for (const [name, startDate] of [[LOOK_ALIKES.cyrillicC, '2020-01'], [LOOK_ALIKES.greekO, '2020-02']] as const) {
      const recorded = jsonOf<ReportDoc>(await runCli(['report', '--json'], { env: ledger.env, input: JSON.stringify(report(name, startDate)) }));
      expect(recorded.victim).toMatchObject({ id: odessa.id, name: 'City of Odessa' });
      expect(recorded.victimCreated).toBe(false);
    }
    expect(await odessas()).toEqual([expect.objectContaining({ name: 'City of Odessa' })]);
  });

  it('GIVEN breachdesk import csv with every look-alike name THEN no row makes a victim of its own', async () => {
    const file = path.join(tmpdir(), `look-alikes-${backend}-${process.pid}.csv`);
    const row = (name: string, n: number): Record<string, string> => ({
      ...Object.fromEntries(CSV_COLUMNS.map((c) => [c, ''])),
      victim: name, start_date: `2021-0${n + 1}`, summary: `Imported look-alike ${n}: portal skimmed.`,
    });
    await writeFile(file, stringify(Object.values(LOOK_ALIKES).map(row), { header: true, columns: [...CSV_COLUMNS] }));
    const imported = jsonOf<{ imported: number; invalid: unknown[]; nearMatches: unknown[] }>(await runCli(['import', 'csv', file, '--json'], { env: ledger.env }));
    await rm(file);
    expect(imported).toMatchObject({ imported: 4, invalid: [], nearMatches: [] });
    expect(await odessas()).toEqual([expect.objectContaining({ name: 'City of Odessa' })]);
  });

  it('GIVEN the report form in the shell with the name written with a Cyrillic С, answering "a new victim" if asked THEN it is recorded for the City of Odessa', async () => {
    const lines = [
      '/incident report',
      LOOK_ALIKES.cyrillicC, '', '', '',       // victim as typed; country, region, city left empty
      '2022-03', '', '', '',                   // started; ended, discovered, disclosed
      '',                                      // title
      'Shell look-alike: utility payments skimmed.',
      '', '', '', '', '', '', '', '', '',      // description, vendor, impact, motives, techniques, actors, records, sources, TLP
      'y',
      '2',                                     // "No: … is a new victim", should the form ask
    ];
    const run = await runCli(['start', '--shell'], { env: ledger.env, input: `${lines.join('\n')}\n` });
    expect(run.stdout).toMatch(/Recorded INC-2022-\d{4}\n+City of Odessa · city · TX, US/);
    expect(run.stdout).not.toMatch(/Did you mean/);
    expect(await odessas()).toEqual([expect.objectContaining({ name: 'City of Odessa' })]);
  });
});
