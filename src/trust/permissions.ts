import type { Actor } from '../identity.js';
import type { Config } from '../config.js';
import type { Tlp } from '../db/schema.js';
import { OPERATOR, narrower } from './tlp.js';
import type { Viewer } from './tlp.js';

/**
 * Who may do what, from configuration. Lookups are open to everyone the bot can
 * hear; reporting may be limited to listed people (Slack user or user-group ids,
 * Discord user or role ids); admins may manage alerts and change anyone's incidents.
 */
export interface TrustPolicy {
  /** Who may report, edit their own incidents and see AMBER privately; a platform's null: everyone there. */
  reporters: PlatformLists;
  /** Who may change any incident, and on Slack manage alerts (null there: anyone may); Discord asks for Manage Channels. */
  admins: PlatformLists;
}

/** Ids per platform: users, Slack user groups (S…), Discord roles. Null: no list is set. */
export interface PlatformLists {
  slack: readonly string[] | null;
  discord: readonly string[] | null;
}

export const OPEN_POLICY: TrustPolicy = { reporters: { slack: null, discord: null }, admins: { slack: null, discord: null } };

/** The policy the environment sets: SLACK_REPORTERS, SLACK_ADMINS, DISCORD_REPORTERS, DISCORD_ADMINS. */
export function policyFromConfig(config: Config): TrustPolicy {
  return {
    reporters: { slack: config.SLACK_REPORTERS ?? null, discord: config.DISCORD_REPORTERS ?? null },
    admins: { slack: config.SLACK_ADMINS ?? null, discord: config.DISCORD_ADMINS ?? null },
  };
}

/** The Slack user groups (S…) the lists name: the Slack surface looks up who is in them. */
export function slackUserGroups(policy: TrustPolicy): string[] {
  return [...(policy.reporters.slack ?? []), ...(policy.admins.slack ?? [])].filter((id) => id.startsWith('S'));
}

/** The terminal and the command line belong to whoever runs the bot. */
function isOperator(actor: Actor): boolean {
  return actor.platform === 'shell' || actor.platform === 'cli' || actor.platform === 'import';
}

/** The list that applies to this person's platform, or null when none is set there. */
function listFor(actor: Actor, lists: PlatformLists): readonly string[] | null {
  return actor.platform === 'slack' ? lists.slack : actor.platform === 'discord' ? lists.discord : null;
}

function listed(actor: Actor, ids: readonly string[]): boolean {
  return ids.includes(actor.userId) || (actor.groups ?? []).some((g) => ids.includes(g));
}

export function isAdmin(actor: Actor, policy: TrustPolicy): boolean {
  const admins = listFor(actor, policy.admins);
  return isOperator(actor) || (admins !== null && listed(actor, admins));
}

export function mayReport(actor: Actor, policy: TrustPolicy): boolean {
  const reporters = listFor(actor, policy.reporters);
  return isAdmin(actor, policy) || reporters === null || listed(actor, reporters);
}

export function mayManageAlerts(actor: Actor, policy: TrustPolicy): boolean {
  // Discord says who may manage a channel (Manage Channels); Slack has no such
  // permission, so SLACK_ADMINS decides there when it is set.
  if (actor.platform === 'slack' && policy.admins.slack !== null) return listed(actor, policy.admins.slack);
  return actor.canManageChannel !== false;
}

export function mayChange(actor: Actor, incident: { reportedBy: { platform: string; workspace: string | null; userId: string | null } }, policy: TrustPolicy): boolean {
  if (isAdmin(actor, policy)) return true;
  const by = incident.reportedBy;
  return mayReport(actor, policy) && by.userId !== null && by.platform === actor.platform && by.workspace === actor.workspace && by.userId === actor.userId;
}

/**
 * What a person may see privately: GREEN for everyone; AMBER and AMBER+STRICT of
 * their own workspace for people who may report; RED only their own, or all for admins.
 */
export function personViewer(actor: Actor, policy: TrustPolicy): Viewer {
  if (isOperator(actor)) return OPERATOR;
  const workspace = actor.workspace;
  if (isAdmin(actor, policy)) return { upTo: 'red', workspace, red: 'all' };
  if (mayReport(actor, policy)) return { upTo: 'red', workspace, red: { platform: actor.platform, userId: actor.userId } };
  return { upTo: 'green', workspace, red: 'none' };
}

/** What a channel may be shown: its clearance, its workspace's AMBER, never RED. */
export function channelViewer(channel: { platform: string; workspace: string | null }, clearance: Exclude<Tlp, 'red'>): Viewer {
  if (channel.platform === 'shell') return OPERATOR;
  return { upTo: clearance, workspace: channel.workspace, red: 'none' };
}

/** What may be posted for everyone in a channel at a person's request: what both may see. */
export function sharedViewer(actor: Actor, policy: TrustPolicy, channel: Viewer): Viewer {
  return narrower(personViewer(actor, policy), channel);
}

export const REFUSALS = {
  report: 'Reporting incidents here is limited to the people your breachdesk administrators chose. Ask one of them if you need it.',
  manageAlerts: 'Changing what this channel hears needs permission to manage the channel (Manage Channels on Discord, or the Slack admin list in breachdesk\'s configuration).',
  change: 'Only the person who reported this incident, or a breachdesk admin, may change or retract it.',
} as const;
