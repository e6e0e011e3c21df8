import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { scratchPostgresDatabase } from '../support/databases.js';
import type { Backend } from '../support/databases.js';
import { runCli } from '../support/run-cli.js';
import type { CliRun } from '../support/run-cli.js';

/** A migrated, empty ledger for the real `breachdesk` process: DATABASE_URL to pass it, and how to throw it away. */
export async function cliLedger(backend: Backend): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  if (backend === 'pglite') {
    const dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-hostile-'));
    const env = { DATABASE_URL: `pglite:${path.join(dir, 'db')}` };
    expect((await runCli(['migrate'], { env })).code).toBe(0);
    return { env, drop: () => rm(dir, { recursive: true, force: true }) };
  }
  const scratch = await scratchPostgresDatabase();
  const env = { DATABASE_URL: scratch.url };
  expect((await runCli(['migrate'], { env })).code).toBe(0);
  return { env, drop: scratch.drop };
}

/** The JSON a successful `--json` run printed. */
export function jsonOf<T>(run: CliRun): T {
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as T;
}
