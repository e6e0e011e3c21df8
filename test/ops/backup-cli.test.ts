import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPglite, openDatabase } from '../../src/db/database.js';
import type { LedgerDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { readAudit } from '../../src/trust/audit.js';
import { FakeSlack } from '../fakes/fake-slack.js';
import { ALERT_CHANNEL, buildLedger, resealed, tableContents } from '../support/backup-ledger.js';
import { scratchPostgresDatabase } from '../support/databases.js';
import { freePort } from '../support/net.js';
import { runCli, startBot } from '../support/run-cli.js';
import type { CliRun } from '../support/run-cli.js';
import { SIGNING_SECRET, eventually } from '../support/slack-requests.js';

// backup, restore and move through the real binary, as an operator runs them.

const SLOW = { timeout: 240_000 };

async function openPglite(dir: string): Promise<LedgerDatabase> {
  const pglite = await createPglite(dir);
  const database = await openDatabase({ kind: 'pglite', dir }, { pglite });
  return { ...database, close: async () => { await database.close(); await pglite.close(); } };
}

/** One line on standard error, nothing on standard output, no stack trace. */
function refused(run: CliRun, code: number, message: RegExp): void {
  expect(run.stdout).toBe('');
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.code).toBe(code);
}

describe('breachdesk backup and restore on the command line', () => {
  let dir: string;
  let ledgerDir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-backup-cli-'));
    ledgerDir = path.join(dir, 'pglite');
    const source = await openPglite(ledgerDir);
    await migrateToLatest(source.db);
    await buildLedger(source);
    await source.close();
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('GIVEN an embedded ledger THEN backup says where it wrote and how many rows of each kind; restore puts it in a new folder, and refuses it a second time', SLOW, async () => {
    const file = path.join(dir, 'nightly.jsonl.gz');
    const backup = await runCli(['backup', file], { env: { DATABASE_URL: `pglite:${ledgerDir}` } });
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(new RegExp(`^Backed up embedded PGlite in ${ledgerDir} \\(schema 20[\\d-]+[a-z-]+\\) to ${file}: \\d+ rows\\.\\n`));
    expect(backup.stdout).toMatch(/\n {2}incidents +\d+\n/);
    expect(backup.stdout).toMatch(/\n {2}audit_log +\d+\n/);
    expect((await readdir(dir)).filter((f) => f.endsWith('.partial'))).toEqual([]);

    const env = { DATABASE_URL: `pglite:${path.join(dir, 'restored')}` };
    const restored = await runCli(['restore', file], { env });
    expect(restored.stderr).toBe('');
    expect(restored.stdout).toMatch(/^Restored .* into embedded PGlite in .*restored: \d+ rows, every table checked against the backup's checksums\./);
    expect(restored.stdout).toMatch(/1 alert\(s\) pending at the backup will be checked with the platform/);
    refused(await runCli(['restore', file], { env }), 1, /^breachdesk: embedded PGlite in .* is not empty \(.*\); restore into an empty database, or give --replace/);
    expect((await runCli(['restore', file, '--replace'], { env })).code).toBe(0);
    const search = JSON.parse((await runCli(['search', 'Tillamook', '--json'], { env })).stdout) as { victims: { incidents: { reports: unknown[] }[] }[] };
    expect(search.victims[0]!.incidents[0]!.reports).toHaveLength(1);
  });

  it('GIVEN a file that is not a backup, one cut short, a missing file or a folder without a ledger THEN one line, a non-zero exit, and no new ledger folder', SLOW, async () => {
    const target = path.join(dir, 'never');
    const env = { DATABASE_URL: `pglite:${target}` };
    const notes = path.join(dir, 'notes.txt');
    await writeFile(notes, 'not a backup\n');
    refused(await runCli(['restore', notes], { env }), 1, /^breachdesk: .*notes\.txt is not a breachdesk backup/);
    refused(await runCli(['restore', notes, '--json'], { env }), 1, /"code":"not_a_backup"/);
    refused(await runCli(['restore', path.join(dir, 'missing.jsonl.gz')], { env }), 2, /^breachdesk: no such file or folder: /);
    refused(await runCli(['restore'], { env }), 2, /restore takes one FILE/);
    refused(await runCli(['backup', path.join(dir, 'b.jsonl.gz')], { env }), 1, /there is no embedded ledger in .*never to back up/);
    expect(existsSync(target)).toBe(false);

    // Checksums forged to match, rows that do not fit: found once the folder exists, which then goes again.
    const good = path.join(dir, 'good.jsonl.gz');
    expect((await runCli(['backup', good], { env: { DATABASE_URL: `pglite:${ledgerDir}` } })).code).toBe(0);
    const forged = path.join(dir, 'forged.jsonl.gz');
    await resealed(good, forged, (lines) => lines.filter((l) => !(Array.isArray(l) && l[0] === 'victims')));
    refused(await runCli(['restore', forged], { env }), 1, /^breachdesk: .*forged\.jsonl\.gz does not fit schema .*foreign key.*Nothing was restored\.\n$/);
    expect(existsSync(target)).toBe(false);
  });

  it('GIVEN the embedded ledger open in another process (a running bot) THEN backup, restore and move refuse it in one line rather than open it twice', SLOW, async () => {
    const env = { DATABASE_URL: `pglite:${ledgerDir}` };
    const file = path.join(dir, 'while-open.jsonl.gz');
    const running = await openPglite(ledgerDir);
    try {
      refused(await runCli(['backup', file], { env }), 1, /^breachdesk: the embedded ledger in .* is open in another process \(a running bot\?\), and PGlite serves one process at a time/);
      refused(await runCli(['move', '--to', 'postgres://nobody@127.0.0.1:1/none', '--json'], { env }), 1, /"code":"ledger_in_use"/);
    } finally {
      await running.close();
    }
    expect(existsSync(file)).toBe(false);
    expect((await runCli(['backup', file], { env })).code).toBe(0);
    const busy = await openPglite(path.join(dir, 'busy'));
    try {
      refused(await runCli(['restore', file], { env: { DATABASE_URL: `pglite:${path.join(dir, 'busy')}` } }), 1, /is open in another process/);
    } finally {
      await busy.close();
    }
  });

  it('GIVEN a PostgreSQL target that does not answer THEN move says so in one line, without its password', SLOW, async () => {
    const run = await runCli(['move', '--to', 'postgres://nobody:secret@127.0.0.1:1/none'], { env: { DATABASE_URL: `pglite:${ledgerDir}` } });
    refused(run, 1, /^breachdesk: cannot reach PostgreSQL at 127\.0\.0\.1:1\/none/);
    expect(run.stderr).not.toContain('secret');
    refused(await runCli(['move', '--to', 'mysql://x'], { env: { DATABASE_URL: `pglite:${ledgerDir}` } }), 2, /--to must be a PostgreSQL URL/);
    refused(await runCli(['move'], { env: { DATABASE_URL: `pglite:${ledgerDir}` } }), 2, /move needs --to postgres:/);
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('breachdesk move from an embedded ledger to PostgreSQL', () => {
  let dir: string;
  let ledgerDir: string;
  let fake: FakeSlack;
  const drops: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-move-'));
    ledgerDir = path.join(dir, 'pglite');
    const source = await openPglite(ledgerDir);
    await migrateToLatest(source.db);
    await buildLedger(source);
    await source.close();
    fake = await new FakeSlack().start();
  }, 120_000);
  afterAll(async () => {
    await fake.close();
    for (const drop of drops) await drop();
    await rm(dir, { recursive: true, force: true });
  });

  const scratch = async () => {
    const database = await scratchPostgresDatabase();
    drops.push(database.drop);
    return database.url;
  };
  const startSlackBot = async (databaseUrl: string) => startBot({
    DATABASE_URL: databaseUrl, PORT: String(await freePort()), LOG_LEVEL: 'info',
    SLACK_BOT_TOKEN: 'xoxb-move-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl,
  });

  it('GIVEN a move THEN every table there is identical, the audit log intact, the setting to change printed, and the pending alert goes out once though both sides run', SLOW, async () => {
    const url = await scratch();
    const before = await openPglite(ledgerDir);
    const audit = await readAudit(before.db);
    await before.close();

    const moved = await runCli(['move', '--to', url], { env: { DATABASE_URL: `pglite:${ledgerDir}` } });
    expect(moved.stderr).toBe('');
    expect(moved.code).toBe(0);
    expect(moved.stdout).toMatch(/^Moved the ledger from embedded PGlite in .* to PostgreSQL at 127\.0\.0\.1:5432\/breachdesk_t_\w+ \(schema [\w-]+\): \d+ rows; every table there matches/);
    expect(moved.stdout).toMatch(/\n {2}incident_revisions +2 {2}checksum matches\n/);
    expect(moved.stdout.trim().split('\n').at(-1)).toBe(`DATABASE_URL=${url}`);

    const source = await openPglite(ledgerDir);
    const target = await openDatabase({ kind: 'postgres', url });
    try {
      expect(await tableContents(target.db)).toEqual(await tableContents(source.db));
      expect(await readAudit(target.db)).toEqual(audit);
      expect(await readAudit(source.db)).toEqual(audit);
    } finally {
      await source.close();
      await target.close();
    }
    refused(await runCli(['move', '--to', url], { env: { DATABASE_URL: `pglite:${ledgerDir}` } }), 1, /is not empty .*move needs an empty database/);

    // The new side runs first and posts the alert; the old side, started by mistake afterwards, finds it and posts nothing.
    const onServer = await startSlackBot(url);
    try {
      await eventually(() => fake.messagesIn(ALERT_CHANNEL).length === 1, 'the pending alert to reach Slack from PostgreSQL', 30_000);
    } finally {
      onServer.child.kill('SIGTERM');
    }
    expect(await onServer.exited).toBe(0);
    const embedded = await startSlackBot(`pglite:${ledgerDir}`);
    try {
      await eventually(() => embedded.output().includes('alert was already posted before a restart'), 'the embedded side to find the post', 30_000);
    } finally {
      embedded.child.kill('SIGTERM');
    }
    expect(await embedded.exited).toBe(0);
    expect(fake.messagesIn(ALERT_CHANNEL)).toHaveLength(1);
  });

  it('GIVEN a move killed (SIGKILL) before it finished THEN the target is refused as an interrupted move, and a run that discards it completes', SLOW, async () => {
    const url = await scratch();
    const watcher = new pg.Client({ connectionString: url });
    await watcher.connect();
    const move = startBot({ DATABASE_URL: `pglite:${ledgerDir}`, LOG_LEVEL: 'warn' }, ['move', '--to', url]);
    let exitedEarly = false;
    void move.exited.then(() => (exitedEarly = true));
    try {
      // Hold the marker the move committed first: its last step, dropping the marker, must wait; it is killed there, with everything else copied.
      for (;;) {
        if (exitedEarly) throw new Error(`the move ended before it could be interrupted: ${move.output()}`);
        const { rows: [marker] } = await watcher.query<{ present: boolean }>(`select to_regclass('breachdesk_move_incomplete') is not null as present`);
        if (marker!.present) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      await watcher.query('begin');
      await watcher.query('lock table breachdesk_move_incomplete in access share mode');
      const waiting = async () => (await watcher.query(`select 1 from pg_locks l join pg_class c on c.oid = l.relation where c.relname = 'breachdesk_move_incomplete' and not l.granted`)).rows.length > 0;
      for (const deadline = Date.now() + 60_000; !(await waiting()) && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 20));
      expect(await waiting(), 'the move waits on the marker').toBe(true);
      move.child.kill('SIGKILL');
      await move.exited;
      await watcher.query('commit');
    } finally {
      await watcher.end();
    }

    const env = { DATABASE_URL: `pglite:${ledgerDir}` };
    // Killed outright, the move left the embedded ledger marked open; migrate opens and closes it properly.
    refused(await runCli(['move', '--to', url], { env }), 1, /is open in another process .*`breachdesk migrate` opens and closes/);
    expect((await runCli(['migrate'], { env })).code).toBe(0);
    const again = await runCli(['move', '--to', url], { env });
    refused(again, 1, /^breachdesk: PostgreSQL at .* holds an interrupted move: it is incomplete and must not be used\. Run the move again with --discard-incomplete/);
    refused(await runCli(['move', '--to', url, '--json'], { env }), 1, /"code":"move_incomplete"/);

    const completed = await runCli(['move', '--to', url, '--discard-incomplete'], { env });
    expect(completed.stderr).toBe('');
    expect(completed.code).toBe(0);
    const source = await openPglite(ledgerDir);
    const target = await openDatabase({ kind: 'postgres', url });
    try {
      expect(await tableContents(target.db)).toEqual(await tableContents(source.db));
    } finally {
      await source.close();
      await target.close();
    }
  });
});
