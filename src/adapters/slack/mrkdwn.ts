/**
 * Text people wrote, made inert for Slack's mrkdwn: `&`, `<` and `>` are the only
 * characters Slack's parser needs escaped, and escaping them turns `<!channel>`,
 * `<@U123>` or a forged `<https://evil|bank>` link into plain text.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A link whose URL and label cannot break out of `<url|label>`. */
export function mrkdwnLink(url: string, label: string): string {
  const safeUrl = url.replace(/[<>|\s]/g, (c) => encodeURIComponent(c));
  const safeLabel = escapeMrkdwn(label).replace(/\|/g, '¦');
  return `<${safeUrl}|${safeLabel}>`;
}
