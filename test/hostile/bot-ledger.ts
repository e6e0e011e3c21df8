import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { seedDemo } from '../../src/incidents/demo-seed.js';
import { freshDatabase, scratchPostgresDatabase } from '../support/databases.js';

const TABLES = ['incidents', 'victims', 'victim_aliases', 'incident_sources', 'threat_actors', 'incident_threat_actors', 'watches'] as const;
export type LedgerCounts = Record<(typeof TABLES)[number], number>;

/**
 * The database a running bot process uses, holding the demo ledger, and its row
 * counts, so a test can say "the ledger is unchanged". On PostgreSQL (TEST_DATABASE_URL) the counts are read
 * while the bot runs; embedded PGlite has one user, so its counts are read once the
 * bot has exited, and compared with a ledger seeded as the bot seeds its first start.
 */
export async function botLedger() {
  if (process.env.TEST_DATABASE_URL) {
    const { url, drop } = await scratchPostgresDatabase();
    // The demo ledger, as the bot loads it on its first embedded start.
    const seeded = await openDatabase({ kind: 'postgres', url });
    await migrateToLatest(seeded.db);
    await seedDemo(seeded.db, { windowDays: 365 });
    await seeded.close();
    const count = async () => {
      const database = await openDatabase({ kind: 'postgres', url });
      try {
        return await countRows(database.db);
      } finally {
        await database.close();
      }
    };
    return { env: { DATABASE_URL: url }, before: count, after: count, close: drop };
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-hostile-'));
  return {
    env: { DATABASE_URL: `pglite:${path.join(dir, 'db')}` },
    async before() {
      const seeded = await freshDatabase('pglite');
      try {
        await seedDemo(seeded.db, { windowDays: 365 });
        return await countRows(seeded.db);
      } finally {
        await seeded.close();
      }
    },
    /** Only once the bot has exited. */
    async after() {
      const database = await openDatabase({ kind: 'pglite', dir: path.join(dir, 'db') });
      try {
        return await countRows(database.db);
      } finally {
        await database.close();
      }
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

async function countRows(db: Awaited<ReturnType<typeof freshDatabase>>['db']): Promise<LedgerCounts> {
  const counts = {} as LedgerCounts;
  for (const table of TABLES) {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}
