import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, scratchPostgresDatabase } from './support/databases.js';
import { runCli } from './support/run-cli.js';
import type { CliRun } from './support/run-cli.js';
import { paperReport } from './support/submissions.js';

const json = <T>(run: CliRun): T => {
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as T;
};

interface ReportDoc { incident: { reference: string; reports: { reference: string; reason: string }[] }; joined: { report: string; reason: string } | null }
interface RepeatsDoc { victims: { name: string; incidents: { reference: string }[] }[] }
interface SplitDoc { incident: { reference: string; reports: unknown[]; revision: number }; report: { reference: string }; victim: { name: string } }
interface ImportDoc { imported: number; joined: { file: string; report: string; incident: string; reason: string }[] }

/** One event as a paper reports it, as the command line reads it. */
const event = (victim: string, overrides: Record<string, unknown> = {}) => JSON.stringify(paperReport(victim, overrides));

/** A VERIS 1.3.4 document as VCDB writes them. */
const veris = (id: string, incident: Record<string, unknown>) => JSON.stringify({
  incident_id: id, schema_version: '1.3.4', source_id: 'vcdb', security_incident: 'Confirmed',
  victim: { victim_id: 'Double Entry Hospital', country: ['US'], industry: '000', employee_count: 'Unknown' },
  timeline: { incident },
  action: { hacking: { variety: ['SQLi'], vector: ['Web application'] } },
  actor: { external: { variety: ['Unaffiliated'], motive: ['Financial'], country: ['Unknown'] } },
  attribute: { confidentiality: { data_disclosure: 'Yes' } },
  summary: `Test incident ${id}`,
  reference: 'https://news.example.org/same-story',
});

describe.each(backends)('breachdesk merge, split, report --same-as / --new-incident and import --new-incident, on %s', (backend) => {
  let dir: string;
  let env: Record<string, string>;
  let drop = async () => {};
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-cli-merge-'));
    if (backend === 'pglite') {
      env = { DATABASE_URL: `pglite:${path.join(dir, 'db')}`, USER: 'ana' };
    } else {
      const scratch = await scratchPostgresDatabase();
      drop = scratch.drop;
      env = { DATABASE_URL: scratch.url, USER: 'ana' };
      expect((await runCli(['migrate'], { env })).code).toBe(0);
    }
  }, 60_000);
  afterAll(async () => {
    await drop();
    await rm(dir, { recursive: true, force: true });
  });

  const report = async (input: string, flags: string[] = []) => json<ReportDoc>(await runCli(['report', '--json', ...flags], { env, input }));
  const repeatVictims = async () => json<RepeatsDoc>(await runCli(['repeats', '--json'], { env })).victims.map((v) => v.name);

  let incident = '';
  let joined = '';

  it('GIVEN a report joined automatically WHEN split THEN two incidents and a repeat; WHEN merged THEN one event, no repeat', async () => {
    const first = await report(event('Cli Round Trip Clinic'));
    const second = await report(event('Cli Round Trip Clinic', { summary: 'A follow-up article on the billing portal breach.' }));
    [incident, joined] = [first.incident.reference, second.joined!.report];
    expect(second.incident.reference).toBe(incident);

    const split = json<SplitDoc>(await runCli(['split', incident, joined, '--json'], { env }));
    expect(split).toMatchObject({ incident: { reference: incident, reports: [] }, report: { reference: joined }, victim: { name: 'Cli Round Trip Clinic' } });
    expect(await repeatVictims()).toContain('Cli Round Trip Clinic');

    const merged = await runCli(['merge', incident, joined.toLowerCase()], { env });
    expect(merged.code).toBe(0);
    expect(merged.stdout).toBe(`${joined} is now a report of ${incident} (Cli Round Trip Clinic); 2 reports.\nUndo: breachdesk split ${incident} ${joined}\n`);
    expect(await repeatVictims()).not.toContain('Cli Round Trip Clinic');
  });

  it('GIVEN a merge or split the ledger refuses THEN a sentence and exit 1; a malformed command line exits 2; the audit log holds each change', async () => {

    const again = await runCli(['merge', incident, joined, '--json'], { env });
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stderr)).toEqual({ error: { code: 'already_merged', message: `${joined} is already a report of ${incident}.` } });
    const unknown = await runCli(['split', incident, 'INC-2099-0999'], { env });
    expect([unknown.code, unknown.stderr]).toEqual([1, `breachdesk: INC-2099-0999 is not a report of ${incident} (its reports: ${joined}).\n`]);
    expect((await runCli(['merge', incident], { env })).code).toBe(2);
    expect((await runCli(['split', incident, 'odessa'], { env })).stderr).toMatch(/"odessa" is not an incident reference/);

    const audit = json<{ entries: { action: string; subject: string; who: { platform: string; name: string } }[] }>(await runCli(['audit', '--json'], { env }));
    expect(audit.entries.filter((e) => e.subject === incident && e.action !== 'incident.report').map((e) => [e.action, e.who.platform])).toEqual([
      ['incident.merge', 'cli'], ['incident.split', 'cli'], ['incident.merge', 'cli'],
    ]);
  });

  it('GIVEN --same-as with an unknown or malformed reference THEN a usage error (exit 2) and nothing stored; GIVEN a known one THEN the report joins it', async () => {
    const first = await report(event('Cli Same As Utility', { newIncident: true }));
    const unlike = event('Cli Same As Utility', { startDate: '2024-09', endDate: undefined, recordsAffected: 12, sources: ['https://other.example.org/story'], summary: 'Payroll files encrypted.' });
    const auditBefore = (await runCli(['audit', '--json'], { env })).stdout;

    const unknown = await runCli(['report', '--same-as', 'INC-2099-0999'], { env, input: unlike });
    expect([unknown.code, unknown.stderr]).toEqual([2, 'breachdesk: --same-as INC-2099-0999: there is no such incident.\n']);
    const malformed = await runCli(['report', '--json', '--same-as', 'odessa'], { env, input: unlike });
    expect(malformed.code).toBe(2);
    expect((JSON.parse(malformed.stderr) as { error: { message: string } }).error.message).toMatch(/--same-as: "odessa" is not an incident reference/);
    expect((await runCli(['report', '--same-as', first.incident.reference, '--new-incident'], { env, input: unlike })).code).toBe(2);
    // Every report is audited: an unchanged log is nothing stored.
    expect((await runCli(['audit', '--json'], { env })).stdout).toBe(auditBefore);

    const said = await report(unlike, ['--same-as', first.incident.reference.toLowerCase()]);
    expect(said.incident.reference).toBe(first.incident.reference);
    expect(said.joined).toMatchObject({ reason: 'the reporter said it is the same incident' });
    expect(said.incident.reports.map((r) => r.reference)).toEqual([said.joined!.report]);
  });

  it('GIVEN --new-incident THEN a report that looks the same is stored as a second incident, and counts as a repeat', async () => {
    const first = await report(event('Cli New Incident Bank'));
    const twin = await report(event('Cli New Incident Bank'), ['--new-incident']);
    expect(twin.joined).toBeNull();
    expect(twin.incident.reference).not.toBe(first.incident.reference);
    expect(await repeatVictims()).toContain('Cli New Incident Bank');
    // Without the flag the same report joins the first incident (under a key of its
    // own: without one, the very same submission run again is recorded only once).
    expect((await report(event('Cli New Incident Bank'), ['--key', 'another-article'])).joined).not.toBeNull();
  });

  it('GIVEN two VERIS records of one event THEN import says which joined an incident; with --new-incident none does', async () => {
    const files = path.join(dir, 'veris');
    await mkdir(files, { recursive: true });
    await writeFile(path.join(files, 'S-DUP1.json'), veris('S-DUP1', { year: 2017, month: 3 }));
    await writeFile(path.join(files, 'S-DUP2.json'), veris('S-DUP2', { year: 2017, month: 3, day: 14 }));

    const text = await runCli(['import', 'veris', files], { env });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^1 record joined an incident the ledger held, as further report of the same event \(not counted as repeat breaches; undo with breachdesk split\):\n {2}S-DUP2\.json: INC-2017-\d{4} joined INC-2017-\d{4} \(.+\)$/m);

    const apart = path.join(dir, 'veris-apart');
    await mkdir(apart, { recursive: true });
    await writeFile(path.join(apart, 'S-DUP3.json'), veris('S-DUP3', { year: 2017, month: 3, day: 20 }));
    const separate = json<ImportDoc>(await runCli(['import', 'veris', apart, '--new-incident', '--json'], { env }));
    expect(separate).toMatchObject({ imported: 1, joined: [] });
    expect(await repeatVictims()).toContain('Double Entry Hospital');
    expect((await runCli(['import', 'csv', path.join(apart, 'S-DUP3.json'), '--new-incident'], { env })).code).toBe(2);
  });

  it('GIVEN help THEN the usage names merge, split, --same-as and --new-incident', async () => {
    const help = (await runCli(['help'], { env })).stdout;
    for (const line of ['breachdesk merge <keep> <other> [--json]', 'breachdesk split <incident> <report> [--json]', '--same-as INC-…', 'import veris <dir-or-files…> [--alerts] [--tlp LEVEL] [--new-incident]']) {
      expect(help).toContain(line);
    }
  });
}, 240_000);
