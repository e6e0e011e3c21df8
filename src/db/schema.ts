import type { ColumnType, Generated, GeneratedAlways } from 'kysely';

/** How much of a date is known: real reporting is often "April 2020" or just "2019". */
export type DatePrecision = 'day' | 'month' | 'year';

export const MOTIVES = ['financial', 'espionage', 'ideology', 'grudge', 'fun', 'convenience', 'fear', 'other', 'unknown'] as const;
export type Motive = (typeof MOTIVES)[number];

export const VICTIM_KINDS = ['city', 'county', 'state', 'school-district', 'hospital', 'company',
  'government', 'university', 'nonprofit', 'airport', 'other'] as const;
export type VictimKind = (typeof VICTIM_KINDS)[number];

export const PLATFORMS = ['slack', 'discord', 'shell', 'cli', 'import'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** A date column as pg returns it with our parser: 'YYYY-MM-DD'. */
type DateText = ColumnType<string, string, string>;

export interface VictimTable {
  id: GeneratedAlways<number>;
  name: string;
  normalized_name: string;
  core_name: string;
  kind: VictimKind | null;
  sector: string | null;
  country: string | null;
  region: string | null;
  city: string | null;
  created_at: Generated<Date>;
  /** A placeholder ("Unknown", "Unidentified hospital"): one per incident, never a repeat victim. */
  unattributed: Generated<boolean>;
  /** Operates nationwide (a federal agency, a large company): one victim whatever state a report names. */
  national: Generated<boolean>;
  /** The initials of a name of three or more words ("ucla"): "UCLA Health" finds the University of California, Los Angeles. */
  initials: string | null;
}

export interface VictimAliasTable {
  victim_id: number;
  alias: string;
  normalized_alias: string;
}

export interface IncidentReferenceCounterTable {
  year: number;
  last_number: number;
}

export interface IncidentTable {
  id: GeneratedAlways<number>;
  reference: string;
  victim_id: number;
  started_on: DateText;
  started_precision: DatePrecision;
  started_until: GeneratedAlways<string>;
  ended_on: DateText | null;
  ended_precision: DatePrecision | null;
  discovered_on: DateText | null;
  discovered_precision: DatePrecision | null;
  disclosed_on: DateText | null;
  disclosed_precision: DatePrecision | null;
  title: string;
  summary: string;
  description: string | null;
  vendor: string | null;
  confidentiality: boolean;
  integrity: boolean;
  availability: boolean;
  motives: Motive[];
  techniques: string[];
  records_affected: number | null;
  reported_platform: Platform;
  reported_workspace: string | null;
  reported_by: string;
  reported_at: Generated<Date>;
  search_text: GeneratedAlways<string>;
  /** Set by chat submissions: the same key twice is the same incident. */
  submission_key: string | null;
  /** The id an import source gave it (VCDB's incident_id): re-importing updates it. */
  external_id: string | null;
  /** Hash of the imported record: unchanged records are skipped on re-import. */
  source_hash: string | null;
  /** How it happened, as text: "hacking: SQLi via Web application". */
  vector: string | null;
  /** Set when this row is a report of that incident (one event, many reports): it is never an incident itself. */
  merged_into: number | null;
  /** Why it was joined: "dates overlap; same records affected (1,607)", or who confirmed it. */
  merge_reason: string | null;
  merged_at: Date | null;
  /** Traffic Light Protocol marking: who may see it (src/trust/tlp.ts). */
  tlp: Generated<Tlp>;
  /** The reporter's platform user id: the reporter may edit or retract it. */
  reported_by_id: string | null;
  /** 1 when first recorded; each edit or retraction keeps the previous version in incident_revisions. */
  revision: Generated<number>;
  /** Retracted incidents stay in the ledger, out of every lookup, count and alert. */
  retracted_at: Date | null;
  retracted_by: string | null;
  retraction_reason: string | null;
}

export const TLP_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

export interface IncidentRevisionTable {
  incident_id: number;
  revision: number;
  content: ColumnType<unknown, string, string>;
  change: 'edit' | 'retract';
  changed_by: string;
  changed_by_id: string | null;
  changed_platform: Platform;
  changed_at: Generated<Date>;
}

/** What a channel may be shown: incidents marked at most this. RED is never posted to a channel. */
export interface ChannelClearanceTable {
  platform: ChatPlatform;
  workspace: Generated<string>;
  channel_id: string;
  clearance: Exclude<Tlp, 'red'>;
  set_by: string;
  set_at: Generated<Date>;
}

/** Who did what, when, from where: every report, change and subscription. */
export interface AuditLogTable {
  id: GeneratedAlways<string>;
  at: Generated<Date>;
  platform: Platform;
  workspace: string | null;
  user_id: string | null;
  user_name: string;
  channel_id: string | null;
  action: string;
  subject: string;
  detail: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface IncidentSourceTable {
  incident_id: number;
  position: number;
  url: string;
}

export interface ThreatActorTable {
  id: GeneratedAlways<number>;
  name: string;
  normalized_name: string;
  attack_group_id: string | null;
}

export interface IncidentThreatActorTable {
  incident_id: number;
  threat_actor_id: number;
}

/** Chat platforms a channel can be on. */
export type ChatPlatform = Exclude<Platform, 'cli' | 'import'>;

export type AlertCadence = 'immediate' | 'daily';

export interface AlertSubscriptionTable {
  id: GeneratedAlways<number>;
  platform: ChatPlatform;
  workspace: string;
  channel_id: string;
  created_by: string;
  created_by_id: string | null;
  created_at: Generated<Date>;
  /** Only victims in this country / region / sector / of this kind; null: any. */
  country: string | null;
  region: string | null;
  sector: string | null;
  victim_kind: VictimKind | null;
  /** Alert from this incident on: 2 for the 2nd incident within the window. */
  min_ordinal: Generated<number>;
  /** The channel's own window; null: REPEAT_WINDOW_DAYS. */
  window_days: number | null;
  cadence: Generated<AlertCadence>;
  /** Also alert on possible repeats (only partial dates put them within the window). */
  possible: Generated<boolean>;
  /** Set when the platform said the channel cannot be posted to any more. */
  broken_reason: string | null;
  broken_at: Date | null;
}

export const WATCH_KINDS = ['victim', 'vendor', 'sector', 'region', 'actor', 'technique'] as const;
export type WatchKind = (typeof WATCH_KINDS)[number];

export interface WatchTable {
  id: GeneratedAlways<number>;
  platform: ChatPlatform;
  workspace: string;
  channel_id: string;
  target_kind: WatchKind;
  /** Normalized: a victim's id, a lower-case vendor, sector, region or actor, a technique id. */
  target_value: string;
  /** As people read it: "City of Odessa", "Click2Gov". */
  label: string | null;
  victim_id: number | null;
  created_by: string;
  created_by_id: string | null;
  created_at: Generated<Date>;
  broken_reason: string | null;
}

export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed';

/** The outbox: one row per incident and channel, committed with the incident. */
export interface AlertDeliveryTable {
  id: GeneratedAlways<string>;
  incident_id: number;
  victim_id: number;
  platform: ChatPlatform;
  workspace: string;
  channel_id: string;
  reason: 'repeat' | 'watch';
  window_days: number;
  /** The channel counts possible repeats too (its subscription's `possible`). */
  possible: Generated<boolean>;
  digest: Generated<boolean>;
  status: Generated<DeliveryStatus>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  claimed_until: Date | null;
  /** The claim a process holds while it sends: it renews the lease and records the send only while this is still its own. */
  claim_token: string | null;
  /** The victim's other incidents the channel counted when the report committed: the alert's ordinal is one more. Null on rows queued before they were kept. */
  counted_incident_ids: ColumnType<number[] | null, number[] | undefined, never>;
  /** Sent with the message (Discord nonce, Slack metadata) so a resend after a crash is recognised. */
  nonce: string;
  platform_message_id: string | null;
  thread_of: string | null;
  last_error: string | null;
  created_at: Generated<Date>;
  sent_at: Date | null;
}

/** A form filled in across several round trips (Discord's report form), kept until it expires. */
export interface FormDraftTable {
  id: string;
  platform: ChatPlatform;
  /** The surface's own: the form and what is filled in so far. */
  content: ColumnType<Record<string, unknown>, string, string>;
  created_at: Generated<Date>;
  expires_at: Date;
}

export const FEED_KINDS = ['hhs', 'hibp', 'ransomware'] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

/** A public source polled on a schedule (migration 013 says what each column is for). */
export interface FeedTable {
  id: GeneratedAlways<number>;
  kind: FeedKind;
  url: string;
  every_seconds: number;
  /** The channel that added it, told when it fails for a day; null when added on the command line. */
  platform: ChatPlatform | null;
  workspace: Generated<string>;
  channel_id: string | null;
  added_by: string;
  created_at: Generated<Date>;
  next_run_at: Generated<Date>;
  claimed_until: Date | null;
  claim_token: string | null;
  etag: string | null;
  last_modified: string | null;
  body_hash: string | null;
  backfilled: Generated<boolean>;
  runs: Generated<number>;
  records_imported: Generated<number>;
  failures: Generated<number>;
  consecutive_failures: Generated<number>;
  last_success_at: Date | null;
  last_error: string | null;
  failing_since: Date | null;
  failure_told_at: Date | null;
}

export interface Database {
  feeds: FeedTable;
  form_drafts: FormDraftTable;
  incident_revisions: IncidentRevisionTable;
  channel_clearances: ChannelClearanceTable;
  audit_log: AuditLogTable;
  alert_subscriptions: AlertSubscriptionTable;
  watches: WatchTable;
  alert_deliveries: AlertDeliveryTable;
  victims: VictimTable;
  victim_aliases: VictimAliasTable;
  incident_reference_counters: IncidentReferenceCounterTable;
  incidents: IncidentTable;
  incident_sources: IncidentSourceTable;
  threat_actors: ThreatActorTable;
  incident_threat_actors: IncidentThreatActorTable;
}
