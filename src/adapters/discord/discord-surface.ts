import { Client, GatewayIntentBits, MessageFlags, Options, PermissionFlagsBits, Routes, Status } from 'discord.js';
import type {
  AutocompleteInteraction, ButtonInteraction, ChatInputCommandInteraction, Interaction, ModalSubmitInteraction,
  StringSelectMenuInteraction,
} from 'discord.js';
import type { Actor, ChannelRef } from '../../identity.js';
import type { Reply } from '../../chat/reply.js';
import type { Dispatcher } from '../../chat/dispatcher.js';
import type { Message } from '../../presentation/message.js';
import { fitText } from '../../chat/text.js';
import type { Logger } from '../../log.js';
import { INCIDENT } from './application-commands.js';
import { BUTTON_PREFIX, SHARE_PREFIX, renderDiscord } from './embeds.js';
import { guardInteractions } from './interaction-guard.js';
import { escapeDiscord } from './markdown.js';
import type { DiscordMessage } from './embeds.js';
import { DraftStore, FORM_PREFIX, pageModal, valuesFromModal } from './report-draft.js';
import type { Draft } from './report-draft.js';
import { discordAlertSender } from './discord-alerts.js';
import type { ChatSurface } from '../surface.js';

export interface DiscordSurfaceOptions {
  dispatcher: Dispatcher;
  log: Logger;
  token: string;
  /** REST base, e.g. a rate-limit proxy at scale, or a fake in tests. */
  apiUrl?: string;
}

/**
 * Discord's chat surface. `health()`: the gateway connection up (every shard
 * ready); `workspaceOf` names the server (guild id) a channel belongs to.
 */
export interface DiscordSurface extends ChatSurface {
  start(): Promise<void>;
  health(): boolean;
}

/**
 * Discord through discord.js: `/incident` with autocomplete, answers as embeds
 * (privately, with a Share button), the report form as modal pages, and alerts
 * posted with mentions disabled.
 */
export function createDiscordSurface(options: DiscordSurfaceOptions): DiscordSurface {
  const { dispatcher, log } = options;
  const drafts = new DraftStore();
  const client = new Client({
    // Slash commands need no privileged intents: Guilds is all the bot reads.
    intents: [GatewayIntentBits.Guilds],
    rest: options.apiUrl ? { api: options.apiUrl } : {},
    // Interactions carry what the bot needs; caching members, users and messages
    // would only grow with the number of servers.
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 0, GuildMemberManager: 0, UserManager: 0, PresenceManager: 0, ReactionManager: 0,
      ThreadManager: 0, GuildEmojiManager: 0, GuildStickerManager: 0, VoiceStateManager: 0, GuildInviteManager: 0,
    }),
  });

  const actorOf = (i: Interaction): Actor => ({
    platform: 'discord',
    workspace: i.guildId,
    userId: i.user.id,
    displayName: i.user.globalName ?? i.user.username,
    // Checked again here: default permissions on the command can be overridden by server admins.
    canManageChannel: i.memberPermissions?.has(PermissionFlagsBits.ManageChannels) ?? false,
    // Role ids, for the DISCORD_REPORTERS and DISCORD_ADMINS lists.
    groups: !i.member ? [] : Array.isArray(i.member.roles) ? i.member.roles : [...i.member.roles.cache.keys()],
  });
  const channelOf = (i: Interaction): ChannelRef => ({ platform: 'discord', workspace: i.guildId, channelId: i.channelId ?? i.user.id });

  const toDiscord = (m: DiscordMessage) => ({ embeds: m.embeds, components: m.components, allowedMentions: { parse: [] } });
  const rendered = (message: Message, shareCommand: string | null) => {
    const share = shareCommand && `${SHARE_PREFIX}${shareCommand}`.length <= 100 ? [{ label: 'Share in channel', customId: `${SHARE_PREFIX}${shareCommand}` }] : [];
    return toDiscord(renderDiscord(message, share));
  };
  const shareable = (text: string) => (dispatcher.route(text).command.shareable ? text : null);

  async function answer(i: ChatInputCommandInteraction | ButtonInteraction, text: string, reply: Reply, how: 'reply' | 'update' = 'reply') {
    if (reply.kind === 'form') {
      const draft = drafts.create(reply.form);
      await i.showModal(pageModal(draft, 0));
      return;
    }
    const body = rendered(reply.message, reply.visibility === 'private' ? shareable(text) : null);
    if (how === 'update' && i.isButton()) await i.update(body);
    else await i.reply({ ...body, ...(reply.visibility === 'private' ? { flags: MessageFlags.Ephemeral } : {}) });
  }

  async function onCommand(i: ChatInputCommandInteraction) {
    const text = i.commandName === INCIDENT
      ? String(i.options.get('query')?.value ?? '')
      : `${i.commandName.slice(INCIDENT.length + 1)} ${i.options.data.map((o) => String(o.value ?? '')).join(' ')}`;
    await answer(i, text, await dispatcher.invoke({ text, actor: actorOf(i), channel: channelOf(i) }));
  }

  async function onAutocomplete(i: AutocompleteInteraction) {
    const focused = i.options.getFocused(true);
    const typed = String(focused.value);
    let choices: { name: string; value: string }[];
    if (i.commandName === INCIDENT) {
      // "report odes" suggests "report City of Odessa"; a bare word suggests victims and commands.
      const { command, rest } = dispatcher.route(typed);
      const bare = command.fallback === 'unknown-word';
      const prefix = bare ? '' : typed.slice(0, typed.length - rest.length);
      const victims = await dispatcher.suggest('victims', bare ? typed : rest, 20);
      const words = bare && typed.length > 0
        ? dispatcher.commands.filter((c) => !c.hidden && c.name.startsWith(typed.toLowerCase()) && c.fallback !== 'unknown-word').map((c) => c.name)
        : [];
      choices = [...words.map((w) => ({ name: `${w} …`, value: w })), ...victims.map((v) => ({ name: `${prefix}${v.label}`, value: `${prefix}${v.label.replace(/ \(.*\)$/, '')}` }))];
    } else {
      choices = (await dispatcher.suggest('victims', typed, 25)).map((v) => ({ name: v.label, value: v.value }));
    }
    await i.respond(choices.filter((c) => c.value.length <= 100).slice(0, 25).map((c) => ({ name: fitText(c.name, 100), value: c.value })));
  }

  async function onButton(i: ButtonInteraction) {
    if (i.customId.startsWith(FORM_PREFIX)) return onDraftButton(i);
    if (i.customId.startsWith(SHARE_PREFIX)) {
      const text = i.customId.slice(SHARE_PREFIX.length);
      const reply = await dispatcher.invoke({ text, actor: actorOf(i), channel: channelOf(i), shared: true });
      if (reply.kind !== 'message') return;
      const by = actorOf(i).displayName ?? i.user.id;
      await i.reply(toDiscord(renderDiscord({ ...reply.message, blocks: [...reply.message.blocks, { type: 'context', text: `Shared by ${by}` }] })));
      return;
    }
    if (!i.customId.startsWith(BUTTON_PREFIX)) return;
    const text = i.customId.slice(BUTTON_PREFIX.length);
    const reply = await dispatcher.invoke({ text, actor: actorOf(i), channel: channelOf(i) });
    // Paging replaces the page; anything else is a new answer.
    const paging = dispatcher.route(text).command.paged ?? false;
    await answer(i, text, reply, paging ? 'update' : 'reply');
  }

  // The report form across modals: "bd-form:<draft>:page:<n>" opens page n,
  // ":record" stores it, ":cancel" drops it, ":answer" answers the question.
  async function onDraftButton(i: ButtonInteraction) {
    const [draftId = '', action = '', arg] = i.customId.slice(FORM_PREFIX.length).split(':');
    const draft = drafts.get(draftId);
    if (!draft) return i.reply({ content: 'This report form has expired; start again with /incident report.', flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    if (action === 'page') return i.showModal(pageModal(draft, Number(arg)));
    if (action === 'cancel') {
      drafts.delete(draft.id);
      return i.update({ content: 'Not recorded.', embeds: [], components: [], allowedMentions: { parse: [] } });
    }
    if (action === 'record') return record(i, draft);
  }

  async function onModal(i: ModalSubmitInteraction) {
    if (!i.customId.startsWith(FORM_PREFIX)) return;
    const [draftId = '', , pageText] = i.customId.slice(FORM_PREFIX.length).split(':');
    const draft = drafts.get(draftId);
    if (!draft) return i.reply({ content: 'This report form has expired; start again with /incident report.', flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    const page = Number(pageText);
    Object.assign(draft.values, valuesFromModal(i.fields.fields.values()));
    // Each field of this page checked now, so a mistake is fixed while it is in mind.
    const problems = (draft.pages[page] ?? []).flatMap((f) => {
      const error = dispatcher.checkField(draft.form.id, f.id, draft.values, draft.form.state);
      return error ? [`**${f.label}**: ${escapeDiscord(error)}`] : [];
    });
    const step = stepMessage(draft, page, problems);
    if (i.isFromMessage()) await i.update(step as never);
    else await i.reply({ ...step, flags: MessageFlags.Ephemeral } as never);
  }

  async function onSelect(i: StringSelectMenuInteraction) {
    if (!i.customId.startsWith(FORM_PREFIX)) return;
    const [draftId = ''] = i.customId.slice(FORM_PREFIX.length).split(':');
    const draft = drafts.get(draftId);
    if (!draft?.answerField) return i.reply({ content: 'This report form has expired; start again with /incident report.', flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    draft.values[draft.answerField] = i.values[0];
    return record(i, draft);
  }

  async function record(i: ButtonInteraction | StringSelectMenuInteraction, draft: Draft) {
    const outcome = await dispatcher.submit({
      formId: draft.form.id, values: draft.values, state: draft.form.state, actor: actorOf(i), channel: channelOf(i),
      // Pressed twice, or delivered twice: one incident.
      submissionKey: `discord:${draft.id}`,
    });
    if (outcome.kind === 'errors') {
      const problems = Object.entries(outcome.errors).map(([id, message]) => `**${draft.form.fields.find((f) => f.id === id)?.label ?? id}**: ${escapeDiscord(message)}`);
      const pages = [...new Set(Object.keys(outcome.errors).map((id) => draft.pages.findIndex((p) => p.some((f) => f.id === id))).filter((n) => n >= 0))];
      return i.update({
        content: fitText(`Not recorded yet — please fix:\n${problems.join('\n')}`, 2000),
        embeds: [],
        components: [{ type: 1, components: [
          ...pages.slice(0, 4).map((n) => ({ type: 2, style: 1, label: `Fix page ${n + 1}`, custom_id: `${FORM_PREFIX}${draft.id}:page:${n}` })),
          { type: 2, style: 2, label: 'Cancel', custom_id: `${FORM_PREFIX}${draft.id}:cancel` },
        ] }],
        allowedMentions: { parse: [] },
      } as never);
    }
    if (outcome.kind === 'question') {
      draft.answerField = outcome.answerField;
      Object.assign(draft.values, outcome.values);
      return i.update({
        content: fitText(escapeDiscord(outcome.question), 2000),
        embeds: [],
        components: [
          { type: 1, components: [{ type: 3, custom_id: `${FORM_PREFIX}${draft.id}:answer`, placeholder: fitText(outcome.questionLabel ?? 'Choose the victim', 150),
            options: outcome.choices.slice(0, 25).map((c) => ({ label: fitText(c.label, 100), value: c.value })) }] },
          { type: 1, components: [{ type: 2, style: 2, label: 'Cancel', custom_id: `${FORM_PREFIX}${draft.id}:cancel` }] },
        ],
        allowedMentions: { parse: [] },
      } as never);
    }
    drafts.delete(draft.id);
    if (outcome.reply.kind !== 'message') return;
    return i.update({ content: '', ...toDiscord(renderDiscord(outcome.reply.message)) });
  }

  function stepMessage(draft: Draft, page: number, problems: string[]): { content: string; embeds: []; components: object[]; allowedMentions: { parse: [] } } {
    const last = page >= draft.pages.length - 1;
    const next = Math.min(page + 1, draft.pages.length - 1);
    const filled = draft.form.fields.flatMap((f) => {
      const v = draft.values[f.id];
      const text = Array.isArray(v) ? v.join(', ') : v;
      return text ? [`**${f.label}**: ${escapeDiscord(fitText(text.replace(/\n/g, ' '), 120))}`] : [];
    });
    const lines = [
      `**${draft.form.title}** — page ${page + 1} of ${draft.pages.length} done.`,
      ...(problems.length ? ['', 'Please fix:', ...problems] : []),
      '', ...filled,
    ];
    const buttons = [
      ...(problems.length ? [{ type: 2, style: 1, label: `Fix page ${page + 1}`, custom_id: `${FORM_PREFIX}${draft.id}:page:${page}` }] : []),
      ...(!last ? [{ type: 2, style: problems.length ? 2 : 1, label: `Continue (page ${next + 1})`, custom_id: `${FORM_PREFIX}${draft.id}:page:${next}` }] : []),
      { type: 2, style: last && !problems.length ? 1 : 2, label: last ? 'Record' : 'Record now', custom_id: `${FORM_PREFIX}${draft.id}:record` },
      { type: 2, style: 2, label: 'Cancel', custom_id: `${FORM_PREFIX}${draft.id}:cancel` },
    ];
    return { content: fitText(lines.join('\n'), 2000), embeds: [], components: [{ type: 1, components: buttons }], allowedMentions: { parse: [] } };
  }

  const inFlight = new Set<Promise<unknown>>();
  client.on('interactionCreate', (interaction) => {
    const handled = interaction.isChatInputCommand() ? onCommand(interaction)
      : interaction.isAutocomplete() ? onAutocomplete(interaction)
        : interaction.isButton() ? onButton(interaction)
          : interaction.isModalSubmit() ? onModal(interaction)
            : interaction.isStringSelectMenu() ? onSelect(interaction)
              : Promise.resolve();
    // Tracked so that stop() lets every interaction in flight finish, reply included.
    const settled = Promise.resolve(handled).catch((error: unknown) => log.error('discord interaction failed', { interaction: interaction.id, error }));
    inFlight.add(settled);
    void settled.finally(() => inFlight.delete(settled));
  });
  client.on('error', (error) => log.error('discord client error', { error }));
  guardInteractions(client, log);

  return {
    platform: 'discord',
    alertSender: discordAlertSender({ token: options.token, apiUrl: options.apiUrl }),
    async start() {
      const ready = new Promise<void>((resolve) => client.once('clientReady', () => resolve()));
      await client.login(options.token);
      await ready;
      log.info('discord connected', { user: client.user?.tag ?? '' });
    },
    async stop() {
      await Promise.allSettled([...inFlight]);
      await client.destroy();
    },
    health: () => client.ws.shards.size > 0 && client.ws.shards.every((shard) => shard.status === Status.Ready),
    async workspaceOf(channelId) {
      const channel = await client.rest.get(Routes.channel(channelId)) as { guild_id?: string };
      return channel.guild_id ?? null;
    },
  };
}

