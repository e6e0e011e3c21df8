import { balancedBidi } from '../../presentation/bidi-isolation.js';

/**
 * Text people wrote, made inert for Slack's mrkdwn: `&`, `<` and `>` are the only
 * characters Slack's parser needs escaped, and escaping them turns `<!channel>`,
 * `<@U123>` or a forged `<https://evil|bank>` link into plain text. A direction
 * control left open is taken out, so it cannot turn the rest of the line around.
 */
export function escapeMrkdwn(text: string): string {
  return balancedBidi(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A link whose URL and label cannot break out of `<url|label>`. */
export function mrkdwnLink(url: string, label: string): string {
  // `&` as an entity too: Slack decodes it in URLs, and a bare one could read as the start of `&lt;`.
  const safeUrl = url.replace(/[<>|\s]/g, (c) => encodeURIComponent(c)).replace(/&/g, '&amp;');
  const safeLabel = escapeMrkdwn(label).replace(/\|/g, '¦');
  return `<${safeUrl}|${safeLabel}>`;
}

/**
 * A message's mrkdwn as plain text, for a report made from it: `<url|label>` is
 * "label (url)", `<url>` the url, `<@U1>` "@U1", `<#C1|soc>` "#soc", and the three
 * escaped characters are themselves again.
 */
export function plainFromMrkdwn(text: string): string {
  return text
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<((?:https?|mailto):[^>]+)>/g, '$1')
    .replace(/<#[A-Z0-9]+\|([^>]+)>/g, '#$1')
    .replace(/<[@#!]([^|>]+)(?:\|[^>]*)?>/g, '@$1')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
