import { escapeMarkdown } from 'discord.js';
import { balancedBidi } from '../../presentation/bidi-isolation.js';

/**
 * Text people wrote, made inert for Discord: markdown escaped, and mention syntax
 * (`@everyone`, `@here`, `<@…>`, `<@&…>`, `<#…>`) broken so it neither pings nor
 * renders as a mention. Messages are also sent with `allowed_mentions` empty. A
 * direction control left open is taken out, so it cannot turn the rest of the line around.
 */
export function escapeDiscord(text: string): string {
  return escapeMarkdown(balancedBidi(text))
    // Brackets too: a masked link [label](url) of theirs must stay text.
    .replace(/[[\]]/g, '\\$&')
    .replace(/@(everyone|here)/gi, '@\u200b$1')
    .replace(/<(?=[@#:a!/])/g, '<\u200b');
}

/** A masked link whose URL cannot break out of `[label](url)`. */
export function discordLink(url: string, label: string): string {
  // A backslash too: `\)` would escape the closing parenthesis and run the link into the next.
  const safeUrl = url.replace(/[()<>\\\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `[${escapeDiscord(label.replace(/[[\]]/g, ''))}](${safeUrl})`;
}

/**
 * A message's markdown as plain text, for a report made from it: a masked link
 * `[label](url)` is "label (url)", `<url>` the url, `<@1>` "@1", `<#1>` "#1".
 */
export function plainFromDiscord(text: string): string {
  return text
    .replace(/\[([^\]]+)\]\(<?(https?:[^)>\s]+)>?\)/g, '$1 ($2)')
    .replace(/<(https?:[^>\s]+)>/g, '$1')
    .replace(/<@[!&]?(\d+)>/g, '@$1')
    .replace(/<#(\d+)>/g, '#$1');
}
