import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.js';

/** Lines a person would type at the report form for a new Odessa incident in 2020. */
const odessaReport = [
  '/incident report Odessa, TX',
  '', '', '', '',                          // victim, country, region, city: keep the prefilled City of Odessa
  'April',                                 // started: not a date — re-asked
  '2020-09',                               // started
  '', '', '',                              // ended, discovered, disclosed
  '',                                      // title
  'Card data skimmed from the Click2Gov portal again.',
  '',                                      // description
  'Click2Gov',
  '1',                                     // impact: confidentiality
  'financial',                             // motives
  'T1190',                                 // techniques
  '', '',                                  // threat actors, records
  'https://example.org/odessa-again',
  '',                                      // TLP marking: keep the default (GREEN)
  'y',
];

describe('the terminal shell, driven as a person would through piped standard input', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-shell-'));
    env = { DATABASE_URL: `pglite:${path.join(dir, 'db')}` };
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('GIVEN a fresh database WHEN /incident odessa is typed THEN it says which database, loads the demo, and shows Odessa with both Click2Gov incidents', async () => {
    const run = await runCli(['start'], { env, input: '/incident odessa\n' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`ledger in embedded PGlite in ${path.join(dir, 'db')}`);
    expect(run.stdout).toMatch(/First start: loaded \d+ demo incidents/);
    expect(run.stdout).toMatch(/No Slack or Discord credentials are set/);
    expect(run.stdout).toContain('City of Odessa · city · Odessa, TX, US · 2 incidents\n  Repeat victim — 2 incidents within 365 days (INC-2019-0001 → INC-2020-0001, 7 months apart), both through Click2Gov\n');
    expect(run.stdout).toMatch(/INC-2020-0001 {2}2020-04 – 2020-06 .*Click2Gov[\s\S]*INC-2019-0001 {2}2019-08-27 – 2019-10-14/);
    expect(run.stdout).not.toContain('\u001b[');
    expect(run.stderr).toBe('');
  });

  it('GIVEN /incident report with a new Odessa incident in 2020 THEN a bad field is re-asked and the repeat-breach alert names the earlier Click2Gov incident', async () => {
    const run = await runCli(['start'], { env, input: `${odessaReport.join('\n')}\n` });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/First start/);
    expect(run.stdout).toMatch(/Start date "April" is not a date like 2020, 2020-04 or 2020-04-15/);
    expect(run.stdout).toMatch(/Motives\n {2}1\) Financial/);
    expect(run.stdout).toMatch(/About to record:[\s\S]*Victim: City of Odessa[\s\S]*Started: 2020-09/);
    // The terminal was subscribed on first start, so the alert prints inline as it would post.
    expect(run.stdout).toMatch(/🔔 alert in this terminal\nRepeat breach: City of Odessa — 2nd incident within 365 days/);
    expect(run.stdout).toMatch(/INC-2020-0001 · 2020-04 – 2020-06 · .*\(started \d+ days earlier\)/);
    expect(run.stdout).toMatch(/Click2Gov — also in INC-2020-0001/);
    expect(run.stdout).toMatch(/Recorded INC-2020-\d{4}/);
  });

  it('GIVEN a near-match victim THEN the shell asks "did you mean" and records the choice', async () => {
    const lines = [...odessaReport];
    lines[0] = '/incident report';
    lines[1] = 'Odessa';
    lines.splice(5, 1); // no bad date this time
    // 1: the City of Odessa; 2: a different incident from the one the test before recorded in the same words.
    const run = await runCli(['start'], { env, input: `${lines.join('\n')}\n1\n2\n` });
    expect(run.stdout).toMatch(/Did you mean City of Odessa \(Odessa, TX, US\)/);
    expect(run.stdout).toMatch(/Is this INC-2020-\d{4} \(City of Odessa/);
    expect(run.stdout).toMatch(/Recorded INC-2020-\d{4}/);
  });

  it('GIVEN input that ends in the middle of the form THEN nothing is recorded and the shell exits cleanly', async () => {
    const run = await runCli(['start'], { env, input: '/incident report\nCity of Nowhere\n' });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Not recorded/);
    const search = await runCli(['search', 'City of Nowhere', '--json'], { env });
    expect(JSON.parse(search.stdout)).toMatchObject({ victims: [] });
  });

  it('GIVEN help, a button number, an unknown slash command and exit THEN each is answered and later lines are not read', async () => {
    const run = await runCli(['start'], { env, input: '/incident help\n/incident odessa\n1\n.cancel\n/foo\nexit\n/incident odessa\n' });
    expect(run.stdout).toContain('/incident report [victim]');
    // Button 1 of the first victim: "Report another incident for this victim", prefilled.
    expect(run.stdout).toMatch(/Report an incident — one field at a time[\s\S]*Victim \(required\)/);
    expect(run.stdout).toMatch(/Not recorded/);
    expect(run.stdout.match(/Results for “odessa”/g)).toHaveLength(1);
    expect(run.stdout).toMatch(/Unknown command \/foo; type \/incident help\./);
  });

  it('GIVEN `npm start --silent` with piped input THEN the README command works', async () => {
    const run = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn('npm', ['start', '--silent'], { cwd: path.resolve(import.meta.dirname, '..'), env: { ...process.env, ...env, LOG_LEVEL: 'warn' } });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout }));
      child.stdin.end('/incident odessa\n');
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/City of Odessa · city · Odessa, TX, US/);
  });
});
