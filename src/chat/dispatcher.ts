import { randomUUID } from 'node:crypto';
import { fieldErrors } from '../incidents/submission.js';
import { suggestTechniques } from '../incidents/attack-catalogue.js';
import { DatabaseUnavailableError, LEDGER_UNAVAILABLE, isUserError } from '../errors.js';
import type { Services } from '../services.js';
import type { Actor, ChannelRef } from '../identity.js';
import { textMessage } from '../presentation/message.js';
import type { Command } from './command.js';
import type { Choice, FormValues } from './form.js';
import { privately } from './reply.js';
import type { FormOutcome, Reply } from './reply.js';
import { reportFormFromMessage } from './message-report.js';
import type { PostedMessage } from './message-report.js';
import { victimChoice } from './report-form.js';
import { cutText, fitText, typedText } from './text.js';
import { OPEN_POLICY, REFUSALS, channelViewer, mayManageAlerts, mayReport, personViewer, sharedViewer } from '../trust/permissions.js';
import type { TrustPolicy } from '../trust/permissions.js';
import type { Viewer } from '../trust/tlp.js';

/** A typed `/incident …`, or a pressed button (whose command is the text). */
export interface Invocation {
  text: string;
  actor: Actor;
  channel: ChannelRef;
  /** Posted for the whole channel (a Share button): shows only what the channel's clearance allows. */
  shared?: boolean;
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
  /** "Report as incident" on a chat message: the report form prefilled from it, or why not. */
  reportMessage(request: { posted: PostedMessage; actor: Actor; channel: ChannelRef }): Reply;
  /** Type-ahead choices for a form field or the command's option. */
  suggest(kind: 'victims' | 'techniques', typed: string, limit?: number): Promise<Choice[]>;
  /** The command a text would run, and the text left for it: for help and completion. */
  route(text: string): { command: Command; rest: string };
  readonly commands: readonly Command[];
}

/**
 * Routes `/incident <text>`: the first word picks a command (`report`, `repeats`,
 * `help`…); anything else goes to the command declared `fallback: 'unknown-word'`
 * (search), so `/incident odessa` is typed in one motion, and nothing at all to the
 * one declared `fallback: 'empty'` (help).
 */
export function createDispatcher(commands: readonly Command[], services: Services): Dispatcher {
  const byWord = new Map<string, Command>();
  for (const c of commands) for (const w of [c.name, ...(c.aliases ?? [])]) byWord.set(w, c);
  const search = commands.find((c) => c.fallback === 'unknown-word')!;
  const help = commands.find((c) => c.fallback === 'empty')!;
  const policy = services.trust ?? OPEN_POLICY;

  async function viewerOf(actor: Actor, channel: ChannelRef, shared: boolean): Promise<Viewer> {
    if (!shared) return personViewer(actor, policy);
    const clearance = await services.ledger.channels.clearance(channel);
    return sharedViewer(actor, policy, channelViewer(channel, clearance));
  }

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
    // An outage is not a bug: no error id to quote, one sentence, and it passes.
    if (error instanceof DatabaseUnavailableError) {
      services.log.warn(`${what}: the ledger is unavailable`, { error });
      return privately(textMessage(LEDGER_UNAVAILABLE));
    }
    const id = randomUUID().slice(0, 8);
    services.log.error(`${what} failed`, { errorId: id, error });
    return privately(textMessage(`Something went wrong on our side (error ${id}). Nothing was changed; please try again, and quote the error id if it persists.`));
  }

  return {
    commands,
    route,
    async invoke({ text, actor, channel, shared = false }) {
      const { command, rest } = route(text);
      // Who may do what is decided here, for every surface, before a command runs.
      const refusal = refusalFor(command, rest, actor, policy);
      if (refusal) return privately(textMessage(refusal));
      try {
        const parsed = command.options.safeParse(command.parse(rest));
        if (!parsed.success) {
          const problems = fieldErrors(parsed.error).map((e) => e.message).join(' ');
          return privately(textMessage(`${problems}\nUsage: ${command.usage}${command.examples[0] ? ` — e.g. ${command.examples[0]}` : ''}`));
        }
        return await command.run({ options: parsed.data, actor, channel, services, commands, viewer: await viewerOf(actor, channel, shared) });
      } catch (error) {
        return failure(error, `/incident ${command.name}`);
      }
    },
    async submit({ formId, values, state, actor, channel, submissionKey }) {
      const command = commands.find((c) => c.name === formId);
      if (!command?.submit) return { kind: 'done', reply: privately(textMessage('This form is no longer in use; open it again with /incident report.')) };
      // A submitted form is checked again: it can arrive without the command that opened it.
      const refusal = refusalFor(command, '', actor, policy);
      if (refusal) return { kind: 'done', reply: privately(textMessage(refusal)) };
      try {
        return await command.submit({ options: values, state, submissionKey, actor, channel, services, commands, viewer: await viewerOf(actor, channel, false) });
      } catch (error) {
        return { kind: 'done', reply: failure(error, `form ${formId}`) };
      }
    },
    reportMessage({ posted, actor }) {
      const report = commands.find((c) => c.name === 'report');
      const refusal = report ? refusalFor(report, '', actor, policy) : 'Reporting is not available here.';
      if (refusal) return privately(textMessage(refusal));
      return { kind: 'form', form: reportFormFromMessage(posted, services.ledger.tlpDefault) };
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


/** Why this person may not run this command, or null. The reason names no one. */
function refusalFor(command: Command, rest: string, actor: Actor, policy: TrustPolicy): string | null {
  if (command.reports && !mayReport(actor, policy)) return REFUSALS.report;
  // Looking at a channel's settings changes nothing, so anyone may.
  const statusOnly = command.statusOnly?.includes(rest.trim().toLowerCase()) ?? false;
  if (command.managesChannel && !statusOnly && !mayManageAlerts(actor, policy)) return REFUSALS.manageAlerts;
  return null;
}
