import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import type { Logger } from '../../log.js';
import { takeBackup } from './take-backup.js';
import type { BackupSummary } from './take-backup.js';

export interface BackupSchedule {
  start(): void;
  stop(): Promise<void>;
  /** Takes one backup now: the file written and what it holds. */
  runNow(now?: Date): Promise<{ file: string; summary: BackupSummary }>;
}

const NAME = /^breachdesk-(\d{4}-\d{2}-\d{2})\.jsonl\.gz$/;

/**
 * Nightly backups by the bot itself (BACKUP_DIR): an embedded ledger is one process's
 * alone, so while the bot runs only the bot can take a consistent snapshot of it. One
 * file a day, `breachdesk-YYYY-MM-DD.jsonl.gz`, written beside and renamed when whole;
 * the newest `keep` are kept.
 */
export function createBackupSchedule(options: { pool: pg.Pool; source: { kind: string; description: string }; dir: string; hourUtc: number; keep: number; log: Logger }): BackupSchedule {
  const { dir, log } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | null = null;

  async function runNow(now = new Date()) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, `breachdesk-${now.toISOString().slice(0, 10)}.jsonl.gz`);
    const partial = `${file}.partial`;
    try {
      const summary = await takeBackup(options.pool, options.source, createWriteStream(partial, { mode: 0o600 }));
      await rename(partial, file);
      await prune();
      return { file, summary };
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  async function prune() {
    const files = (await readdir(dir)).filter((f) => NAME.test(f)).sort().reverse();
    for (const old of files.slice(options.keep)) await rm(path.join(dir, old), { force: true });
  }

  const schedule = () => {
    const next = new Date();
    next.setUTCHours(options.hourUtc, 0, 0, 0);
    if (next.getTime() <= Date.now()) next.setUTCDate(next.getUTCDate() + 1);
    timer = setTimeout(() => {
      running = runNow().then(
        ({ file }) => log.info(`backed up the ledger to ${file}`),
        (error: unknown) => log.error('the nightly backup failed', { error }),
      ).finally(() => {
        running = null;
        schedule();
      });
    }, next.getTime() - Date.now());
    timer.unref();
  };

  return {
    start: schedule,
    async stop() {
      clearTimeout(timer);
      await running;
    },
    runNow,
  };
}
