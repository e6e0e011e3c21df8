import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A new, empty database on the server of `adminUrl` (TEST_DATABASE_URL by default), dropped by `drop()`. */
export async function scratchPostgresDatabase(adminUrl = process.env.TEST_DATABASE_URL, prefix = 'breachdesk_t'): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
