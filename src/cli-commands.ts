// What each command of `breachdesk` takes: its usage, options and examples. The
// argument parser and `--help` both read this, so the help never lists an option the
// parser refuses, nor misses one it accepts.

export interface OptionSynopsis {
  type: 'boolean' | 'string';
  /** The placeholder of a string option's value in the help: `--limit N`. */
  value?: string;
  help: string;
}

export interface CommandSynopsis {
  /** One line: what the command does. */
  summary: string;
  /** How it is called, one line a form. */
  usage: string[];
  /** Whether it takes arguments besides its options (a query, files, references). */
  positionals: boolean;
  options: Record<string, OptionSynopsis>;
  /** What a person would type, first the simplest. */
  examples: string[];
  /** Anything further worth a line. */
  notes?: string[];
}

const json = { type: 'boolean', help: 'print JSON for programs (docs/command-line.md)' } as const satisfies OptionSynopsis;
const tlpMarks = { type: 'string', value: 'LEVEL', help: 'the marking of records that carry none: clear, green, amber, amber+strict or red (default TLP_DEFAULT)' } as const satisfies OptionSynopsis;
const alerts = { type: 'boolean', help: 'queue repeat-breach alerts for incidents within the repeat window of today' } as const satisfies OptionSynopsis;

export const COMMANDS = {
  start: {
    summary: 'run the bot: Slack and Discord as configured, else the terminal shell',
    usage: ['breachdesk start [--shell]'],
    positionals: false,
    options: { shell: { type: 'boolean', help: 'the terminal shell, even when chat credentials are set' } },
    examples: ['breachdesk start', 'breachdesk start --shell'],
  },
  migrate: {
    summary: 'apply pending database migrations',
    usage: ['breachdesk migrate'],
    positionals: false,
    options: {},
    examples: ['DATABASE_URL=postgres://breachdesk@db/breachdesk breachdesk migrate'],
  },
  search: {
    summary: 'victims by name or alias, incidents by text, or one incident by reference',
    usage: ['breachdesk search <query> [--json] [--limit N] [--cursor C]'],
    positionals: true,
    options: {
      json,
      limit: { type: 'string', value: 'N', help: 'victims a page (1 to 50; default 5)' },
      cursor: { type: 'string', value: 'C', help: 'the next page: the cursor the previous page ended with' },
    },
    examples: ['breachdesk search odessa', 'breachdesk search click2gov --json', 'breachdesk search INC-2020-0001'],
  },
  timeline: {
    summary: "a victim's incidents on a time axis: one line of text, or a PNG picture with --png",
    usage: ['breachdesk timeline <victim> [--png FILE] [--theme light|dark] [--tlp LEVEL] [--json]'],
    positionals: true,
    options: {
      png: { type: 'string', value: 'FILE', help: 'write the picture (800×200 PNG) to FILE' },
      theme: { type: 'string', value: 'THEME', help: 'light (default) or dark' },
      tlp: { type: 'string', value: 'LEVEL', help: 'draw only incidents marked up to LEVEL: clear, green, amber, amber+strict or red (default all)' },
      json,
    },
    examples: ['breachdesk timeline odessa', 'breachdesk timeline "City of Odessa" --png odessa.png', 'breachdesk timeline #12 --png t.png --theme dark --tlp green'],
  },
  report: {
    summary: 'record one incident (JSON) from FILE or standard input, with its repeat-breach verdict',
    usage: ['breachdesk report [--json] [--same-as INC-…] [--new-incident] [--key K] [FILE]'],
    positionals: true,
    options: {
      json,
      'same-as': { type: 'string', value: 'INC-…', help: 'a further report of that incident' },
      'new-incident': { type: 'boolean', help: 'never joined to an incident it looks like' },
      key: { type: 'string', value: 'K', help: 'what makes this submission one: run again with the same key, nothing new is recorded (default: its content)' },
    },
    examples: [
      'breachdesk report incident.json',
      `echo '{"victim":{"name":"Odessa, TX"},"startDate":"2020-09","summary":"Card skimming again","vendor":"Click2Gov"}' | breachdesk report`,
    ],
    notes: [
      'One that looks like a known incident of the victim joins it as a further report.',
      'The same submission run twice is recorded once; the second run says where it already is.',
      'The JSON fields: docs/command-line.md, "An incident submission".',
    ],
  },
  repeats: {
    summary: 'victims breached again within the repeat window',
    usage: ['breachdesk repeats [--window-days N] [--json]'],
    positionals: false,
    options: { 'window-days': { type: 'string', value: 'N', help: 'the window in days (default REPEAT_WINDOW_DAYS, 365)' }, json },
    examples: ['breachdesk repeats', 'breachdesk repeats --window-days 730 --json'],
  },
  'seed-demo': {
    summary: 'load the demo incidents (the City of Odessa and others); a second time adds nothing',
    usage: ['breachdesk seed-demo'],
    positionals: false,
    options: {},
    examples: ['breachdesk seed-demo'],
  },
  alerts: {
    summary: 'pending, sent and failed alert deliveries per channel',
    usage: ['breachdesk alerts status [--json]'],
    positionals: true,
    options: { json },
    examples: ['breachdesk alerts status'],
  },
  import: {
    summary: 'import incidents from VERIS JSON, the CSV layout, or a public register (HHS, Have I Been Pwned, a ransomware tracker)',
    usage: [
      'breachdesk import veris <dir-or-files…> [--alerts] [--tlp LEVEL] [--new-incident] [--json]',
      'breachdesk import csv FILE [--alerts] [--tlp LEVEL] [--json]',
      'breachdesk import hhs|hibp|ransomware FILE [--alerts] [--tlp LEVEL] [--json]',
    ],
    positionals: true,
    options: { alerts, tlp: tlpMarks, 'new-incident': { type: 'boolean', help: 'import veris: no record joins a known incident' }, json },
    examples: [
      'breachdesk import veris ../VCDB/data/json/validated --tlp clear',
      'breachdesk import csv incidents.csv --json',
      'breachdesk import hhs breach_report.csv',
      'curl -s https://haveibeenpwned.com/api/v3/breaches > breaches.json && breachdesk import hibp breaches.json',
    ],
    notes: ['Re-importing updates changed records and skips unchanged ones. Layouts and what each field becomes: docs/import-export.md.'],
  },
  feeds: {
    summary: 'public sources the bot polls on a schedule: add, list, remove, or run now',
    usage: [
      'breachdesk feeds list [--json]',
      'breachdesk feeds add hhs|hibp|ransomware URL [--every 6h]',
      'breachdesk feeds remove NUMBER|URL',
      'breachdesk feeds run [NUMBER] [--json]',
    ],
    positionals: true,
    options: {
      every: { type: 'string', value: 'PERIOD', help: 'how often: 30m, 6h, 1d (1m to 30d; default 6h)' },
      json,
    },
    examples: ['breachdesk feeds add hibp https://haveibeenpwned.com/api/v3/breaches --every 6h', 'breachdesk feeds list', 'breachdesk feeds run 1'],
    notes: [
      'A running bot polls every feed that is due; run polls now, whether due or not, and says what it did.',
      'The first run fills the ledger quietly; later runs raise the alerts a report would. docs/import-export.md, "Feeds".',
    ],
  },
  export: {
    summary: 'every incident as CSV or a STIX 2.1 bundle, to standard output',
    usage: [
      'breachdesk export csv [--tlp LEVEL]',
      'breachdesk export stix [--victim NAME] [--since DATE] [--tlp LEVEL]',
    ],
    positionals: true,
    options: {
      tlp: { type: 'string', value: 'LEVEL', help: 'only incidents marked up to LEVEL (without it: everything, and a note on standard error if above GREEN)' },
      victim: { type: 'string', value: 'NAME', help: 'export stix: one victim' },
      since: { type: 'string', value: 'DATE', help: 'export stix: incidents that began on or after DATE (2020, 2020-04, 2020-04-15)' },
    },
    examples: ['breachdesk export csv --tlp green > incidents.csv', 'breachdesk export stix --victim "City of Odessa" > odessa.json'],
  },
  retract: {
    summary: 'take an incident out of lookups and alerts (kept, with why)',
    usage: ['breachdesk retract <reference> --reason TEXT'],
    positionals: true,
    options: { reason: { type: 'string', value: 'TEXT', help: 'why (required; kept in the audit log)' } },
    examples: ['breachdesk retract INC-2020-0001 --reason "reported twice"'],
  },
  merge: {
    summary: 'one event: <other> and its reports become reports of <keep>',
    usage: ['breachdesk merge <keep> <other> [--json]'],
    positionals: true,
    options: { json },
    examples: ['breachdesk merge INC-2020-0001 INC-2020-0003'],
  },
  split: {
    summary: 'a joined report becomes an incident of its own again',
    usage: ['breachdesk split <incident> <report> [--json]'],
    positionals: true,
    options: { json },
    examples: ['breachdesk split INC-2020-0001 INC-2020-0003'],
  },
  audit: {
    summary: 'who reported, changed or subscribed what, when, from where',
    usage: ['breachdesk audit [--since DATE] [--json]'],
    positionals: false,
    options: { since: { type: 'string', value: 'DATE', help: 'entries on or after DATE (2026, 2026-11, 2026-11-28)' }, json },
    examples: ['breachdesk audit --since 2026-11'],
  },
  backup: {
    summary: 'a consistent snapshot of the whole ledger to one file, while the bot runs (PostgreSQL) or is stopped (embedded)',
    usage: ['breachdesk backup [FILE] [--json]'],
    positionals: true,
    options: { json },
    examples: ['breachdesk backup', 'breachdesk backup /var/backups/breachdesk/ledger-$(date +%F).jsonl.gz'],
    notes: ['FILE defaults to breachdesk-<UTC time>.jsonl.gz in the current folder. docs/operations.md, "Backup, restore and moving to PostgreSQL".'],
  },
  restore: {
    summary: 'restore a backup into an empty database (DATABASE_URL), all or nothing, migrating an older one forward',
    usage: ['breachdesk restore FILE [--replace] [--json]'],
    positionals: true,
    options: { replace: { type: 'boolean', help: 'replace the ledger the database holds (without it, a database with data is refused)' }, json },
    examples: ['DATABASE_URL=pglite:./data/restored breachdesk restore ledger.jsonl.gz'],
    notes: ['The file is checked whole (checksums) before the database is touched.'],
  },
  move: {
    summary: 'copy the whole ledger to an empty PostgreSQL, check every table there, and print the setting to change',
    usage: ['breachdesk move --to postgres://… [--discard-incomplete] [--json]'],
    positionals: false,
    options: {
      to: { type: 'string', value: 'URL', help: 'the PostgreSQL database to move to (postgres://user@host/database), empty or only migrated' },
      'discard-incomplete': { type: 'boolean', help: 'first clear what an interrupted move left in that database' },
      json,
    },
    examples: ['breachdesk move --to postgres://breachdesk@db.internal/breachdesk'],
    notes: ['Stop the bot first when the ledger is embedded (PGlite is one process\'s alone).'],
  },
  'register-commands': {
    summary: 'register /incident with Discord (DISCORD_TOKEN, DISCORD_APPLICATION_ID; DISCORD_GUILD_ID for one server)',
    usage: ['breachdesk register-commands'],
    positionals: false,
    options: {},
    examples: ['DISCORD_GUILD_ID=123456789012345678 breachdesk register-commands'],
  },
} as const satisfies Record<string, CommandSynopsis>;

export type CommandName = keyof typeof COMMANDS;

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

const HELP_OPTION = { flag: '-h, --help', help: 'print this help' };

/** `breachdesk <command> --help`: usage, options, examples. */
export function commandHelp(name: CommandName): string {
  const c: CommandSynopsis = COMMANDS[name];
  const flags = [
    ...Object.entries(c.options).map(([option, o]) => ({ flag: `--${option}${o.value ? ` ${o.value}` : ''}`, help: o.help })),
    HELP_OPTION,
  ];
  const width = Math.max(...flags.map((f) => f.flag.length)) + 2;
  return [
    `breachdesk ${name} — ${c.summary}`,
    '',
    'Usage:',
    ...c.usage.map((u) => `  ${u}`),
    '',
    'Options:',
    ...flags.map((f) => `  ${f.flag.padEnd(width)}${f.help}`),
    ...(c.notes ? ['', ...c.notes] : []),
    '',
    c.examples.length === 1 ? 'Example:' : 'Examples:',
    ...c.examples.map((e) => `  ${e}`),
  ].join('\n');
}

/** `breachdesk --help`: every command's usage and what it does. */
export function programHelp(): string {
  return [
    'breachdesk — a ledger of cyber incidents by victim, with repeat-breach alerts',
    '',
    'Usage:',
    ...Object.values(COMMANDS).flatMap((c: CommandSynopsis) => [...c.usage.map((u) => `  ${u}`), `      ${c.summary}`]),
    '',
    'Options:',
    '  -h, --help     this help; `breachdesk <command> --help` for a command\'s options and examples',
    '  -V, --version  the version of breachdesk',
    '',
    'The database is DATABASE_URL (postgres://…, pglite:memory, pglite:<dir>); unset, ./data/pglite.',
    'Settings: .env.example. Errors: one line on standard error; exit 1 refused, 2 wrong usage.',
  ].join('\n');
}
