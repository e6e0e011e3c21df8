import type { Config } from './config.js';
import { databaseLocation, openDatabase } from './db/database.js';
import type { LedgerDatabase } from './db/database.js';
import { migrateToLatest, pendingMigrations } from './db/migrate.js';
import { UserError } from './errors.js';
import { createLedger } from './ledger.js';
import type { Ledger } from './ledger.js';

export interface OpenedLedger {
  ledger: Ledger;
  database: LedgerDatabase;
  /** Migrations applied while opening. */
  applied: string[];
  close(): Promise<void>;
}

/**
 * Opens the database `DATABASE_URL` names and the ledger on it. An embedded
 * database is always brought up to date; a PostgreSQL server only when `migrate`
 * is set (the bot's start and `breachdesk migrate`), so that a stray command never
 * changes a shared schema.
 */
export async function openLedger(config: Config, options: { migrate: boolean }): Promise<OpenedLedger> {
  const database = await openDatabase(databaseLocation(config.DATABASE_URL, config.DATABASE_PREPARED_STATEMENTS));
  try {
    let applied: string[] = [];
    if (options.migrate || database.location.kind === 'pglite') {
      applied = (await migrateToLatest(database.db)).applied;
    } else {
      const pending = await pendingMigrations(database.db);
      if (pending.length > 0) {
        throw new UserError(`${database.description} is behind by ${pending.length} migration(s); run \`breachdesk migrate\` first.`, 'schema_behind');
      }
    }
    const ledger = createLedger(database.db, {
      windowDays: config.REPEAT_WINDOW_DAYS, digestHourUtc: config.ALERT_DIGEST_HOUR_UTC,
      tlpDefault: config.TLP_DEFAULT, clearanceDefault: config.CHANNEL_CLEARANCE_DEFAULT,
    });
    return { ledger, database, applied, close: () => database.close() };
  } catch (error) {
    await database.close();
    throw error;
  }
}
