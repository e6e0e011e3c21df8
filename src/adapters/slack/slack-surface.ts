import { App, LogLevel } from '@slack/bolt';
import type { Logger as BoltLogger, HTTPReceiver, RespondFn } from '@slack/bolt';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Actor, ChannelRef } from '../../identity.js';
import type { Reply } from '../../chat/reply.js';
import type { Dispatcher } from '../../chat/dispatcher.js';
import type { Form } from '../../chat/form.js';
import { COMMAND_CONCURRENCY, createWorkQueue } from '../../chat/work-queue.js';
import type { Logger } from '../../log.js';
import { ACTION_PREFIX, renderBlockKit } from './block-kit.js';
import type { SlackMessage } from './block-kit.js';
import { formModal, modalMetadata, newVictimOption, option, valuesFromView } from './modal.js';
import { guardRequests } from './request-guard.js';
import { slackAlertSender } from './slack-alerts.js';
import { slackPictureUploader } from './timeline-upload.js';
import type { SlackPictures } from './timeline-upload.js';
import type { Message } from '../../presentation/message.js';
import { plainFromMrkdwn } from './mrkdwn.js';
import { interactionWorkspace } from './slack-workspace.js';
import type { ChatSurface } from '../surface.js';

export interface SlackSurfaceOptions {
  dispatcher: Dispatcher;
  log: Logger;
  botToken: string;
  /** HTTP mode: every request's signature and timestamp are verified with it. */
  signingSecret?: string;
  /** Socket Mode: no public URL needed. */
  appToken?: string;
  /** Web API base, e.g. https://slack.com/api/ (GovSlack, a proxy, a fake in tests). */
  apiUrl?: string;
  /** HTTP mode's port; 0 picks a free one. */
  port: number;
  /** User group ids (S…) named in SLACK_REPORTERS or SLACK_ADMINS: membership is looked up, cached for minutes. */
  userGroups?: readonly string[];
  /** Commands run at once after their ack (the rest wait their turn); default COMMAND_CONCURRENCY.pglite. */
  commandConcurrency?: number;
  /** HTTP mode: more routes on the same port (/healthz, /metrics). */
  routes?: { path: string; method: string; handler: (req: IncomingMessage, res: ServerResponse) => void }[];
}

/**
 * Slack's chat surface. `health()`: the HTTP server listening, or the Socket Mode
 * connection open; `workspaceOf` names the workspace (team id) the bot token belongs to.
 */
export interface SlackSurface extends ChatSurface {
  /** Starts listening; in HTTP mode returns the server (events at /slack/events). */
  start(): Promise<Server | undefined>;
  health(): boolean;
}

const SLASH_COMMAND = '/incident';
const SHARE_ACTION = 'bd_share';
/** The message shortcut "Report as incident" (deploy/slack-manifest.json names it). */
export const REPORT_MESSAGE_SHORTCUT = 'bd_report_message';

/**
 * Slack through @slack/bolt: `/incident` answered in Block Kit (privately, with a
 * "Share in channel" button), the report form as a modal, buttons as commands, and
 * alerts posted with chat.postMessage.
 */
export function createSlackSurface(options: SlackSurfaceOptions): SlackSurface {
  const { dispatcher, log } = options;
  const app = new App({
    token: options.botToken,
    ...(options.appToken ? { appToken: options.appToken, socketMode: true } : { signingSecret: options.signingSecret }),
    clientOptions: options.apiUrl ? { slackApiUrl: options.apiUrl } : {},
    // Socket Mode opens its connection through its own client, which takes the API base here.
    ...(options.appToken && options.apiUrl ? { installerOptions: { clientOptions: { slackApiUrl: options.apiUrl } } } : {}),
    logger: boltLogger(log),
    logLevel: LogLevel.WARN,
    ...(!options.appToken && options.routes ? { customRoutes: options.routes } : {}),
  });
  // A request body Bolt cannot take must not end the process (see request-guard.ts).
  if (!options.appToken) guardRequests((app as unknown as { receiver: HTTPReceiver }).receiver, log);

  // For graceful shutdown: stop() lets every request in flight finish, reply included.
  const inFlight = new Set<Promise<void>>();
  app.use(async ({ next }) => {
    const handled = next();
    inFlight.add(handled);
    try {
      await handled;
    } finally {
      inFlight.delete(handled);
    }
  });
  let listening = false;
  let socketOpen = false;

  const groups = userGroupMembership(app, options.userGroups ?? [], log);
  const actorOf = async (user: { id: string; name?: string; username?: string }, team: string | null | undefined): Promise<Actor> =>
    ({ platform: 'slack', workspace: team ?? null, userId: user.id, displayName: user.name ?? user.username ?? user.id, groups: await groups(user.id) });
  const channelOf = (channelId: string, team: string | null | undefined): ChannelRef => ({ platform: 'slack', workspace: team ?? null, channelId });

  const uploadPictures = slackPictureUploader(app.client, log);
  function payload(reply: Extract<Reply, { kind: 'message' }>, shareCommand: string | null, pictures?: SlackPictures): SlackMessage & { response_type: 'ephemeral' | 'in_channel' } {
    const share = reply.visibility === 'private' && shareCommand ? [{ label: 'Share in channel', actionId: SHARE_ACTION, value: shareCommand }] : [];
    return { ...renderBlockKit(reply.message, share, pictures), response_type: reply.visibility === 'public' ? 'in_channel' : 'ephemeral' };
  }

  /**
   * Answers with the timelines as uploaded pictures; should Slack refuse the message
   * for a picture (a file it has not finished, a workspace that blocks files), the
   * same answer goes again with the timelines as text.
   */
  async function respondWithPictures(respond: RespondFn, message: Message, render: (pictures?: SlackPictures) => Parameters<RespondFn>[0]): Promise<void> {
    const pictures = await uploadPictures(message);
    if (pictures.size === 0) {
      await respond(render());
      return;
    }
    try {
      await respond(render(pictures));
    } catch (error) {
      log.warn('slack refused an answer with a timeline picture; sent with the timeline as text', { error });
      await respond(render());
    }
  }

  async function openForm(form: Form, triggerId: string, channelId: string) {
    await app.client.views.open({ trigger_id: triggerId, view: formModal(form, { metadata: { state: form.state, channelId } }) as never });
  }

  // Acked at once; the work then waits its turn, so that acks are not starved under
  // load. What Slack gives 3 s (a modal's trigger, a submission, type-ahead) goes first.
  const commandWork = createWorkQueue(options.commandConcurrency ?? COMMAND_CONCURRENCY.pglite);
  const inTurn = <T>(text: string, work: () => Promise<T>) =>
    dispatcher.route(text).command.submit ? commandWork.urgent(work) : commandWork.run(work);
  app.command(SLASH_COMMAND, async ({ command, ack, respond }) => {
    await ack();
    // A form field sent twice arrives as a list: only text is a command.
    const text = typeof command.text === 'string' ? command.text : '';
    await inTurn(text, async () => {
      const reply = await dispatcher.invoke({ text, actor: await actorOf({ id: command.user_id, name: command.user_name }, command.team_id), channel: channelOf(command.channel_id, command.team_id) });
      if (reply.kind === 'form') {
        await openForm(reply.form, command.trigger_id, command.channel_id);
        return;
      }
      const shareable = dispatcher.route(text).command.shareable ? text : null;
      await respondWithPictures(respond, reply.message, (pictures) => payload(reply, shareable, pictures));
    });
  });

  // A button is a pre-typed command, run as the person who pressed it.
  app.action(new RegExp(`^${ACTION_PREFIX}`), async ({ action, body, ack, respond }) => {
    await ack();
    if (action.type !== 'button' || body.type !== 'block_actions' || !('action_id' in action)) return;
    const text = typeof action.value === 'string' ? action.value : '';
    const team = interactionWorkspace(body);
    const channelId = body.channel?.id ?? body.user.id;
    await inTurn(text, async () => {
      const actor = await actorOf(body.user, team);
      if (action.action_id === SHARE_ACTION) {
        const reply = await dispatcher.invoke({ text, actor, channel: channelOf(channelId, team), shared: true });
        if (reply.kind !== 'message') return;
        const shared: Message = { ...reply.message, blocks: [...reply.message.blocks, { type: 'context', text: `Shared by ${actor.displayName ?? actor.userId}` }] };
        await respondWithPictures(respond, shared, (pictures) => ({ ...renderBlockKit(shared, [], pictures), response_type: 'in_channel', replace_original: false }));
        return;
      }
      const reply = await dispatcher.invoke({ text, actor, channel: channelOf(channelId, team) });
      if (reply.kind === 'form') {
        await openForm(reply.form, body.trigger_id, channelId);
        return;
      }
      // Paging replaces the page; anything else is a new answer.
      const { command: pressed } = dispatcher.route(text);
      const paging = pressed.paged ?? false;
      const shareable = pressed.shareable ? text : null;
      if (reply.kind !== 'message') return;
      await respondWithPictures(respond, reply.message, (pictures) => ({ ...payload(reply, shareable, pictures), replace_original: paging }));
    });
  });

  // "Report as incident" on any message: the report form, prefilled from the message.
  app.shortcut({ type: 'message_action', callback_id: REPORT_MESSAGE_SHORTCUT }, async ({ shortcut, ack, respond }) => {
    await ack();
    const team = interactionWorkspace(shortcut);
    const channelId = shortcut.channel.id;
    const actor = await actorOf(shortcut.user, team);
    // The link is worth a source, not a missed trigger id (3 s): a failure leaves it out.
    const link = await app.client.chat.getPermalink({ channel: channelId, message_ts: shortcut.message.ts })
      .then((r) => r.permalink ?? null, () => null);
    const reply = dispatcher.reportMessage({ posted: { text: plainFromMrkdwn(shortcut.message.text ?? ''), link }, actor, channel: channelOf(channelId, team) });
    if (reply.kind === 'form') await openForm(reply.form, shortcut.trigger_id, channelId);
    else if (reply.kind === 'message') await respond({ ...payload(reply, null), response_type: 'ephemeral' });
  });

  // Type-ahead for the report modal: victims from the ledger (and "new victim"), ATT&CK techniques.
  app.options('victim', async ({ options: request, ack }) => {
    const typed = typeof request.value === 'string' ? request.value : '';
    const known = await commandWork.urgent(() => dispatcher.suggest('victims', typed, 20));
    await ack({ options: [...known, ...(typed.trim() ? [newVictimOption(typed)] : [])].map(option) as never });
  });
  app.options('techniques', async ({ options: request, ack }) => {
    await ack({ options: (await commandWork.urgent(() => dispatcher.suggest('techniques', typeof request.value === 'string' ? request.value : '', 50))).map(option) as never });
  });

  app.view({ callback_id: /.+/, type: 'view_submission' }, async ({ ack, body, view }) => {
    const metadata = modalMetadata(view.private_metadata);
    const team = interactionWorkspace(body);
    const actor = await actorOf(body.user, team);
    const values = valuesFromView(view.state.values);
    const outcome = await commandWork.urgent(() => dispatcher.submit({
      formId: view.callback_id, values, state: metadata.state, actor,
      channel: channelOf(metadata.channelId || body.user.id, team),
      submissionKey: `slack:${team ?? ''}:${view.id}`,
    }));
    if (outcome.kind === 'errors') {
      await ack({ response_action: 'errors', errors: outcome.errors });
      return;
    }
    if (outcome.kind === 'question') {
      const question = { text: outcome.question, answerField: outcome.answerField, choices: outcome.choices, label: outcome.questionLabel };
      await ack({ response_action: 'update', view: formModal(outcome.form, { metadata, values: outcome.values, question }) as never });
      return;
    }
    await ack();
    if (outcome.reply.kind !== 'message') return;
    const confirmation = renderBlockKit(outcome.reply.message);
    try {
      await app.client.chat.postEphemeral({ channel: metadata.channelId, user: actor.userId, ...confirmation });
    } catch {
      // Not in that channel (or none): the reporter hears it directly.
      await app.client.chat.postMessage({ channel: actor.userId, ...confirmation });
    }
  });

  app.error(async (error) => {
    log.error('slack request failed', { error });
    return Promise.resolve();
  });

  return {
    platform: 'slack',
    alertSender: slackAlertSender({ botToken: options.botToken, apiUrl: options.apiUrl, log }),
    async start() {
      if (options.appToken) {
        // Bolt keeps its receiver private; its Socket Mode client says when the connection is open.
        const socket = (app as unknown as { receiver?: { client?: { on(event: string, f: () => void): void } } }).receiver?.client;
        socket?.on('connected', () => (socketOpen = true));
        socket?.on('disconnected', () => (socketOpen = false));
        socket?.on('reconnecting', () => (socketOpen = false));
        await app.start();
        socketOpen = true;
        log.info('slack connected in socket mode');
        return undefined;
      }
      const server = (await app.start(options.port)) as Server;
      listening = true;
      log.info('slack listening', { port: (server.address() as { port: number } | null)?.port ?? options.port, path: '/slack/events' });
      return server;
    },
    async stop() {
      await Promise.allSettled([...inFlight]);
      listening = false;
      socketOpen = false;
      await app.stop();
    },
    health: () => (options.appToken ? socketOpen : listening),
    async workspaceOf() {
      const auth = await app.client.auth.test();
      return auth.team_id ?? null;
    },
  };
}

/** Bolt's log lines go through ours (tokens never appear in either). */
function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.WARN;
  const join = (parts: unknown[]) => parts.map((p) => (p instanceof Error ? p.message : typeof p === 'string' ? p : JSON.stringify(p))).join(' ');
  return {
    debug: (...m: unknown[]) => log.debug(`slack: ${join(m)}`),
    info: (...m: unknown[]) => log.info(`slack: ${join(m)}`),
    warn: (...m: unknown[]) => log.warn(`slack: ${join(m)}`),
    error: (...m: unknown[]) => log.error(`slack: ${join(m)}`),
    setLevel: (l: LogLevel) => (level = l),
    getLevel: () => level,
    setName: () => undefined,
  };
}

/**
 * The configured user groups a person is in. Slack sends no group membership with a
 * request, so each group's members are fetched (usergroups.users.list, scope
 * usergroups:read) and kept for five minutes; a failed lookup counts as "not a member".
 */
function userGroupMembership(app: App, groupIds: readonly string[], log: Logger): (userId: string) => Promise<string[]> {
  const cache = new Map<string, { users: Set<string>; until: number }>();
  async function members(group: string): Promise<Set<string>> {
    const cached = cache.get(group);
    if (cached && cached.until > Date.now()) return cached.users;
    try {
      const result = await app.client.usergroups.users.list({ usergroup: group });
      const users = new Set(result.users ?? []);
      cache.set(group, { users, until: Date.now() + 5 * 60_000 });
      return users;
    } catch (error) {
      // Remembered for a minute too: a misconfigured group must not cost an API call per request.
      log.warn('could not read a Slack user group; its members are treated as not listed', { group, error });
      cache.set(group, { users: new Set(), until: Date.now() + 60_000 });
      return new Set<string>();
    }
  }
  return async (userId) => {
    if (groupIds.length === 0) return [];
    const found = await Promise.all(groupIds.map(async (g) => ((await members(g)).has(userId) ? g : null)));
    return found.filter((g): g is string => g !== null);
  };
}
