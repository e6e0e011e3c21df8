import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Which channels hear of repeat breaches, and which victims a channel watches.
// `workspace` is '' where the platform has none (the shell), so that the unique
// keys hold without NULL semantics.

const CHANNEL = `
  platform text not null check (platform in ('slack', 'discord', 'shell')),
  workspace text not null default '' check (length(workspace) <= 100),
  channel_id text not null check (length(channel_id) between 1 and 100),
  created_by text not null check (length(created_by) between 1 and 200),
  created_at timestamptz not null default now()`;

export async function up(db: Kysely<any>): Promise<void> {
  const run = (statement: string) => sql.raw(statement).execute(db);
  await run(`
    create table alert_subscriptions (
      id integer generated always as identity primary key,
      ${CHANNEL},
      unique (platform, workspace, channel_id)
    )`);
  await run(`
    create table watches (
      id integer generated always as identity primary key,
      ${CHANNEL},
      victim_id integer not null references victims (id) on delete cascade,
      unique (platform, workspace, channel_id, victim_id)
    )`);
  await run(`create index watches_victim on watches (victim_id)`);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('watches').execute();
  await db.schema.dropTable('alert_subscriptions').execute();
}
