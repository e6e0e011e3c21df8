import type { z } from 'zod';
import type { Actor, ChannelRef } from '../identity.js';
import type { Services } from '../services.js';
import type { Viewer } from '../trust/tlp.js';
import type { FormValues } from './form.js';
import type { FormOutcome, Reply } from './reply.js';

export interface CommandContext<Options> {
  options: Options;
  actor: Actor;
  channel: ChannelRef;
  services: Services;
  /** Every command the dispatcher routes to, for help and hints. */
  commands: readonly Command[];
  /** What this reply may show (TLP): the person's own view, or the channel's when shared. */
  viewer: Viewer;
}

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
  /**
   * With `managesChannel`: the texts after the command word that only show the
   * channel's settings (`''`, `'status'`), which anyone may run.
   */
  statusOnly?: readonly string[];
  /** Records or changes incidents: only people who may report may run it (REPORTERS lists). */
  reports?: boolean;
  /**
   * Runs when no command word is typed: `'empty'` for `/incident` alone (help),
   * `'unknown-word'` for `/incident odessa` (search). One command declares each.
   */
  fallback?: 'empty' | 'unknown-word';
  /** Its private answer is worth sharing with the channel: surfaces offer "Share in channel". */
  shareable?: boolean;
  /** Turns a page of an earlier answer (`more`, a victim's next incidents): a button running it replaces that answer. */
  paged?: boolean;
  /** What the text after the command word names, for completion where a surface completes it (the shell's Tab). */
  suggests?: 'victims';
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
