import { z } from 'zod';
import { scrubText } from './redaction.js';

const SECRET_VARIABLES = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'DISCORD_TOKEN', 'DATABASE_URL'] as const;

/**
 * A whole number from `min` to `max`, said as a person would check it: "abc", "1.5",
 * "-1" and "1e3" all get the one sentence, never zod's "expected number, received NaN".
 */
const wholeNumber = (min: number, max: number, message: string) => z.coerce.string().trim()
  .regex(/^\d+$/, { message })
  .transform(Number)
  .pipe(z.number().min(min, { message }).max(max, { message }));

/** One of a few words, any case. */
const oneOf = <const T extends readonly [string, ...string[]]>(words: T) => z.string().trim().toLowerCase()
  .pipe(z.enum(words, { error: `must be one of ${words.join(', ')}` }));

/** "U123, S456 W789": ids separated by commas or spaces, each matching `id`. */
const idList = (id: RegExp, what: string) => z.string().trim()
  .transform((v) => v.split(/[\s,]+/).filter(Boolean))
  .refine((ids) => ids.every((i) => id.test(i)), { message: `must be ${what}, separated by commas` });

const tlpLevel = z.string().trim().toLowerCase().transform((v) => v.replace(/^tlp:/, '').replace(/^white$/, 'clear'))
  .pipe(z.enum(['clear', 'green', 'amber', 'amber+strict', 'red'], { error: 'must be one of clear, green, amber, amber+strict, red' }));

const PORT_MESSAGE = 'must be a port number from 0 to 65535 (0 takes any free port) or off (no HTTP server), e.g. 3000';

/** "0,1", "2 3" or "0-3": whole numbers and ranges of them, separated by commas or spaces. */
const shardIds = z.string().trim()
  .regex(/^\d{1,5}(-\d{1,5})?([\s,]+\d{1,5}(-\d{1,5})?)*$/, { message: 'must be shard ids such as 0,1 or ranges such as 0-3, separated by commas' })
  .transform((v) => [...new Set(v.split(/[\s,]+/).flatMap((part) => {
    const [from, to = from] = part.split('-').map(Number) as [number, number?];
    return Array.from({ length: Math.max(0, to - from + 1) }, (_, n) => from + n);
  }))])
  .refine((ids) => ids.length > 0, { message: 'must name at least one shard: a range runs from the lower id to the higher, e.g. 0-3' });

const trueOrFalse = z.string().trim().toLowerCase()
  .pipe(z.enum(['1', 'true', 'yes', '0', 'false', 'no'], { error: 'must be true or false (1 or 0), e.g. true' }))
  .transform((v) => ['1', 'true', 'yes'].includes(v));

const variables = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .refine((v) => /^(postgres(ql)?:\/\/|pglite:)/.test(v), {
      message: 'must start with postgres://, postgresql:// or pglite: (e.g. pglite:memory)',
    })
    .optional(),
  REPEAT_WINDOW_DAYS: wholeNumber(1, 36_500, 'must be a whole number of days from 1 to 36500, e.g. 365').default(365),
  /** Unset: info for chat surfaces, warn in the terminal shell (its output is the conversation). */
  LOG_LEVEL: oneOf(['debug', 'info', 'warn', 'error', 'silent']).optional(),
  /** Unset: pretty lines when standard error is a terminal, JSON lines otherwise. */
  LOG_FORMAT: oneOf(['json', 'pretty']).optional(),
  /** When daily alert digests go out (UTC hour). */
  ALERT_DIGEST_HOUR_UTC: wholeNumber(0, 23, 'must be an hour of the day (UTC) from 0 to 23, e.g. 9').default(9),
  /** How long a process holds a claimed alert before another may take it over (after a crash). */
  ALERT_LEASE_SECONDS: wholeNumber(1, 3600, 'must be a whole number of seconds from 1 to 3600, e.g. 60').default(60),
  /** Slack channel id subscribed to repeat-breach alerts at start, for simple deployments. */
  SLACK_ALERT_CHANNEL: z.string().trim().regex(/^[CG][A-Z0-9]{2,}$/, { message: 'must be a Slack channel id such as C0123456789' }).optional(),
  /** Discord channel id subscribed to repeat-breach alerts at start, for simple deployments. */
  DISCORD_ALERT_CHANNEL: z.string().trim().regex(/^\d{5,25}$/, { message: 'must be a Discord channel id (digits)' }).optional(),
  /**
   * HTTP port for Slack's requests (HTTP mode), /healthz and /metrics. Unset means
   * 3000 when a chat surface runs, and no HTTP server at all for the terminal shell alone.
   * 0 takes any free port (logged at start), `off` serves no HTTP: so that several
   * processes share one host.
   */
  PORT: z.union([z.string().trim().toLowerCase().pipe(z.literal('off')), wholeNumber(0, 65_535, PORT_MESSAGE)], { error: PORT_MESSAGE }).optional(),
  /**
   * Feeds may be fetched from private, loopback and link-local addresses (a mirror inside
   * the network). Off by default: a feed's URL is typed in chat, and the bot must not be
   * made to fetch from its own network.
   */
  FEEDS_ALLOW_PRIVATE: trueOrFalse.default(false),
  /**
   * Statements go to a PostgreSQL server as named prepared statements, planned once per
   * connection. `false` for a pooler that cannot keep them (PgBouncer in transaction
   * mode before 1.21, or without max_prepared_statements). On embedded PGlite its thread
   * names them (db/pglite-prepared.ts); `false` turns that off too.
   */
  DATABASE_PREPARED_STATEMENTS: trueOrFalse.default(true),
  /** Chat commands run at once after their acknowledgement; unset: 8 on a PostgreSQL server, 4 on embedded PGlite. */
  COMMAND_CONCURRENCY: wholeNumber(1, 64, 'must be a whole number of commands from 1 to 64, e.g. 8').optional(),
  /** Where the bot itself writes a nightly backup of the ledger (one file a day); unset: none. */
  BACKUP_DIR: z.string().trim().min(1).optional(),
  /** The UTC hour of the nightly backup. */
  BACKUP_HOUR_UTC: wholeNumber(0, 23, 'must be an hour from 0 to 23, e.g. 3').default(3),
  /** How many nightly backups are kept (the oldest are removed). */
  BACKUP_KEEP: wholeNumber(1, 3650, 'must be a number of backups from 1 to 3650, e.g. 14').default(14),
  /** How long SIGTERM/SIGINT waits for commands and deliveries in flight before exiting anyway. */
  SHUTDOWN_GRACE_SECONDS: wholeNumber(1, 600, 'must be a whole number of seconds from 1 to 600, e.g. 10').default(10),
  SLACK_BOT_TOKEN: z.string().trim().regex(/^xoxb-/, { message: 'must be a bot token (xoxb-…)' }).optional(),
  SLACK_SIGNING_SECRET: z.string().trim().min(16, { message: 'looks too short for a signing secret' }).optional(),
  SLACK_APP_TOKEN: z.string().trim().regex(/^xapp-/, { message: 'must be an app-level token (xapp-…) for Socket Mode' }).optional(),
  /** Web API base: GovSlack, a corporate proxy, or a fake in tests. */
  SLACK_API_URL: z.url({ message: 'must be a URL such as https://slack.com/api/' }).optional(),
  DISCORD_TOKEN: z.string().trim().min(20, { message: 'looks too short for a bot token' }).optional(),
  DISCORD_APPLICATION_ID: z.string().trim().regex(/^\d{5,25}$/, { message: 'must be the application id (digits)' }).optional(),
  /** Registers the commands in one server only, instantly: for development. */
  DISCORD_GUILD_ID: z.string().trim().regex(/^\d{5,25}$/, { message: 'must be a server id (digits)' }).optional(),
  /** REST base: a rate-limit proxy at scale, or a fake in tests. */
  DISCORD_API_URL: z.url({ message: 'must be a URL such as https://discord.com/api' }).optional(),
  /** Discord gateway shards in all, across every process (discord.js's `shardCount`); unset: one. */
  SHARD_COUNT: wholeNumber(1, 10_000, 'must be the number of Discord gateway shards in all, a whole number from 1 to 10000, e.g. 2').optional(),
  /** The shards this process runs ("0,1" or "0-3"); unset: all SHARD_COUNT of them. */
  SHARD_IDS: shardIds.optional(),
  /** Who may report and edit their own incidents (Slack user ids U…/W…, user groups S…); unset: everyone. */
  SLACK_REPORTERS: idList(/^[UWS][A-Z0-9]{2,}$/, 'Slack user ids (U…) or user group ids (S…)').optional(),
  /** Who may manage Slack channels' alerts and change any incident; unset: anyone may manage alerts. */
  SLACK_ADMINS: idList(/^[UWS][A-Z0-9]{2,}$/, 'Slack user ids (U…) or user group ids (S…)').optional(),
  /** Who may report on Discord: user or role ids; unset: everyone. */
  DISCORD_REPORTERS: idList(/^\d{5,25}$/, 'Discord user or role ids (digits)').optional(),
  /** Who may change any incident on Discord (alerts still need Manage Channels): user or role ids. */
  DISCORD_ADMINS: idList(/^\d{5,25}$/, 'Discord user or role ids (digits)').optional(),
  /** The TLP marking of a report that names none. */
  TLP_DEFAULT: tlpLevel.default('green'),
  /** What a channel may be shown until /incident clearance sets it (RED never goes to a channel). */
  CHANNEL_CLEARANCE_DEFAULT: tlpLevel.refine((v) => v !== 'red', { message: 'cannot be red: RED is never posted to a channel' })
    .transform((v) => v).default('green'),
});

/** Every variable breachdesk reads (`.env.example` documents each). */
export const CONFIG_VARIABLES = Object.keys(variables.shape);

/**
 * What the terminal says about the person at it: read here with the rest, so that
 * nothing else reads `process.env`, but no setting of breachdesk's (`.env.example` leaves them out).
 */
const terminalVariables = z.object({
  /** Who runs the command line, for the audit log (`cli` when unset). */
  USER: z.string().optional(),
  /** Set to anything: no colour in the terminal (no-color.org). */
  NO_COLOR: z.string().optional(),
});

const envSchema = variables.extend(terminalVariables.shape).superRefine((env, ctx) => {
  const slack = env.SLACK_BOT_TOKEN ?? env.SLACK_SIGNING_SECRET ?? env.SLACK_APP_TOKEN;
  if (slack && !env.SLACK_BOT_TOKEN) ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'is needed for Slack (xoxb-…)' });
  if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
    ctx.addIssue({ code: 'custom', path: ['SLACK_SIGNING_SECRET'], message: 'or SLACK_APP_TOKEN is needed: the signing secret for HTTP mode, the app token for Socket Mode' });
  }
  if (env.PORT === 'off' && env.SLACK_BOT_TOKEN && !env.SLACK_APP_TOKEN) {
    ctx.addIssue({ code: 'custom', path: ['PORT'], message: "cannot be off in Slack's HTTP mode, where Slack's requests arrive on it: give each process its own port, or use Socket Mode (SLACK_APP_TOKEN)" });
  }
  // Checked only once both parsed: a malformed one has its own sentence already.
  const ids = Array.isArray(env.SHARD_IDS) ? env.SHARD_IDS : undefined;
  if (ids && env.SHARD_COUNT === undefined) {
    ctx.addIssue({ code: 'custom', path: ['SHARD_IDS'], message: 'needs SHARD_COUNT, the number of shards in all, e.g. SHARD_COUNT=2 SHARD_IDS=0' });
  } else if (ids && typeof env.SHARD_COUNT === 'number' && ids.some((id) => id >= env.SHARD_COUNT!)) {
    ctx.addIssue({ code: 'custom', path: ['SHARD_IDS'], message: `must be shard ids from 0 to ${env.SHARD_COUNT - 1}, below SHARD_COUNT` });
  }
});

export type Config = Readonly<z.infer<typeof envSchema>>;

/** Whether Discord is configured. */
export function discordEnabled(config: Config): boolean {
  return config.DISCORD_TOKEN !== undefined;
}

/** How Slack reaches the bot, or null when Slack is not configured. */
export function slackMode(config: Config): 'socket' | 'http' | null {
  if (!config.SLACK_BOT_TOKEN) return null;
  return config.SLACK_APP_TOKEN ? 'socket' : 'http';
}

/** The HTTP port: PORT, 3000 when it is not set, null when it is off. */
export function httpPort(config: Config): number | null {
  return config.PORT === 'off' ? null : config.PORT ?? DEFAULT_PORT;
}
export const DEFAULT_PORT = 3000;

/** The secret values of this configuration, for the logger to scrub wherever they appear. */
export function secretsOf(config: Config): string[] {
  const password = config.DATABASE_URL && /^postgres/.test(config.DATABASE_URL) ? passwordOf(config.DATABASE_URL) : undefined;
  return [config.SLACK_BOT_TOKEN, config.SLACK_SIGNING_SECRET, config.SLACK_APP_TOKEN, config.DISCORD_TOKEN, password]
    .filter((s): s is string => typeof s === 'string' && s.length > 0);
}

function passwordOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

/** Thrown with every problem of the environment at once, one sentence each ("PORT must be …"). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/**
 * Parses the environment once. Nothing else in breachdesk reads `process.env`.
 *
 * @example
 *   const config = loadConfig(process.env);
 *   config.REPEAT_WINDOW_DAYS; // 365 unless set
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most shells' `FOO= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    // Messages name the variable and what it must look like, never its value; the scrub is a second lock.
    const secrets = SECRET_VARIABLES.map((name) => present[name]).filter((v): v is string => typeof v === 'string');
    // Each message continues the variable's name as a sentence: "REPEAT_WINDOW_DAYS must be …".
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')} ${scrubText(i.message, secrets)}`));
  }
  return Object.freeze(parsed.data);
}
