import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, scratchPostgresDatabase } from './support/databases.js';
import { runCli } from './support/run-cli.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe.each(backends)('breachdesk import hhs|hibp|ransomware and feeds, on %s', (backend) => {
  let dir: string;
  let env: Record<string, string>;
  let drop = async () => {};
  let hibp = '';
  const server = createServer((req, res) => {
    void readFile(fixture('feeds/hibp-breaches.json'), 'utf8').then((body) => {
      if (req.headers['if-none-match'] === '"one"') return res.writeHead(304).end();
      res.writeHead(200, { 'content-type': 'application/json', etag: '"one"' }).end(body);
    });
  });
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-cli-feeds-'));
    if (backend === 'pglite') {
      env = { DATABASE_URL: `pglite:${path.join(dir, 'db')}`, USER: 'ana' };
    } else {
      const scratch = await scratchPostgresDatabase();
      drop = scratch.drop;
      env = { DATABASE_URL: scratch.url, USER: 'ana' };
      expect((await runCli(['migrate'], { env })).code).toBe(0);
    }
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    hibp = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v3/breaches`;
  }, 60_000);
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('GIVEN each register\'s file THEN it is imported, with a summary; a file of another format is refused in one line, nothing imported', async () => {
    const hhs = await runCli(['import', 'hhs', fixture('hhs/breach-dates.csv')], { env });
    expect(hhs).toMatchObject({ code: 0, stderr: '' });
    expect(hhs.stdout).toMatch(/^Imported 6, updated 0, skipped 0 \(unchanged\), invalid 0/);
    const ransomware = JSON.parse((await runCli(['import', 'ransomware', fixture('feeds/ransomware-victims.json'), '--json'], { env })).stdout) as { imported: number; invalid: { file: string; reason: string }[] };
    expect(ransomware).toMatchObject({ imported: 2, invalid: [{ file: 'ransomware[2]', reason: 'no victim (victim or post_title)' }] });
    const wrong = path.join(dir, 'not-hhs.csv');
    await writeFile(wrong, 'name,date\nOdessa,2020-04-01\n');
    const refused = await runCli(['import', 'hhs', wrong], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('breachdesk: not an HHS breach portal file: missing columns name of covered entity, state, individuals affected, breach submission date, type of breach, location of breached information\n');
    expect((await runCli(['import', 'hibp', fixture('hhs/portal.csv')], { env })).stderr).toMatch(/^breachdesk: hibp: not JSON/);
  });

  it('GIVEN a feed THEN add (a loopback address only with FEEDS_ALLOW_PRIVATE), list, run (backfill, then unchanged), remove', async () => {
    const refused = await runCli(['feeds', 'add', 'hibp', hibp], { env });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/url: 127\.0\.0\.1:\d+ is a private or loopback address; feeds fetch only from the public internet unless FEEDS_ALLOW_PRIVATE is set/);
    const allowed = { ...env, FEEDS_ALLOW_PRIVATE: 'true' };
    const added = await runCli(['feeds', 'add', 'hibp', hibp, '--every', '12h'], { env: allowed });
    expect(added.stdout).toMatch(/^Added #(\d+) hibp http:\/\/127\.0\.0\.1:\d+\/api\/v3\/breaches — every 12 h; 0 records imported; not run yet/);
    const id = /^Added #(\d+)/.exec(added.stdout)![1]!;
    expect((await runCli(['feeds', 'run', id], { env: allowed })).stdout).toBe(`#${id} hibp: backfilled (no alerts) 3 new, 0 updated, 0 unchanged, 1 invalid\n`);
    expect((await runCli(['feeds', 'run', id], { env: allowed })).stdout).toBe(`#${id} hibp: unchanged since the last run\n`);
    expect((await runCli(['feeds', 'run'], { env: allowed })).stdout).toBe('No feed is due.\n');
    const listed = JSON.parse((await runCli(['feeds', 'list', '--json'], { env })).stdout) as { feeds: { id: number; recordsImported: number; everySeconds: number; addedBy: string }[] };
    expect(listed.feeds).toMatchObject([{ id: Number(id), recordsImported: 3, everySeconds: 43_200, addedBy: 'ana' }]);
    expect((await runCli(['feeds', 'remove', id], { env })).stdout).toContain(`Removed feed #${id}`);
    expect((await runCli(['feeds', 'list'], { env })).stdout).toMatch(/^No feeds yet/);
    expect((await runCli(['feeds', 'fetch'], { env })).code).toBe(2);
  }, 150_000); // nine breachdesk processes, each opening the embedded database: slow on a busy machine
});
