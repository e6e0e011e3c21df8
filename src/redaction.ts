/**
 * Secrets never reach a log line: known keys are redacted by pino (`REDACT_PATHS`),
 * and values that look like a secret are scrubbed wherever they appear (`scrub`):
 * Slack tokens, Discord bot tokens, `Bearer`/`Bot` credentials, passwords inside URLs
 * or connection strings, and the exact secrets this process was configured with.
 */

export const REDACTED = '[redacted]';

/** Field names whose value is a secret whatever it looks like. */
const SECRET_KEYS = [
  'token', 'botToken', 'appToken', 'accessToken', 'refreshToken', 'signingSecret', 'clientSecret', 'secret',
  'password', 'authorization', 'Authorization', 'cookie', 'apiKey',
  'SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET', 'DISCORD_TOKEN', 'DATABASE_URL', 'TEST_DATABASE_URL',
];

/** pino `redact` paths: each key at the top and two levels down (`headers.authorization`, `config.db.password`). */
export const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

const PATTERNS: [RegExp, string][] = [
  // Slack: bot, user, app-level, refresh and config tokens (xoxb-, xoxp-, xapp-, xoxe.xoxp-…).
  [/\bx(?:ox[a-z](?:\.xox[a-z])?|app)-[A-Za-z0-9-]+/gi, REDACTED],
  // Discord bot token: base64 user id . timestamp . HMAC.
  [/\b[A-Za-z\d_-]{23,28}\.[A-Za-z\d_-]{6,7}\.[A-Za-z\d_-]{27,40}\b/g, REDACTED],
  // Authorization header values written out.
  [/\b(Bearer|Bot|Basic)\s+[A-Za-z0-9._~+/=-]{20,}/g, `$1 ${REDACTED}`],
  // A password inside a URL: postgres://user:pw@host → postgres://user:[redacted]@host.
  [/\b([a-z][a-z\d+.-]*:\/\/[^\s:/?#@]*:)[^\s/?#@]*@/gi, `$1${REDACTED}@`],
  // libpq key=value strings and the like: password=…, secret: ….
  [/\b(password|passwd|pwd|secret)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&]+)/gi, `$1$2${REDACTED}`],
];

/** Replaces anything in a text that looks like a secret, and every known secret value. */
export function scrubText(text: string, known: readonly string[] = []): string {
  let out = text;
  for (const secret of known) if (secret.length >= 8) out = out.split(secret).join(REDACTED);
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * A copy of a log field fit to print: strings scrubbed, errors reduced to their type,
 * message and code (the stack only when asked for, at debug level), cycles and depth cut.
 */
export function scrub(value: unknown, options: { known?: readonly string[]; withStack?: boolean } = {}, depth = 0, seen = new WeakSet<object>()): unknown {
  const known = options.known ?? [];
  if (typeof value === 'string') return scrubText(value, known);
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? value.toString() : value;
  if (seen.has(value)) return '[circular]';
  if (depth > 6) return '[…]';
  seen.add(value);
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return {
      type: value.name,
      message: scrubText(value.message, known),
      ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
      ...(options.withStack && value.stack ? { stack: scrubText(value.stack, known) } : {}),
      ...(value.cause !== undefined ? { cause: scrub(value.cause, options, depth + 1, seen) } : {}),
    };
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => scrub(v, options, depth + 1, seen));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, options, depth + 1, seen)]));
}
