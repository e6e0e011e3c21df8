import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerDatabase } from '../../src/db/database.js';
import { seedDemo } from '../../src/incidents/demo-seed.js';
import { createLogger } from '../../src/log.js';
import { createBackupSchedule } from '../../src/ops/backup/backup-schedule.js';
import { backends, freshDatabase } from '../support/databases.js';

describe.each(backends)('nightly backups by the bot (BACKUP_DIR) on %s', (backend) => {
  let database: LedgerDatabase;
  let dir: string;
  beforeAll(async () => {
    database = await freshDatabase(backend);
    await seedDemo(database.db, { windowDays: 365 });
    dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-backups-'));
  });
  afterAll(async () => {
    await database.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('GIVEN a running ledger THEN one whole backup a day is written, and only the newest are kept', async () => {
    const schedule = createBackupSchedule({ pool: database.pool, source: { kind: backend, description: backend }, dir: path.join(dir, 'nightly'), hourUtc: 3, keep: 2, log: createLogger('error') });
    const first = await schedule.runNow(new Date('2026-11-27T03:00:00Z'));
    expect(first.summary.rows.incidents).toBeGreaterThan(0);
    await schedule.runNow(new Date('2026-11-28T03:00:00Z'));
    const last = await schedule.runNow(new Date('2026-11-29T03:00:00Z'));
    expect((await readdir(path.join(dir, 'nightly'))).sort()).toEqual(['breachdesk-2026-11-28.jsonl.gz', 'breachdesk-2026-11-29.jsonl.gz']);
    const header = JSON.parse(gunzipSync(await readFile(last.file)).toString('utf8').split('\n')[0]!) as { format: string };
    expect(header.format).toBe('breachdesk-backup');
    await schedule.stop();
  });
});
