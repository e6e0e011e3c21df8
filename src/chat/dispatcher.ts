import { randomUUID } from 'node:crypto';
import { fieldErrors } from '../incidents/submission.js';
import { suggestTechniques } from '../incidents/attack-catalogue.js';
import { isUserError } from '../errors.js';
import type { Services } from '../services.js';
import { privately } from './command.js';
import type { Actor, ChannelRef, Command, Reply } from './command.js';
import type { Choice, FormOutcome, FormValues } from './form.js';
import { textMessage } from './message.js';
import { victimChoice } from './report-form.js';
import { cutText, fitText, typedText } from './text.js';

/** A typed `/incident …`, or a pressed button (whose command is the text). */
export interface Invocation {
  text: string;
  actor: Actor;
  channel: ChannelRef;
}

export interface FormSubmission {
  formId: string;
  values: FormValues;
  state: string | undefined;
  actor: Actor;
  channel: ChannelRef;
  /** The platform's id of this submission: delivered twice, it stores once. */
  submissionKey?: string;
}

/** The one function every chat surface calls; it never throws. */
export interface Dispatcher {
  invoke(invocation: Invocation): Promise<Reply>;
  submit(submission: FormSubmission): Promise<FormOutcome>;
  /** One field's error given the values so far, for surfaces that ask field by field. */
  checkField(formId: string, fieldId: string, values: FormValues, state: string | undefined): string | null;
  /** Type-ahead choices for a form field or the command's option. */
  suggest(kind: 'victims' | 'techniques', typed: string, limit?: number): Promise<Choice[]>;
  /** The command a text would run, and the text left for it: for help and completion. */
  route(text: string): { command: Command; rest: string };
  readonly commands: readonly Command[];
}

/**
 * Routes `/incident <text>`: the first word picks a command (`report`, `repeats`,
 * `help`…); anything else is a search, so `/incident odessa` is typed in one motion.
 */
export function createDispatcher(commands: readonly Command[], services: Services): Dispatcher {
  const byWord = new Map<string, Command>();
  for (const c of commands) for (const w of [c.name, ...(c.aliases ?? [])]) byWord.set(w, c);
  const search = byWord.get('search')!;
  const help = byWord.get('help')!;

  function route(text: string): { command: Command; rest: string } {
    const trimmed = typedText(text).trim().replace(/^\/?incident\b\s*/i, '');
    if (trimmed === '') return { command: help, rest: '' };
    const word = trimmed.split(/\s+/, 1)[0] ?? '';
    const command = byWord.get(word.toLowerCase());
    return command ? { command, rest: trimmed.slice(word.length).trim() } : { command: search, rest: trimmed };
  }

  /** User errors are answered as they are; anything else is logged with an id and answered briefly. */
  function failure(error: unknown, what: string): Reply {
    if (isUserError(error)) return privately(textMessage(error.message));
    const id = randomUUID().slice(0, 8);
    services.log.error(`${what} failed`, { errorId: id, error });
    return privately(textMessage(`Something went wrong on our side (error ${id}). Nothing was changed; please try again, and quote the error id if it persists.`));
  }

  return {
    commands,
    route,
    async invoke({ text, actor, channel }) {
      const { command, rest } = route(text);
      if (command.managesChannel && actor.canManageChannel === false && !isStatusOnly(command, rest)) {
        return privately(textMessage('Changing what this channel hears needs permission to manage the channel (Manage Channels on Discord).'));
      }
      try {
        const parsed = command.options.safeParse(command.parse(rest));
        if (!parsed.success) {
          const problems = fieldErrors(parsed.error).map((e) => e.message).join(' ');
          return privately(textMessage(`${problems}\nUsage: ${command.usage}${command.examples[0] ? ` — e.g. ${command.examples[0]}` : ''}`));
        }
        return await command.run({ options: parsed.data, actor, channel, services });
      } catch (error) {
        return failure(error, `/incident ${command.name}`);
      }
    },
    async submit({ formId, values, state, actor, channel, submissionKey }) {
      const command = commands.find((c) => c.name === formId);
      if (!command?.submit) return { kind: 'done', reply: privately(textMessage('This form is no longer in use; open it again with /incident report.')) };
      try {
        return await command.submit({ options: values, state, submissionKey, actor, channel, services });
      } catch (error) {
        return { kind: 'done', reply: failure(error, `form ${formId}`) };
      }
    },
    checkField(formId, fieldId, values, state) {
      return commands.find((c) => c.name === formId)?.checkField?.(fieldId, values, state) ?? null;
    },
    async suggest(kind, rawTyped, limit = 25) {
      // No name in the ledger is longer than 200 characters: a longer type-ahead matches nothing, at some cost.
      const typed = cutText(typedText(rawTyped), 200);
      try {
        if (kind === 'techniques') {
          return suggestTechniques(typed, limit).map((t) => ({ value: t.id, label: fitText(`${t.id} ${t.name}`, 75) }));
        }
        const victims = await services.ledger.suggestVictims(typed, limit);
        return victims.map(victimChoice).map((c) => ({ ...c, label: fitText(c.label, 75) }));
      } catch (error) {
        services.log.error('suggestions failed', { kind, error });
        return [];
      }
    },
  };
}


// Looking at a channel's alerts changes nothing, so anyone may.
function isStatusOnly(command: Command, rest: string): boolean {
  return command.name === 'alerts' && ['', 'status'].includes(rest.trim().toLowerCase());
}
