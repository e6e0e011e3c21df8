import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import type { Config } from './config.js';
import { auditText, exportWarning, reportText, repeatsText, searchText } from './cli-text.js';
import { DatabaseUnavailableError, UserError, ValidationError } from './errors.js';
import { seedDemo } from './incidents/demo-seed.js';
import { deliveryStatus } from './alerts/delivery-status.js';
import { incidentJson, repeatsJson, reportJson, searchJson, victimJson } from './incidents/incident-json.js';
import { VictimNeedsConfirmation } from './incidents/report.js';
import { openLedger } from './startup.js';
import { scrubText } from './redaction.js';
import { parsePartialDate } from './incidents/partial-date.js';
import type { Tlp } from './db/schema.js';
import { parseTlp } from './trust/tlp.js';
import type { OpenedLedger } from './startup.js';
import type { AuditActor } from './trust/audit.js';
import type { MarkingCounts } from './interop/export-markings.js';

const USAGE = `breachdesk — a ledger of cyber incidents by victim, with repeat-breach alerts

Usage:
  breachdesk start [--shell]                     run the bot (terminal shell without chat credentials)
  breachdesk migrate                             apply pending database migrations
  breachdesk search <query> [--json] [--limit N] [--cursor C]
  breachdesk report [--json] [--same-as INC-…] [--new-incident] [FILE]
                                                 record one incident (JSON) from FILE or standard input;
                                                 one that looks like a known incident joins it as a further report
                                                 (--same-as: a report of that incident; --new-incident: never joined)
  breachdesk repeats [--window-days N] [--json]  victims breached again within the window
  breachdesk seed-demo                           load the demo incidents (City of Odessa and others)
  breachdesk alerts status [--json]              pending, sent and failed alert deliveries per channel
  breachdesk import veris <dir-or-files…> [--alerts] [--tlp LEVEL] [--new-incident] [--json]
                                                 VERIS 1.3.x JSON (the VCDB layout); --new-incident: no record joins a known incident
  breachdesk import csv FILE [--alerts] [--tlp LEVEL] [--json]   (--tlp: the marking of records that carry none)
  breachdesk export csv [--tlp LEVEL]            every incident, one row each, to standard output
  breachdesk export stix [--victim NAME] [--since DATE] [--tlp LEVEL]   a STIX 2.1 bundle to standard output
                                                 (--tlp green: only incidents marked up to TLP:GREEN; without
                                                 --tlp, everything, and a note on standard error if above GREEN)
  breachdesk retract <reference> --reason TEXT   take an incident out of lookups and alerts (kept, with why)
  breachdesk merge <keep> <other> [--json]       one event: <other> and its reports become reports of <keep>
  breachdesk split <incident> <report> [--json]  a joined report becomes an incident of its own again
  breachdesk audit [--since DATE] [--json]       who reported, changed or subscribed what, when, from where
  breachdesk register-commands                   register /incident with Discord (DISCORD_TOKEN, DISCORD_APPLICATION_ID)

The database is DATABASE_URL (postgres://…, pglite:memory, pglite:<dir>); unset, ./data/pglite.`;

class UsageError extends UserError {}

type Handler = (args: string[], config: Config) => Promise<void>;

const commands: Record<string, Handler> = {
  async migrate(_args, config) {
    await withLedger(config, true, (opened) => {
      const { applied } = opened;
      out(applied.length ? `Applied ${applied.join(', ')} to ${opened.database.description}.` : `${opened.database.description} is up to date.`);
      return Promise.resolve();
    });
  },

  async search(args, config) {
    const { values, positionals } = parse(args, { json: { type: 'boolean' }, limit: { type: 'string' }, cursor: { type: 'string' } });
    const query = positionals.join(' ').trim();
    if (!query) throw new UsageError('search needs a query, e.g. `breachdesk search odessa`.');
    const limit = values.limit === undefined ? undefined : positiveInt('--limit', values.limit);
    await withLedger(config, false, async ({ ledger }) => {
      const page = await ledger.search(query, { limit, cursor: values.cursor ?? null });
      out(values.json ? JSON.stringify(searchJson(page), null, 2) : searchText(page));
    });
  },

  async report(args, config) {
    const { values, positionals } = parse(args, { json: { type: 'boolean' }, 'same-as': { type: 'string' }, 'new-incident': { type: 'boolean' } });
    if (positionals.length > 1) throw new UsageError('report takes one FILE (or standard input).');
    const sameAs = values['same-as'] === undefined ? undefined : referenceOption('--same-as', values['same-as']);
    if (sameAs && values['new-incident']) throw new UsageError('--same-as and --new-incident say opposite things; give one.');
    const source = positionals[0] ?? '-';
    if (source === '-' && process.stdin.isTTY) throw new UsageError('report reads one incident as JSON from FILE or standard input.');
    const raw = source === '-' ? await readStdin() : await readFile(source, 'utf8').catch(() => {
      throw new UsageError(`cannot read ${source}.`);
    });
    let input: unknown;
    try {
      input = JSON.parse(raw);
    } catch (error) {
      throw new UsageError(`${source === '-' ? 'standard input' : source} is not JSON: ${(error as Error).message}`);
    }
    // The flags overrule what the file says; a submission that is no object fails validation as it is.
    if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
      input = { ...input, ...(sameAs ? { sameAs, newIncident: false } : {}), ...(values['new-incident'] ? { newIncident: true, sameAs: undefined } : {}) };
    }
    await withLedger(config, false, async ({ ledger }) => {
      // Checked before anything is stored: a mistyped reference is the person's to fix, not a new incident.
      if (sameAs && !(await ledger.db.selectFrom('incidents').select('id').where('reference', '=', sameAs).where('retracted_at', 'is', null).executeTakeFirst())) {
        throw new UsageError(`--same-as ${sameAs}: there is no such incident.`);
      }
      const outcome = await ledger.report(input, { platform: 'cli', workspace: null, user: config.USER ?? 'cli' });
      out(values.json ? JSON.stringify(reportJson(outcome), null, 2) : reportText(outcome));
    });
  },

  async repeats(args, config) {
    const { values } = parse(args, { json: { type: 'boolean' }, 'window-days': { type: 'string' } });
    const windowDays = values['window-days'] === undefined ? config.REPEAT_WINDOW_DAYS : positiveInt('--window-days', values['window-days']);
    await withLedger(config, false, async ({ ledger }) => {
      const victims = await ledger.repeats({ windowDays, limit: 100_000 });
      out(values.json ? JSON.stringify(repeatsJson(windowDays, victims), null, 2) : repeatsText(windowDays, victims));
    });
  },

  async 'seed-demo'(_args, config) {
    await withLedger(config, false, async ({ ledger, database }) => {
      const outcome = await seedDemo(ledger.db, { windowDays: ledger.windowDays });
      out(outcome.alreadyLoaded ? `The demo incidents are already in ${database.description}.` : `Loaded ${outcome.loaded} demo incidents into ${database.description}.`);
    });
  },

  async import(args, config) {
    const [format, ...rest] = args;
    const { values, positionals } = parse(rest, { alerts: { type: 'boolean' }, json: { type: 'boolean' }, tlp: { type: 'string' }, 'new-incident': { type: 'boolean' } });
    if (positionals.length === 0 || !['veris', 'csv'].includes(format ?? '')) {
      throw new UsageError('usage: breachdesk import veris <dir-or-files…> [--alerts] [--tlp LEVEL] [--new-incident] [--json] | breachdesk import csv FILE [--alerts] [--tlp LEVEL] [--json]');
    }
    if (values['new-incident'] && format !== 'veris') throw new UsageError('--new-incident is for import veris.');
    const marking = values.tlp === undefined ? config.TLP_DEFAULT : tlpOption(values.tlp);
    await withLedger({ ...config, TLP_DEFAULT: marking }, false, async ({ ledger }) => {
      const progress = progressBar(`importing ${format}`);
      const started = Date.now();
      const summary = format === 'veris'
        ? await (await import('./interop/veris-import.js')).importVeris(ledger, positionals, { alerts: values.alerts, newIncidents: values['new-incident'], onProgress: progress })
        : await (await import('./interop/csv.js')).importCsv(ledger, await readFile(positionals[0]!, 'utf8'), { alerts: values.alerts, onProgress: progress });
      progress.done();
      if (values.json) {
        out(JSON.stringify({ ...summary, seconds: (Date.now() - started) / 1000 }, null, 2));
        return;
      }
      out(importText(summary, (Date.now() - started) / 1000));
    });
  },

  async export(args, config) {
    const [format, ...rest] = args;
    const { values } = parse(rest, { victim: { type: 'string' }, since: { type: 'string' }, tlp: { type: 'string' } });
    if (!['csv', 'stix'].includes(format ?? '')) throw new UsageError('usage: breachdesk export csv [--tlp LEVEL] | breachdesk export stix [--victim NAME] [--since DATE] [--tlp LEVEL]');
    const upTo = values.tlp === undefined ? undefined : tlpOption(values.tlp);
    await withLedger(config, false, async ({ ledger }) => {
      const { aboveGreen, bundleMarkings } = await import('./interop/export-markings.js');
      let markings: MarkingCounts;
      if (format === 'csv') {
        const exported = await (await import('./interop/csv.js')).exportCsvMarked(ledger.db, { upTo });
        process.stdout.write(exported.csv);
        markings = exported.markings;
      } else {
        const { exportStix } = await import('./interop/stix.js');
        const bundle = await exportStix(ledger, { victim: values.victim, since: values.since, upTo });
        out(JSON.stringify(bundle, null, 2));
        markings = bundleMarkings(bundle);
      }
      // Everything by default (a backup must be whole), but said where the person will see it.
      const warning = upTo === undefined ? exportWarning(aboveGreen(markings)) : null;
      if (warning) fail(warning);
    });
  },

  async retract(args, config) {
    const { values, positionals } = parse(args, { reason: { type: 'string' } });
    if (positionals.length !== 1 || !values.reason?.trim()) throw new UsageError('usage: breachdesk retract INC-2020-0001 --reason "reported twice"');
    await withLedger(config, false, async ({ ledger }) => {
      const { retractIncident } = await import('./incidents/revision.js');
      const incident = await retractIncident(ledger.db, positionals[0]!, operator(config), values.reason!);
      out(`Retracted ${incident.reference} (revision ${incident.revision}); the previous version is kept.`);
    });
  },

  async merge(args, config) {
    const { values, positionals } = parse(args, { json: { type: 'boolean' } });
    if (positionals.length !== 2) throw new UsageError('usage: breachdesk merge INC-2020-0001 INC-2020-0003 [--json] (the second becomes a report of the first)');
    const [keepRef, otherRef] = positionals.map((p, n) => referenceOption(n === 0 ? 'the incident to keep' : 'the incident to merge', p));
    await withLedger(config, false, async ({ ledger }) => {
      const { mergeIncidents } = await import('./incidents/merge.js');
      // The operator at the command line may change anything, as with retract.
      const merged = await mergeIncidents(ledger.db, keepRef!, otherRef!, operator(config), () => true);
      if (values.json) {
        out(JSON.stringify({ incident: incidentJson(merged.incident), victim: victimJson(merged.victim), joined: merged.joined }, null, 2));
        return;
      }
      const reports = merged.incident.reports.length + 1;
      out([
        `${merged.joined.join(', ')} ${merged.joined.length === 1 ? 'is now a report' : 'are now reports'} of ${merged.incident.reference} (${merged.victim.name}); ${reports} reports.`,
        `Undo: breachdesk split ${merged.incident.reference} ${merged.joined[0]!}`,
      ].join('\n'));
    });
  },

  async split(args, config) {
    const { values, positionals } = parse(args, { json: { type: 'boolean' } });
    if (positionals.length !== 2) throw new UsageError('usage: breachdesk split INC-2020-0001 INC-2020-0003 [--json] (the report becomes an incident of its own)');
    const [incidentRef, reportRef] = positionals.map((p, n) => referenceOption(n === 0 ? 'the incident' : 'the report', p));
    await withLedger(config, false, async ({ ledger }) => {
      const { splitReport } = await import('./incidents/merge.js');
      const split = await splitReport(ledger.db, incidentRef!, reportRef!, operator(config), () => true);
      if (values.json) {
        out(JSON.stringify({ incident: incidentJson(split.incident), report: incidentJson(split.report), victim: victimJson(split.victim) }, null, 2));
        return;
      }
      out([
        `${split.report.reference} is an incident of its own again, no longer a report of ${split.incident.reference} (${split.victim.name}).`,
        `${split.incident.reference}'s previous version is kept (revision ${split.incident.revision} now). Undo: breachdesk merge ${split.incident.reference} ${split.report.reference}`,
      ].join('\n'));
    });
  },

  async audit(args, config) {
    const { values } = parse(args, { since: { type: 'string' }, json: { type: 'boolean' } });
    const since = values.since === undefined ? undefined : parsePartialDate(values.since);
    if (since === null) throw new UsageError(`--since "${values.since}" is not a date like 2026, 2026-11 or 2026-11-28.`);
    await withLedger(config, false, async ({ ledger }) => {
      const { readAudit } = await import('./trust/audit.js');
      const entries = await readAudit(ledger.db, { since: since ? new Date(`${since.on}T00:00:00Z`) : undefined });
      if (values.json) {
        out(JSON.stringify({ entries }, null, 2));
        return;
      }
      out(auditText(entries));
    });
  },

  async alerts(args, config) {
    const { values, positionals } = parse(args, { json: { type: 'boolean' } });
    if (positionals[0] !== 'status') throw new UsageError('usage: breachdesk alerts status [--json]');
    await withLedger(config, false, async ({ ledger }) => {
      const channels = await deliveryStatus(ledger.db);
      if (values.json) {
        out(JSON.stringify({ channels }, null, 2));
        return;
      }
      if (channels.length === 0) {
        out('No alerts have been queued yet.');
        return;
      }
      out(channels.map((c) => [
        `${c.platform} ${c.workspace ? `${c.workspace}/` : ''}${c.channelId}: ${c.pending} pending, ${c.sent} sent, ${c.failed} failed`,
        ...(c.brokenReason ? [`  broken: ${c.brokenReason}`] : []),
        ...(c.lastError && (c.failed > 0 || c.pending > 0) ? [`  last error: ${c.lastError}`] : []),
      ].join('\n')).join('\n'));
    });
  },

  async 'register-commands'(_args, config) {
    if (!config.DISCORD_TOKEN || !config.DISCORD_APPLICATION_ID) {
      throw new UsageError('register-commands needs DISCORD_TOKEN and DISCORD_APPLICATION_ID (and DISCORD_GUILD_ID to register in one server while developing).');
    }
    const { inviteUrl, registerCommands } = await import('./adapters/discord/application-commands.js');
    const { loadCommands } = await import('./chat/registry.js');
    const result = await registerCommands(await loadCommands(), {
      token: config.DISCORD_TOKEN, applicationId: config.DISCORD_APPLICATION_ID, guildId: config.DISCORD_GUILD_ID, apiUrl: config.DISCORD_API_URL,
    });
    out(`Registered ${result.registered.join(', ')} for ${result.scope}.\nInvite the bot to a server: ${inviteUrl(config.DISCORD_APPLICATION_ID)}`);
  },

  async start(args, config) {
    const { start } = await import('./bot.js');
    const { values } = parse(args, { shell: { type: 'boolean' } });
    await start(config, { forceShell: values.shell ?? false });
  },
};

/** The person at the command line, for the audit log. */
function operator(config: Config): AuditActor {
  return { platform: 'cli', workspace: null, userId: null, name: config.USER ?? 'cli' };
}

/** `INC-2020-0001`, any case; anything else is a usage error naming `what`. */
function referenceOption(what: string, text: string): string {
  const reference = text.trim().toUpperCase();
  if (!/^INC-\d{4}-\d{4,9}$/.test(reference)) throw new UsageError(`${what}: "${text.slice(0, 30)}" is not an incident reference such as INC-2020-0001.`);
  return reference;
}

/** `--tlp amber`, `--tlp TLP:AMBER+STRICT`. */
function tlpOption(text: string): Tlp {
  const tlp = parseTlp(text);
  if (!tlp) throw new UsageError(`--tlp "${text.slice(0, 20)}" is not a marking; use clear, green, amber, amber+strict or red.`);
  return tlp;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    out(USAGE);
    return name ? 0 : 2;
  }
  const handler = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!handler) {
    fail(`unknown command "${name}".\n\n${USAGE}`);
    return 2;
  }
  let config: Config | undefined;
  try {
    config = loadConfig();
    await handler(args, config);
    return 0;
  } catch (error) {
    return report(error, args.includes('--json'), config?.LOG_LEVEL === 'debug');
  }
}

/** Errors reach people as one clear message, never a stack trace. */
function report(error: unknown, json: boolean, withStack: boolean): number {
  if (json && error instanceof UserError) {
    const fields = error instanceof ValidationError ? error.fieldErrors : undefined;
    const candidates = error instanceof VictimNeedsConfirmation ? error.candidates : undefined;
    process.stderr.write(`${JSON.stringify({ error: { code: error.code, message: error.message, fields, candidates } })}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
  if (error instanceof ValidationError) {
    fail(`the incident was not recorded:\n${error.fieldErrors.map((e) => `  ${e.field}: ${e.message}`).join('\n')}`);
    return 1;
  }
  if (error instanceof UsageError) {
    fail(error.message);
    return 2;
  }
  if (error instanceof UserError || error instanceof ConfigError || error instanceof DatabaseUnavailableError) {
    fail(error.message);
    return 1;
  }
  const id = randomUUID().slice(0, 8);
  // A driver's message can quote a connection string or a token: scrubbed like the logs.
  fail(`unexpected error ${id}: ${scrubText(error instanceof Error ? error.message : String(error))}`);
  if (withStack && error instanceof Error) process.stderr.write(`${scrubText(error.stack ?? '')}\n`);
  return 1;
}

async function withLedger(config: Config, migrate: boolean, work: (opened: OpenedLedger) => Promise<void>): Promise<void> {
  const opened = await openLedger(config, { migrate });
  try {
    await work(opened);
  } finally {
    await opened.close();
  }
}

function parse<const O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 36_500) throw new UsageError(`${flag} must be a whole number from 1 to 36500.`);
  return n;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A progress bar on standard error when it is a terminal; silent otherwise. */
function progressBar(label: string) {
  const tty = process.stderr.isTTY;
  let last = 0;
  const update = (done: number, total: number) => {
    if (!tty || (Date.now() - last < 100 && done < total)) return;
    last = Date.now();
    const width = 30;
    const filled = Math.round((done / Math.max(total, 1)) * width);
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  };
  return Object.assign(update, { done: () => tty && process.stderr.write('\n') });
}

interface ImportedSummary {
  imported: number;
  updated: number;
  skipped: number;
  invalid: { file: string; reason: string }[];
  unattributed?: number;
  joined?: { file: string; report: string; incident: string; reason: string }[];
  nearMatches?: { file: string; victim: string; similarTo: string[] }[];
  alerted?: number;
}

function importText(s: ImportedSummary, seconds: number): string {
  const joined = s.joined ?? [];
  return [
    `Imported ${s.imported}, updated ${s.updated}, skipped ${s.skipped} (unchanged), invalid ${s.invalid.length} — in ${seconds.toFixed(1)} s.`,
    ...(s.unattributed ? [`${s.unattributed} kept as unattributed incidents (placeholder victims such as "Unknown").`] : []),
    ...(joined.length ? [
      `${joined.length} record${joined.length === 1 ? '' : 's'} joined an incident the ledger held, as further report${joined.length === 1 ? '' : 's'} of the same event (not counted as repeat breaches; undo with breachdesk split):`,
      ...joined.slice(0, 10).map((j) => `  ${j.file}: ${j.report} joined ${j.incident} (${j.reason.length > 120 ? `${j.reason.slice(0, 119)}…` : j.reason})`),
      ...(joined.length > 10 ? [`  … and ${joined.length - 10} more (--json lists them all)`] : []),
    ] : []),
    ...(s.alerted ? [`${s.alerted} alerts queued.`] : []),
    ...(s.nearMatches?.length ? [`${s.nearMatches.length} new victims have a similar name to a known one (kept apart; check them):`, ...s.nearMatches.slice(0, 20).map((m) => `  ${m.file}: "${m.victim}" ~ ${m.similarTo.join(', ')}`)] : []),
    ...(s.invalid.length ? ['Invalid:', ...s.invalid.map((i) => `  ${i.file}: ${i.reason}`)] : []),
  ].join('\n');
}

function out(text: string): void {
  process.stdout.write(`${text}\n`);
}

function fail(message: string): void {
  process.stderr.write(`breachdesk: ${message}\n`);
}

process.exitCode = await main(process.argv.slice(2));
