import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Written against Kysely<any> with plain SQL so it never depends on today's types.
// One statement per call: PGlite refuses several in one prepared statement.
// Every statement must run on PostgreSQL 15 as well as on PGlite (PostgreSQL 18).

const MOTIVES = ['financial', 'espionage', 'ideology', 'grudge', 'fun', 'convenience', 'fear', 'other', 'unknown'];
const PRECISION = `in ('day', 'month', 'year')`;

export async function up(db: Kysely<any>): Promise<void> {
  const run = (statement: string) => sql.raw(statement).execute(db);

  await run(`create extension if not exists pg_trgm`);

  // The last day a partial date covers: '2020-04-01' at month precision → 2020-04-30.
  await run(`
    create function period_end(d date, unit text) returns date
    language sql immutable parallel safe
    return case unit
      when 'year' then (d + interval '1 year')::date - 1
      when 'month' then (d + interval '1 month')::date - 1
      else d
    end`);

  await run(`
    create table victims (
      id integer generated always as identity primary key,
      name text not null check (length(btrim(name)) between 1 and 200),
      normalized_name text not null check (normalized_name <> ''),
      core_name text not null check (core_name <> ''),
      kind text check (kind in ('city', 'county', 'state', 'school-district', 'hospital', 'company',
                                'government', 'university', 'nonprofit', 'airport', 'other')),
      sector text check (length(sector) <= 100),
      country char(2) check (country ~ '^[A-Z]{2}$'),
      region text check (length(region) between 1 and 100),
      city text check (length(city) between 1 and 100),
      created_at timestamptz not null default now()
    )`);
  // One victim per name and place: "Odessa city, US, TX" once; "Odesa, UA" is another.
  await run(`create unique index victims_identity on victims (normalized_name, coalesce(country, ''), coalesce(region, ''))`);
  await run(`create index victims_core_name on victims (core_name)`);
  await run(`create index victims_name_trgm on victims using gin (normalized_name gin_trgm_ops)`);

  await run(`
    create table victim_aliases (
      victim_id integer not null references victims (id) on delete cascade,
      alias text not null check (length(btrim(alias)) between 1 and 200),
      normalized_alias text not null check (normalized_alias <> ''),
      primary key (victim_id, normalized_alias)
    )`);
  await run(`create index victim_aliases_normalized on victim_aliases (normalized_alias)`);
  await run(`create index victim_aliases_trgm on victim_aliases using gin (normalized_alias gin_trgm_ops)`);

  // Public references are numbered per year of the incident's start: INC-2020-0007.
  await run(`
    create table incident_reference_counters (
      year smallint primary key check (year between 1900 and 2999),
      last_number integer not null check (last_number > 0)
    )`);

  await run(`
    create table incidents (
      id integer generated always as identity primary key,
      reference text not null unique check (reference ~ '^INC-[0-9]{4}-[0-9]{4,}$'),
      victim_id integer not null references victims (id),
      started_on date not null,
      started_precision text not null check (started_precision ${PRECISION}),
      started_until date generated always as (period_end(started_on, started_precision)) stored,
      ended_on date,
      ended_precision text check (ended_precision ${PRECISION}),
      discovered_on date,
      discovered_precision text check (discovered_precision ${PRECISION}),
      disclosed_on date,
      disclosed_precision text check (disclosed_precision ${PRECISION}),
      title text not null check (length(btrim(title)) between 1 and 200),
      summary text not null check (length(btrim(summary)) between 1 and 1000),
      description text check (length(description) <= 3000),
      vendor text check (length(btrim(vendor)) between 1 and 200),
      confidentiality boolean not null default false,
      integrity boolean not null default false,
      availability boolean not null default false,
      motives text[] not null default '{}'
        check (motives <@ array[${MOTIVES.map((m) => `'${m}'`).join(', ')}]::text[]),
      techniques text[] not null default '{}'
        check (array_to_string(techniques, ',') ~ '^(T[0-9]{4}(\\.[0-9]{3})?(,|$))*$'),
      records_affected bigint check (records_affected >= 0),
      reported_platform text not null check (reported_platform in ('slack', 'discord', 'shell', 'cli', 'import')),
      reported_workspace text,
      reported_by text not null check (length(reported_by) between 1 and 200),
      reported_at timestamptz not null default now(),
      search_text tsvector generated always as (
        setweight(to_tsvector('simple', coalesce(vendor, '')), 'A') ||
        setweight(to_tsvector('english', title), 'B') ||
        setweight(to_tsvector('english', summary), 'C')
      ) stored,
      check ((ended_on is null) = (ended_precision is null)),
      check ((discovered_on is null) = (discovered_precision is null)),
      check ((disclosed_on is null) = (disclosed_precision is null)),
      -- a partial date is stored as the first day it covers
      check (started_precision = 'day' or extract(day from started_on) = 1),
      check (started_precision <> 'year' or extract(month from started_on) = 1),
      check (ended_on is null or period_end(ended_on, ended_precision) >= started_on)
    )`);
  await run(`create index incidents_victim_started on incidents (victim_id, started_on desc)`);
  await run(`create index incidents_started on incidents (started_on desc)`);
  await run(`create index incidents_search_text on incidents using gin (search_text)`);

  await run(`
    create table incident_sources (
      incident_id integer not null references incidents (id) on delete cascade,
      position smallint not null check (position >= 0),
      url text not null check (url ~ '^https?://[^[:space:][:cntrl:]]+$' and length(url) <= 2000),
      primary key (incident_id, url),
      unique (incident_id, position)
    )`);

  await run(`
    create table threat_actors (
      id integer generated always as identity primary key,
      name text not null check (length(btrim(name)) between 1 and 100),
      normalized_name text not null unique check (normalized_name <> ''),
      attack_group_id text check (attack_group_id ~ '^G[0-9]{4}$')
    )`);
  await run(`
    create table incident_threat_actors (
      incident_id integer not null references incidents (id) on delete cascade,
      threat_actor_id integer not null references threat_actors (id),
      primary key (incident_id, threat_actor_id)
    )`);
  await run(`create index incident_threat_actors_actor on incident_threat_actors (threat_actor_id)`);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['incident_threat_actors', 'threat_actors', 'incident_sources', 'incidents',
    'incident_reference_counters', 'victim_aliases', 'victims']) {
    await db.schema.dropTable(table).execute();
  }
  await sql`drop function period_end(date, text)`.execute(db);
}
