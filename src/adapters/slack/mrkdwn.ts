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
