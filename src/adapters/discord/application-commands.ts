import { PermissionFlagsBits, REST, Routes } from 'discord.js';
import type { Command } from '../../chat/command.js';
import { fitText } from '../../chat/text.js';

/** The Discord command that carries every neutral command typed as text: `/incident odessa`. */
export const INCIDENT = 'incident';
/** The message context-menu command: "Report as incident" on any message opens the report form from it. */
export const REPORT_MESSAGE = 'Report as incident';
/** Commands that manage a channel get their own Discord command, guarded by Manage Channels. */
export const managingCommandName = (command: Command) => `${INCIDENT}-${command.name}`;

/**
 * The application commands, built from the neutral definitions: `/incident` with one
 * free-text, autocompleted option; "Report as incident" on a message; and
 * `/incident-alerts`, `/incident-watch`, `/incident-unwatch` with Manage Channels as
 * their default permission.
 */
export function applicationCommands(commands: readonly Command[]) {
  const guildOnly = { contexts: [0], integration_types: [0] };
  return [
    {
      name: INCIDENT,
      type: 1,
      description: 'Look up victims and incidents (odessa, click2gov, INC-2020-0001), or: report, repeats, help',
      ...guildOnly,
      options: [{ type: 3, name: 'query', description: 'A victim, vendor or reference — or report, repeats, help', required: false, autocomplete: true, max_length: 200 }],
    },
    // A message command (type 3) has a name and no description.
    { name: REPORT_MESSAGE, type: 3, ...guildOnly },
    ...commands.filter((c) => c.managesChannel).map((c) => ({
      name: managingCommandName(c),
      type: 1,
      description: fitText(c.description, 100),
      default_member_permissions: String(PermissionFlagsBits.ManageChannels),
      ...guildOnly,
      options: c.argument ? [{
        type: 3,
        name: c.argument.name,
        description: fitText(c.argument.description, 100),
        required: c.argument.required,
        ...(c.argument.choices ? { choices: c.argument.choices.map((v) => ({ name: v, value: v })) } : {}),
        ...(c.argument.suggest ? { autocomplete: true } : {}),
        max_length: 200,
      }] : [],
    })),
  ];
}

/** Registers the commands globally, or for one guild while developing (instant, no cache delay). */
export async function registerCommands(
  commands: readonly Command[],
  options: { token: string; applicationId: string; guildId?: string; apiUrl?: string },
): Promise<{ registered: string[]; scope: string }> {
  const rest = new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
  const body = applicationCommands(commands);
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  await rest.put(route, { body });
  return { registered: body.map((c) => (c.type === 3 ? `"${c.name}" on messages` : `/${c.name}`)), scope: options.guildId ? `guild ${options.guildId}` : 'every guild (global)' };
}

/**
 * View Channel, Send Messages, Embed Links: what posting alerts needs; Read Message
 * History: what a later alert needs to reply to the victim's first one.
 */
export const BOT_PERMISSIONS = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.EmbedLinks
  | PermissionFlagsBits.ReadMessageHistory;

/** The URL a server admin opens to add the bot. */
export function inviteUrl(applicationId: string): string {
  return `https://discord.com/oauth2/authorize?client_id=${applicationId}&scope=bot+applications.commands&permissions=${BOT_PERMISSIONS}`;
}
