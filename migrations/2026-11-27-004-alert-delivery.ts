import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Alerts that are never lost and never sent twice: subscriptions with filters, a
// threshold and a cadence; watches on any kind of target; and the outbox, whose rows
// commit in the same transaction as the incident.

const KINDS = `('city', 'county', 'state', 'school-district', 'hospital', 'company', 'government', 'university', 'nonprofit', 'airport', 'other')`;

export async function up(db: Kysely<any>): Promise<void> {
  const run = (statement: string) => sql.raw(statement).execute(db);

  await run(`alter table alert_subscriptions add column country char(2) check (country ~ '^[A-Z]{2}$')`);
  await run(`alter table alert_subscriptions add column region text check (length(region) between 1 and 100)`);
  await run(`alter table alert_subscriptions add column sector text check (length(sector) between 1 and 100)`);
  await run(`alter table alert_subscriptions add column victim_kind text check (victim_kind in ${KINDS})`);
  await run(`alter table alert_subscriptions add column min_ordinal smallint not null default 2 check (min_ordinal between 2 and 100)`);
  await run(`alter table alert_subscriptions add column window_days integer check (window_days between 1 and 36500)`);
  await run(`alter table alert_subscriptions add column cadence text not null default 'immediate' check (cadence in ('immediate', 'daily'))`);
  await run(`alter table alert_subscriptions add column created_by_id text check (length(created_by_id) <= 100)`);
  await run(`alter table alert_subscriptions add column broken_reason text check (length(broken_reason) <= 500)`);
  await run(`alter table alert_subscriptions add column broken_at timestamptz`);

  await run(`alter table watches add column target_kind text not null default 'victim'
    check (target_kind in ('victim', 'vendor', 'sector', 'region', 'actor', 'technique'))`);
  await run(`alter table watches add column target_value text check (length(target_value) between 1 and 200)`);
  await run(`update watches set target_value = victim_id::text`);
  await run(`alter table watches alter column target_value set not null`);
  await run(`alter table watches alter column victim_id drop not null`);
  await run(`alter table watches add constraint watches_victim_target check ((target_kind = 'victim') = (victim_id is not null))`);
  await run(`alter table watches drop constraint watches_platform_workspace_channel_id_victim_id_key`);
  await run(`create unique index watches_target on watches (platform, workspace, channel_id, target_kind, target_value)`);
  await run(`alter table watches add column label text check (length(label) between 1 and 200)`);
  await run(`alter table watches add column created_by_id text check (length(created_by_id) <= 100)`);
  await run(`alter table watches add column broken_reason text check (length(broken_reason) <= 500)`);
  await run(`create index watches_kind_value on watches (target_kind, target_value)`);

  await run(`
    create table alert_deliveries (
      id bigint generated always as identity primary key,
      incident_id integer not null references incidents (id) on delete cascade,
      victim_id integer not null references victims (id) on delete cascade,
      platform text not null check (platform in ('slack', 'discord', 'shell')),
      workspace text not null default '',
      channel_id text not null check (length(channel_id) between 1 and 100),
      reason text not null check (reason in ('repeat', 'watch')),
      window_days integer not null check (window_days between 1 and 36500),
      digest boolean not null default false,
      status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed')),
      attempts smallint not null default 0 check (attempts >= 0),
      next_attempt_at timestamptz not null default now(),
      claimed_until timestamptz,
      nonce text not null check (length(nonce) between 8 and 25),
      platform_message_id text,
      thread_of text,
      last_error text check (length(last_error) <= 500),
      created_at timestamptz not null default now(),
      sent_at timestamptz,
      unique (incident_id, platform, workspace, channel_id)
    )`);
  await run(`create index alert_deliveries_due on alert_deliveries (next_attempt_at) where status in ('pending', 'sending')`);
  await run(`create index alert_deliveries_channel on alert_deliveries (platform, workspace, channel_id, victim_id)`);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('alert_deliveries').execute();
}
