import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.js';

describe('breachdesk timeline <victim> on embedded PGlite', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-timeline-'));
    env = { DATABASE_URL: `pglite:${path.join(dir, 'db')}` };
    expect((await runCli(['seed-demo'], { env })).code).toBe(0);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('GIVEN odessa THEN the victim, its verdict and the line; with --png THEN an 800×200 picture in FILE', async () => {
    const file = path.join(dir, 'odessa.png');
    const run = await runCli(['timeline', 'odessa', '--png', file], { env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      'City of Odessa · 2 incidents',
      'Repeat victim — 2 incidents within 365 days (INC-2019-0001 → INC-2020-0001, 7 months apart), both through Click2Gov',
      '2019 ▮━━━━━━━ 2020 ▯',
      `Wrote the picture to ${file}.`,
      '',
    ]);
    const png = PNG.sync.read(await readFile(file));
    expect([png.width, png.height]).toEqual([800, 200]);
  });

  it('GIVEN --json THEN the line, the alt text and the incidents for programs', async () => {
    const run = await runCli(['timeline', 'City of Odessa', '--json'], { env });
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { victim: { name: string }; text: string; alt: string; incidents: { reference: string }[]; repeats: { references: string[]; shared: string }[]; png: null };
    expect(doc.victim.name).toBe('City of Odessa');
    expect(doc.incidents.map((i) => i.reference)).toEqual(['INC-2019-0001', 'INC-2020-0001']);
    expect(doc.repeats).toMatchObject([{ references: ['INC-2019-0001', 'INC-2020-0001'], shared: 'Click2Gov' }]);
    expect(doc.alt).toMatch(/^Timeline of City of Odessa: 2 incidents from 2019 to 2020/);
    expect(doc.png).toBeNull();
  });

  it.each([
    [['timeline', 'Nowhere-on-Sea'], 1, 'breachdesk: victim: no victim called "Nowhere-on-Sea" is in the ledger.\n'],
    [['timeline'], 2, 'breachdesk: timeline needs a victim, e.g. `breachdesk timeline odessa`.\n'],
    [['timeline', 'odessa', '--theme', 'sepia'], 2, 'breachdesk: --theme "sepia" is not light or dark.\n'],
  ])('GIVEN %j THEN one clear line and exit %i', async (args, code, line) => {
    const run = await runCli(args, { env });
    expect(run.code).toBe(code);
    expect(run.stderr).toBe(line);
    expect(run.stdout).toBe('');
  });
});
