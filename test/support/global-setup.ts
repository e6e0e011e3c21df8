import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createPglite, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A dump of a migrated PGlite database: each test file loads its own copy. */
    pgliteTemplate: string;
  }
}

/**
 * Migrates one PGlite database once (initdb takes seconds) and dumps it for the test
 * files; checks that TEST_DATABASE_URL, when set, answers — a missing server fails
 * the run, it never skips.
 */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-test-'));
  const pglite = await createPglite(null);
  const database = await openDatabase({ kind: 'pglite', dir: null }, { pglite });
  await migrateToLatest(database.db);
  await database.close();
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  const file = path.join(dir, 'template.tar');
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);

  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    try {
      await client.connect();
    } catch (error) {
      throw new Error(`TEST_DATABASE_URL is set but the server does not answer: ${(error as Error).message}`);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
