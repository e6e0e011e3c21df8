import { Client, GatewayIntentBits, MessageFlags, Options, PermissionFlagsBits, Routes, Status } from 'discord.js';
import type { AutocompleteInteraction, ButtonInteraction, ChatInputCommandInteraction, Interaction, MessageContextMenuCommandInteraction } from 'discord.js';
import type { Actor, ChannelRef } from '../../identity.js';
import type { Reply } from '../../chat/reply.js';
import type { Dispatcher } from '../../chat/dispatcher.js';
import type { Message } from '../../presentation/message.js';
import { fitText } from '../../chat/text.js';
import type { Logger } from '../../log.js';
import { INCIDENT, REPORT_MESSAGE } from './application-commands.js';
import { plainFromDiscord } from './markdown.js';
import { BUTTON_PREFIX, SHARE_PREFIX, renderDiscord } from './embeds.js';
import { guardInteractions } from './interaction-guard.js';
import type { DiscordMessage } from './embeds.js';
import { FORM_PREFIX, pageModal, reportDrafts } from './report-draft.js';
import { createReportDraftFlow } from './report-draft-flow.js';
import { discordAlertSender } from './discord-alerts.js';
import { timelineFiles } from './timeline-files.js';
import type { ChatSurface } from '../surface.js';
import type { DraftStore } from '../../drafts/draft-store.js';

export interface DiscordSurfaceOptions {
  dispatcher: Dispatcher;
  log: Logger;
  token: string;
  /** REST base, e.g. a rate-limit proxy at scale, or a fake in tests. */
  apiUrl?: string;
  /** Where report forms are kept between modals: shared by every process, so any of them can carry on with one. */
  drafts: DraftStore;
  /** The gateway shards this process runs (SHARD_IDS, all when unset) of `count` in all (SHARD_COUNT); unset, the one shard. */
  shards?: { count: number; ids?: readonly number[] };
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
  const drafts = reportDrafts(options.drafts);
  const shardCount = options.shards?.count ?? 1;
  const client = new Client({
    // Always named, so that discord.js never falls back to reading SHARDS from the environment itself.
    shards: [...(options.shards?.ids ?? Array.from({ length: shardCount }, (_, n) => n))],
    shardCount,
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
  // With the timeline pictures drawn and attached (the embeds name them as attachment://…).
  const withPictures = async (m: DiscordMessage) => {
    const { message, files } = await timelineFiles(m, log);
    return { ...toDiscord(message), files: files.map((f) => ({ attachment: f.data, name: f.name, description: f.description })) };
  };
  const rendered = (message: Message, shareCommand: string | null) => {
    const share = shareCommand && `${SHARE_PREFIX}${shareCommand}`.length <= 100 ? [{ label: 'Share in channel', customId: `${SHARE_PREFIX}${shareCommand}` }] : [];
    return withPictures(renderDiscord(message, share));
  };
  const shareable = (text: string) => (dispatcher.route(text).command.shareable ? text : null);
  const draftFlow = createReportDraftFlow({ dispatcher, drafts, actorOf, channelOf, toDiscord });

  async function answer(i: ChatInputCommandInteraction | MessageContextMenuCommandInteraction | ButtonInteraction, text: string, reply: Reply, how: 'reply' | 'update' = 'reply') {
    if (reply.kind === 'form') {
      const draft = await drafts.create(reply.form);
      await i.showModal(pageModal(draft, 0));
      return;
    }
    const body = await rendered(reply.message, reply.visibility === 'private' ? shareable(text) : null);
    // A page replaces the one before, pictures included.
    if (how === 'update' && i.isButton()) await i.update({ ...body, attachments: [] });
    else await i.reply({ ...body, ...(reply.visibility === 'private' ? { flags: MessageFlags.Ephemeral } : {}) });
  }

  async function onCommand(i: ChatInputCommandInteraction) {
    const text = i.commandName === INCIDENT
      ? String(i.options.get('query')?.value ?? '')
      : `${i.commandName.slice(INCIDENT.length + 1)} ${i.options.data.map((o) => String(o.value ?? '')).join(' ')}`;
    await answer(i, text, await dispatcher.invoke({ text, actor: actorOf(i), channel: channelOf(i) }));
  }

  // "Report as incident" on a message: the report form, prefilled from it.
  async function onMessageCommand(i: MessageContextMenuCommandInteraction) {
    if (i.commandName !== REPORT_MESSAGE) return;
    const posted = { text: plainFromDiscord(i.targetMessage.content ?? ''), link: i.guildId ? `https://discord.com/channels/${i.guildId}/${i.targetMessage.channelId}/${i.targetMessage.id}` : null };
    await answer(i, '', dispatcher.reportMessage({ posted, actor: actorOf(i), channel: channelOf(i) }));
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
    if (i.customId.startsWith(FORM_PREFIX)) return draftFlow.onButton(i);
    if (i.customId.startsWith(SHARE_PREFIX)) {
      const text = i.customId.slice(SHARE_PREFIX.length);
      const reply = await dispatcher.invoke({ text, actor: actorOf(i), channel: channelOf(i), shared: true });
      if (reply.kind !== 'message') return;
      const by = actorOf(i).displayName ?? i.user.id;
      await i.reply(await withPictures(renderDiscord({ ...reply.message, blocks: [...reply.message.blocks, { type: 'context', text: `Shared by ${by}` }] })));
      return;
    }
    if (!i.customId.startsWith(BUTTON_PREFIX)) return;
    const text = i.customId.slice(BUTTON_PREFIX.length);
    const reply = await dispatcher.invoke({ text, actor: actorOf(i), channel: channelOf(i) });
    // Paging replaces the page; anything else is a new answer.
    const paging = dispatcher.route(text).command.paged ?? false;
    await answer(i, text, reply, paging ? 'update' : 'reply');
  }

  const inFlight = new Set<Promise<unknown>>();
  client.on('interactionCreate', (interaction) => {
    const handled = interaction.isChatInputCommand() ? onCommand(interaction)
      : interaction.isMessageContextMenuCommand() ? onMessageCommand(interaction)
        : interaction.isAutocomplete() ? onAutocomplete(interaction)
          : interaction.isButton() ? onButton(interaction)
            : interaction.isModalSubmit() ? draftFlow.onModal(interaction)
              : interaction.isStringSelectMenu() ? draftFlow.onSelect(interaction)
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
      log.info('discord connected', { user: client.user?.tag ?? '', shards: [...client.ws.shards.keys()], shardCount });
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

