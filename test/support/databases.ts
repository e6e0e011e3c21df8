import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import { createPglite, openDatabase } from '../../src/db/database.js';
import type { LedgerDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { scratchPostgresDatabase } from './scratch-database.js';

export { scratchPostgresDatabase };

export type Backend = 'pglite' | 'postgres';

/** PGlite always; the real PostgreSQL server too when TEST_DATABASE_URL is set. */
export const backends: Backend[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** A fresh, migrated, empty ledger database on the given backend; close() throws it away. */
export async function freshDatabase(backend: Backend): Promise<LedgerDatabase> {
  if (backend === 'pglite') {
    const template = new Blob([await readFile(inject('pgliteTemplate'))]);
    const pglite = await createPglite(null, template);
    const database = await openDatabase({ kind: 'pglite', dir: null }, { pglite });
    return { ...database, close: async () => { await database.close(); await pglite.close(); } };
  }
  const { url, drop } = await scratchPostgresDatabase();
  const database = await openDatabase({ kind: 'postgres', url });
  await migrateToLatest(database.db);
  return { ...database, close: async () => { await database.close(); await drop(); } };
}
