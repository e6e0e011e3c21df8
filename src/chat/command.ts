import type { z } from 'zod';
import type { Platform } from '../db/schema.js';
import type { Services } from '../services.js';
import type { Form, FormOutcome, FormValues } from './form.js';
import type { Message } from './message.js';
import type { Viewer } from '../trust/tlp.js';

/** Who is asking, in no platform's terms. */
export interface Actor {
  platform: Platform;
  /** Slack workspace (team id) or Discord guild id; null in the shell. */
  workspace: string | null;
  userId: string;
  displayName?: string;
  /** Whether the platform says this person may manage the channel's alerts. */
  canManageChannel?: boolean;
  /** Slack user groups or Discord roles this person holds, for the permission lists. */
  groups?: readonly string[];
}

/** Where a command was typed, and where a channel's alerts go. */
export interface ChannelRef {
  platform: Platform;
  workspace: string | null;
  channelId: string;
}

export interface CommandContext<Options> {
  options: Options;
  actor: Actor;
  channel: ChannelRef;
  services: Services;
  /** What this reply may show (TLP): the person's own view, or the channel's when shared. */
  viewer: Viewer;
}

/** What a command answers: a message (private by default) or a form to open. */
export type Reply =
  | { kind: 'message'; message: Message; visibility: 'private' | 'public' }
  | { kind: 'form'; form: Form };

export interface Command<Options = unknown> {
  /** The word after `/incident`: `report`, `repeats`. The search command's is `search`. */
  name: string;
  /** Other words that run it. */
  aliases?: string[];
  /** One line for help: what it does. */
  description: string;
  /** How to type it: `/incident watch <victim>`. */
  usage: string;
  examples: string[];
  /** Hidden commands are run by buttons, not listed in help. */
  hidden?: boolean;
  /**
   * Changes what a channel hears (alerts, watches): only people who may manage the
   * channel may run it. Discord registers such commands with Manage Channels as
   * their default permission; the dispatcher checks again at run time.
   */
  managesChannel?: boolean;
  /** Records or changes incidents: only people who may report may run it (REPORTERS lists). */
  reports?: boolean;
  /**
   * The text after the command word, described for surfaces that ask for it as an
   * option (Discord): its name, what it is, fixed choices or type-ahead.
   */
  argument?: { name: string; description: string; required: boolean; choices?: string[]; suggest?: 'victims' };
  /** Turns the text after the command word into raw options for the schema. */
  parse(text: string): unknown;
  options: z.ZodType<Options>;
  run(context: CommandContext<Options>): Promise<Reply>;
  /** Checks one field of this command's form given everything filled in so far: an error message, or null. */
  checkField?(fieldId: string, values: FormValues, state: string | undefined): string | null;
  /** Receives this command's form when submitted. */
  submit?(context: CommandContext<FormValues> & { state: string | undefined; submissionKey?: string }): Promise<FormOutcome>;
}

/**
 * Declares a slash command; only helps type inference.
 *
 * @example
 *   export default defineCommand({
 *     name: 'repeats', description: 'Recent repeat breaches', usage: '/incident repeats [days]',
 *     examples: ['/incident repeats 180'],
 *     parse: (text) => ({ days: text || undefined }),
 *     options: z.object({ days: z.coerce.number().int().positive().optional() }),
 *     async run({ options, services }) { … return reply },
 *   });
 */
export function defineCommand<Options>(command: Command<Options>): Command<Options> {
  return command;
}

/** A private reply of one message. */
export function privately(message: Message): Reply {
  return { kind: 'message', message, visibility: 'private' };
}

/** A reply the whole channel sees. */
export function publicly(message: Message): Reply {
  return { kind: 'message', message, visibility: 'public' };
}
