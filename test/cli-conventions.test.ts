import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS, commandHelp, programHelp } from '../src/cli-commands.js';
import type { CommandName } from '../src/cli-commands.js';
import { backends, scratchPostgresDatabase } from './support/databases.js';
import type { Backend } from './support/databases.js';
import { BIN, runCli } from './support/run-cli.js';
import type { CliRun } from './support/run-cli.js';

// What people expect of a command line, tried on the real binary: --help and
// --version, a mistyped path or option in one line (exit 2), a closed pipe that ends
// quietly, configuration errors as sentences, and a report run twice recorded once.

const SLOW = { timeout: 240_000 };

/** Runs the binary with its standard output closed by the reader before anything is written, as `| head -1` does. */
function runIntoClosedPipe(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env } });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: '', stderr });
    });
  });
}

describe('the help of every command', () => {
  it.each(Object.keys(COMMANDS) as CommandName[])('GIVEN %s THEN usage, every option, and an example of it', (name) => {
    const help = commandHelp(name);
    expect(help).toMatch(new RegExp(`^breachdesk ${name} — `));
    for (const usage of COMMANDS[name].usage) expect(help).toContain(`\n  ${usage}\n`);
    for (const option of Object.keys(COMMANDS[name].options)) expect(help).toMatch(new RegExp(`\n  --${option}\\b.* {2}\\S`));
    expect(help).toContain('-h, --help');
    expect(help).toMatch(new RegExp(`\nExamples?:\n {2}(\\S+=\\S+ )?breachdesk ${name}\\b`));
    expect(programHelp()).toContain(COMMANDS[name].usage[0]);
  });
});

describe('the breachdesk command line, as people expect it', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-conventions-'));
    env = { DATABASE_URL: `pglite:${path.join(dir, 'db')}` };
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('GIVEN --help on a command, help <command> and --version THEN each on standard output, exit 0, even with a bad setting', SLOW, async () => {
    const search = await runCli(['search', '--help'], { env: { ...env, REPEAT_WINDOW_DAYS: 'abc' } });
    expect(search).toEqual({ code: 0, stdout: `${commandHelp('search')}\n`, stderr: '' });
    expect(search.stdout).toContain('--limit N');
    const importHelp = await runCli(['help', 'import'], { env });
    expect(importHelp).toMatchObject({ code: 0, stdout: `${commandHelp('import')}\n` });
    const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await runCli(['--version'], { env })).toEqual({ code: 0, stdout: `breachdesk ${version}\n`, stderr: '' });
  });

  it('GIVEN a path that is not there or an unknown option THEN one line naming it, exit 2', SLOW, async () => {
    const typo = path.join(dir, 'typo');
    const cases: [string[], string][] = [
      [['import', 'veris', typo], `breachdesk: no such file or folder: ${typo}\n`],
      [['report', path.join(dir, 'missing.json')], `breachdesk: no such file: ${path.join(dir, 'missing.json')}\n`],
      [['import', 'csv', path.join(dir, 'nope.csv')], `breachdesk: no such file: ${path.join(dir, 'nope.csv')}\n`],
      [['search', '--frob', 'odessa'], 'breachdesk: search has no option --frob; `breachdesk search --help` lists its options.\n'],
    ];
    for (const [args, stderr] of cases) expect(await runCli(args, { env }), args.join(' ')).toEqual({ code: 2, stdout: '', stderr });
  });

  it('GIVEN REPEAT_WINDOW_DAYS=abc THEN one sentence naming the setting, exit 1', SLOW, async () => {
    const run = await runCli(['repeats'], { env: { ...env, REPEAT_WINDOW_DAYS: 'abc' } });
    expect(run).toEqual({ code: 1, stdout: '', stderr: 'breachdesk: REPEAT_WINDOW_DAYS must be a whole number of days from 1 to 36500, e.g. 365\n' });
  });

  it('GIVEN a bad --since, found by the STIX exporter (a UserError of code usage) THEN exit 2 as for any usage error', SLOW, async () => {
    const run = await runCli(['export', 'stix', '--since', 'last week'], { env });
    expect(run).toEqual({ code: 2, stdout: '', stderr: expect.stringMatching(/^breachdesk: --since "last week" is not a date like 2020, 2020-04 or 2020-04-15\.\n$/) as string });
  });

  it('GIVEN standard output closed by its reader THEN export csv and audit end quietly: no EPIPE, no trace, exit 0', SLOW, async () => {
    for (const args of [['export', 'csv'], ['audit']]) {
      expect(await runIntoClosedPipe(args, env), args.join(' ')).toEqual({ code: 0, stdout: '', stderr: '' });
    }
  });
});

describe.each(backends)('breachdesk report run twice on %s', (backend: Backend) => {
  let dir: string;
  let env: Record<string, string>;
  let drop = () => Promise.resolve();
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-twice-'));
    if (backend === 'pglite') {
      env = { DATABASE_URL: `pglite:${path.join(dir, 'db')}` };
    } else {
      const scratch = await scratchPostgresDatabase();
      env = { DATABASE_URL: scratch.url };
      drop = scratch.drop;
      expect((await runCli(['migrate'], { env })).code).toBe(0);
    }
  }, 120_000);
  afterAll(async () => {
    await drop();
    await rm(dir, { recursive: true, force: true });
  });

  interface ReportDoc { incident: { reference: string }; alreadyRecorded: boolean; repeat: { isRepeat: boolean } }
  const report = async (args: string[], input?: string): Promise<ReportDoc> => {
    const run = await runCli(['report', '--json', ...args], { env, input });
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as ReportDoc;
  };

  it('GIVEN the same JSON twice (keys reordered the second time) THEN one incident, and the second run says it was already recorded', SLOW, async () => {
    const file = path.join(dir, 'harbour.json');
    await writeFile(file, JSON.stringify({ victim: { name: 'Port of Tillamook Bay', isNew: true }, startDate: '2023-05', summary: 'Ransomware at the harbour office.' }));
    const first = await report([file]);
    expect(first).toMatchObject({ alreadyRecorded: false, repeat: { isRepeat: false } });
    const again = await report([], '{ "summary": "Ransomware at the harbour office.", "startDate": "2023-05", "victim": { "isNew": true, "name": "Port of Tillamook Bay" } }');
    expect(again).toMatchObject({ alreadyRecorded: true, incident: { reference: first.incident.reference }, repeat: { isRepeat: false } });
    const text = await runCli(['report', file], { env });
    expect(text.stdout).toMatch(new RegExp(`^Already recorded: this submission is ${first.incident.reference} for Port of Tillamook Bay\\. Nothing new was stored`));

    const found = JSON.parse((await runCli(['search', 'Port of Tillamook Bay', '--json'], { env })).stdout) as { victims: { incidents: unknown[] }[] };
    expect(found.victims[0]!.incidents).toHaveLength(1);
    const audit = JSON.parse((await runCli(['audit', '--json'], { env })).stdout) as { entries: { action: string }[] };
    expect(audit.entries.filter((e) => e.action === 'incident.report')).toHaveLength(1);
  });

  it('GIVEN --key THEN the key, not the content, makes the submission one', SLOW, async () => {
    const input = JSON.stringify({ victim: { name: 'Gresham Water Bureau', isNew: true }, startDate: '2022-01', summary: 'Phishing of the billing clerk.' });
    const keyed = await report(['--key', 'ticket-4711'], input);
    expect(keyed.alreadyRecorded).toBe(false);
    expect(await report(['--key', 'ticket-4711'], `${input}\n`)).toMatchObject({ alreadyRecorded: true, incident: { reference: keyed.incident.reference } });
    const blank = await runCli(['report', '--key', ' '], { env, input });
    expect(blank).toMatchObject({ code: 2, stderr: expect.stringMatching(/^breachdesk: --key must be/) as string });
  });
});
