import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchPostgresDatabase } from './support/databases.js';
import { runCli } from './support/run-cli.js';
import type { CliRun } from './support/run-cli.js';

const json = <T>(run: CliRun): T => {
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as T;
};

interface SearchDoc { victims: { name: string; country: string; region: string; repeat: unknown; incidents: { reference: string; startDate: string; summary: string; vendor: string | null }[] }[] }
interface RepeatsDoc { windowDays: number; victims: { name: string; incidents: { reference: string }[] }[] }
interface ReportDoc { victim: { name: string; country: string }; victimCreated: boolean; repeat: { isRepeat: boolean; ordinal: number; headline: string; others: { reference: string; startDate: string }[]; sharedVendors: string[] } }

const odessa2020 = { victim: { name: 'Odessa, TX' }, startDate: '2020-09-10', summary: 'Third Click2Gov skimming reported.', vendor: 'Click2Gov' };

describe('the breachdesk command line on embedded PGlite', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-cli-'));
    env = { DATABASE_URL: `pglite:${path.join(dir, 'db')}` };
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('GIVEN a fresh folder WHEN seed-demo, search odessa and repeats run THEN Odessa shows both Click2Gov incidents and is a repeat victim', async () => {
    const seeded = await runCli(['seed-demo'], { env });
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toMatch(/Loaded \d+ demo incidents/);

    const found = json<SearchDoc>(await runCli(['search', 'odessa', '--json'], { env }));
    const [odessa] = found.victims;
    expect(odessa).toMatchObject({ name: 'City of Odessa', country: 'US', region: 'TX' });
    expect(odessa?.incidents.map((i) => [i.startDate, i.vendor])).toEqual([['2020-04', 'Click2Gov'], ['2019-08-27', 'Click2Gov']]);
    expect(found.victims.some((v) => v.country === 'UA')).toBe(true);
    // The verdict on the victim is a field, by the alerts' rule.
    expect(odessa?.repeat).toEqual({ certainty: 'certain', windowDays: 365, incidents: ['INC-2019-0001', 'INC-2020-0001'], daysApart: 218, sharedVendors: ['Click2Gov'], sharedTechniques: [], sharedThreatActors: [], possibleBecause: null });
    expect(found.victims.find((v) => v.country === 'UA')?.repeat).toBeNull();

    const repeats = json<RepeatsDoc>(await runCli(['repeats', '--json'], { env }));
    expect(repeats.windowDays).toBe(365);
    expect(repeats.victims.find((v) => v.name === 'City of Odessa')?.incidents).toHaveLength(2);
  });

  it('GIVEN another Odessa incident on standard input THEN the ordinal and the earlier incidents', async () => {
    const report = json<ReportDoc>(await runCli(['report', '--json'], { env, input: JSON.stringify(odessa2020) }));
    expect(report.victim.name).toBe('City of Odessa');
    expect(report.repeat).toMatchObject({ isRepeat: true, ordinal: 2, headline: '2nd incident within 365 days', sharedVendors: ['Click2Gov'] });
    expect(report.repeat.others.map((o) => o.startDate)).toEqual(['2020-04']);
  });

  it('GIVEN a report, a retraction and the audit command THEN who did what, as text and JSON; --since filters', async () => {
    const report = json<{ incident: { reference: string; tlp: string } }>(await runCli(['report', '--json'], {
      env: { ...env, USER: 'ana' }, input: JSON.stringify({ victim: { name: 'City of Auditville', isNew: true }, startDate: '2025-01', summary: 'Ransomware at city hall.', tlp: 'amber' }),
    }));
    expect(report.incident.tlp).toBe('TLP:AMBER');
    const retracted = await runCli(['retract', report.incident.reference, '--reason', 'entered twice'], { env: { ...env, USER: 'ana' } });
    expect(retracted.stdout).toMatch(new RegExp(`Retracted ${report.incident.reference} \\(revision 2\\)`));
    expect((await runCli(['retract', report.incident.reference], { env })).code).toBe(2);

    const audit = json<{ entries: { action: string; subject: string; who: { platform: string; name: string }; detail: Record<string, unknown> }[] }>(await runCli(['audit', '--json'], { env }));
    const mine = audit.entries.filter((e) => e.subject === report.incident.reference);
    expect(mine.map((e) => [e.action, e.who.platform, e.who.name])).toEqual([['incident.report', 'cli', 'ana'], ['incident.retract', 'cli', 'ana']]);
    expect(mine[1]!.detail).toMatchObject({ reason: 'entered twice' });
    const text = await runCli(['audit'], { env });
    expect(text.stdout).toMatch(new RegExp(`incident\\.retract  ${report.incident.reference}  by ana \\(cli\\)`));
    expect((await runCli(['audit', '--since', '2999-01'], { env })).stdout).toMatch(/empty/);
    expect((await runCli(['audit', '--since', 'yesterday'], { env })).stderr).toMatch(/not a date/);
    expect(json<SearchDoc>(await runCli(['search', 'auditville', '--json'], { env })).victims).toEqual([]);
  }, 150_000); // eight breachdesk processes, each opening the embedded database

  it('GIVEN an Odessa incident from a FILE, outside the window THEN no repeat; and Odesa, Ukraine stays apart', async () => {
    const file = path.join(dir, 'late.json');
    await writeFile(file, JSON.stringify({ ...odessa2020, startDate: '2024-02' }));
    const late = json<ReportDoc>(await runCli(['report', '--json', file], { env }));
    expect(late.repeat).toMatchObject({ isRepeat: false, others: [] });

    const ukraine = json<ReportDoc>(await runCli(['report', '--json'], { env, input: JSON.stringify({ ...odessa2020, victim: { name: 'Odesa, Ukraine' } }) }));
    expect(ukraine.victim).toMatchObject({ name: 'Odesa', country: 'UA' });
    expect(ukraine.victimCreated).toBe(true);
    expect(ukraine.repeat.isRepeat).toBe(false);

    const texas = json<SearchDoc>(await runCli(['search', 'City of Odessa', '--json'], { env }));
    expect(texas.victims[0]?.incidents).toHaveLength(4);
  });

  it('GIVEN a bad submission THEN every bad field on standard error, exit 1, nothing stored', async () => {
    const bad = { victim: { name: 'Nowhere', country: 'ZZ' }, startDate: '2999-01-01', summary: 'x'.repeat(10_000), sources: ['ftp://x'], techniques: ['T9999'] };
    const run = await runCli(['report'], { env, input: JSON.stringify(bad) });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    for (const field of ['victim.country', 'startDate', 'summary', 'sources.0', 'techniques.0']) expect(run.stderr).toContain(field);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const search = json<SearchDoc>(await runCli(['search', 'Nowhere', '--json'], { env }));
    expect(search.victims.map((v) => v.name)).not.toContain('Nowhere');
  });

  it('GIVEN --json and a near-match victim THEN a JSON error with the candidates', async () => {
    const run = await runCli(['report', '--json'], { env, input: JSON.stringify({ ...odessa2020, victim: { name: 'Odessa' } }) });
    expect(run.code).toBe(1);
    const { error } = JSON.parse(run.stderr) as { error: { code: string; candidates: { name: string }[] } };
    expect(error.code).toBe('victim_needs_confirmation');
    expect(error.candidates.map((c) => c.name)).toContain('City of Odessa');
  });

  it.each([
    [['search'], 2, /needs a query/],
    [['frobnicate'], 2, /unknown command "frobnicate"/],
    [['repeats', '--window-days', 'abc'], 2, /--window-days must be a whole number/],
    [['report'], 2, /is not JSON/],
  ])('GIVEN %j THEN a usage error and exit %i', async (args, code, message) => {
    const run = await runCli(args, { env, input: 'not json' });
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message);
  });
});

describe('the breachdesk command line with an unreachable or misconfigured database', () => {
  it('GIVEN a PostgreSQL server that does not answer THEN one clear line and a non-zero exit', async () => {
    const run = await runCli(['search', 'odessa'], { env: { DATABASE_URL: 'postgres://nobody:secret@127.0.0.1:1/none' } });
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/cannot reach PostgreSQL at 127\.0\.0\.1:1\/none/);
    expect(run.stderr).not.toContain('secret');
  });

  it('GIVEN a DATABASE_URL of an unknown kind THEN the variable is named', async () => {
    const run = await runCli(['search', 'odessa'], { env: { DATABASE_URL: 'mysql://x' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^breachdesk: DATABASE_URL must start with postgres/);
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('the breachdesk command line on PostgreSQL', () => {
  let scratch: Awaited<ReturnType<typeof scratchPostgresDatabase>>;
  beforeAll(async () => (scratch = await scratchPostgresDatabase()));
  afterAll(() => scratch.drop());

  it('GIVEN an empty database THEN search asks for migrate, and after migrate and seed-demo finds Odessa', async () => {
    const env = { DATABASE_URL: scratch.url };
    const behind = await runCli(['search', 'odessa'], { env });
    expect(behind.code).toBe(1);
    expect(behind.stderr).toMatch(/breachdesk migrate/);
    expect((await runCli(['migrate'], { env })).stdout).toMatch(/Applied 2026-11-27-001-ledger/);
    expect((await runCli(['seed-demo'], { env })).code).toBe(0);
    const found = json<SearchDoc>(await runCli(['search', 'odessa', '--json'], { env }));
    expect(found.victims[0]?.incidents).toHaveLength(2);
  });
});

describe('breachdesk import and export on the command line', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-interop-'));
    env = { DATABASE_URL: `pglite:${path.join(dir, 'db')}` };
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('GIVEN VCDB files THEN a summary, repeat victims, and CSV and STIX exports of them', async () => {
    const fixtures = path.resolve(import.meta.dirname, 'fixtures/vcdb');
    const imported = json<{ imported: number; invalid: unknown[]; unattributed: number }>(await runCli(['import', 'veris', fixtures, '--json'], { env }));
    expect(imported).toMatchObject({ imported: 10, invalid: [], unattributed: 2 });
    const again = await runCli(['import', 'veris', fixtures], { env });
    expect(again.stdout).toMatch(/^Imported 0, updated 0, skipped 10 \(unchanged\), invalid 0/);
    const repeats = json<RepeatsDoc>(await runCli(['repeats', '--json'], { env }));
    expect(repeats.victims.map((v) => v.name)).toContain('Facebook');
    const csv = await runCli(['export', 'csv'], { env });
    expect(csv.stdout.split('\n').filter(Boolean)).toHaveLength(11);
    const stix = json<{ type: string; objects: { type: string }[] }>(await runCli(['export', 'stix', '--victim', 'Facebook'], { env }));
    expect(stix.type).toBe('bundle');
    expect(stix.objects.filter((o) => o.type === 'incident').length).toBeGreaterThanOrEqual(4);
    const usage = await runCli(['import', 'xml', 'x'], { env });
    expect(usage.code).toBe(2);
  });
});
