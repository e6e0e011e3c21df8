import { escapeMarkdown } from 'discord.js';

/**
 * Text people wrote, made inert for Discord: markdown escaped, and mention syntax
 * (`@everyone`, `@here`, `<@…>`, `<@&…>`, `<#…>`) broken so it neither pings nor
 * renders as a mention. Messages are also sent with `allowed_mentions` empty.
 */
export function escapeDiscord(text: string): string {
  return escapeMarkdown(text)
    .replace(/@(everyone|here)/gi, '@\u200b$1')
    .replace(/<(?=[@#:a!/])/g, '<\u200b');
}

/** A masked link whose URL cannot break out of `[label](url)`. */
export function discordLink(url: string, label: string): string {
  const safeUrl = url.replace(/[()<>\s]/g, (c) => encodeURIComponent(c));
  return `[${escapeDiscord(label).replace(/[[\]]/g, '')}](${safeUrl})`;
}
