import { createReadStream, createWriteStream } from 'node:fs';
import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import type { Config } from './config.js';
import { COMMANDS, commandHelp, isCommandName, programHelp } from './cli-commands.js';
import type { CommandName } from './cli-commands.js';
import { auditText, exportWarning, reportText, repeatsText, searchText } from './cli-text.js';
import { DatabaseUnavailableError, UserError, ValidationError } from './errors.js';
import { seedDemo } from './incidents/demo-seed.js';
import { deliveryStatus } from './alerts/delivery-status.js';
import { incidentJson, repeatsJson, reportJson, searchJson, victimJson } from './incidents/incident-json.js';
import { VictimNeedsConfirmation } from './incidents/report.js';
import { openLedger } from './startup.js';
import { scrubText } from './redaction.js';
import { parsePartialDate } from './incidents/partial-date.js';
import { contentKey } from './incidents/submission-key.js';
import { FEED_KINDS } from './db/schema.js';
import type { FeedKind, Tlp } from './db/schema.js';
import { OPERATOR, parseTlp } from './trust/tlp.js';
import type { Viewer } from './trust/tlp.js';
import { timelineCliText, timelineJson, victimTimelineView } from './cli-timeline.js';
import { renderTimelinePng } from './presentation/timeline-png.js';
import type { OpenedLedger } from './startup.js';
import { databaseLocation, openDatabase } from './db/database.js';
import type { DatabaseLocation } from './db/database.js';
import type { AuditActor } from './trust/audit.js';
import type { MarkingCounts } from './interop/export-markings.js';

/** The command line was called wrongly: exit 2, as any UserError whose code is 'usage'. */
class UsageError extends UserError {
  constructor(message: string) {
    super(message, 'usage');
  }
}

type Handler = (args: string[], config: Config) => Promise<void>;

const commands: Record<CommandName, Handler> = {
  async migrate(args, config) {
    parse('migrate', args);
    await withLedger(config, true, (opened) => {
      const { applied } = opened;
      out(applied.length ? `Applied ${applied.join(', ')} to ${opened.database.description}.` : `${opened.database.description} is up to date.`);
      return Promise.resolve();
    });
  },

  async search(args, config) {
    const { values, positionals } = parse('search', args);
    const query = positionals.join(' ').trim();
    if (!query) throw new UsageError('search needs a query, e.g. `breachdesk search odessa`.');
    const limit = values.limit === undefined ? undefined : positiveInt('--limit', values.limit);
    await withLedger(config, false, async ({ ledger }) => {
      const page = await ledger.search(query, { limit, cursor: values.cursor ?? null });
      out(values.json ? JSON.stringify(searchJson(page, ledger.windowDays), null, 2) : searchText(page, ledger.windowDays));
    });
  },

  async report(args, config) {
    const { values, positionals } = parse('report', args);
    if (positionals.length > 1) throw new UsageError('report takes one FILE (or standard input).');
    const sameAs = values['same-as'] === undefined ? undefined : referenceOption('--same-as', values['same-as']);
    if (sameAs && values['new-incident']) throw new UsageError('--same-as and --new-incident say opposite things; give one.');
    const key = values.key === undefined ? undefined : keyOption(values.key);
    const source = positionals[0] ?? '-';
    if (source === '-' && process.stdin.isTTY) throw new UsageError('report reads one incident as JSON from FILE or standard input.');
    const raw = source === '-' ? await readStdin() : await readTextFile(source);
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
      // Run twice, the same submission records once, as a modal submitted twice does:
      // keyed by --key, or else by its content (with the flags that overrule it).
      const submissionKey = `cli:${key === undefined ? contentKey(input) : `key:${key}`}`;
      const outcome = await ledger.report(input, { platform: 'cli', workspace: null, user: config.USER ?? 'cli' }, { submissionKey });
      out(values.json ? JSON.stringify({ ...reportJson(outcome), alreadyRecorded: outcome.duplicate }, null, 2) : reportText(outcome));
    });
  },

  async timeline(args, config) {
    const { values, positionals } = parse('timeline', args);
    const typed = positionals.join(' ').trim();
    if (!typed) throw new UsageError('timeline needs a victim, e.g. `breachdesk timeline odessa`.');
    const theme = values.theme ?? 'light';
    if (theme !== 'light' && theme !== 'dark') throw new UsageError(`--theme "${theme}" is not light or dark.`);
    // The command line sees every incident, as the operator does; --tlp draws what a narrower audience would see.
    const viewer: Viewer = values.tlp === undefined ? OPERATOR : { upTo: tlpOption(values.tlp), workspace: null, red: 'none' };
    const png = values.png ?? null;
    await withLedger(config, false, async ({ ledger }) => {
      const view = await victimTimelineView(ledger, typed, viewer);
      if (png) {
        const picture = await renderTimelinePng(view.timeline, theme);
        await writeFile(png, picture).catch((error: unknown) => {
          throw pathError(png, error, '--png: no such folder for');
        });
      }
      out(values.json ? JSON.stringify(timelineJson(view, png), null, 2) : timelineCliText(view, png));
    });
  },

  async repeats(args, config) {
    const { values } = parse('repeats', args);
    const windowDays = values['window-days'] === undefined ? config.REPEAT_WINDOW_DAYS : positiveInt('--window-days', values['window-days']);
    await withLedger(config, false, async ({ ledger }) => {
      const victims = await ledger.repeats({ windowDays, limit: 100_000 });
      out(values.json ? JSON.stringify(repeatsJson(windowDays, victims), null, 2) : repeatsText(windowDays, victims));
    });
  },

  async 'seed-demo'(args, config) {
    parse('seed-demo', args);
    await withLedger(config, false, async ({ ledger, database }) => {
      const outcome = await seedDemo(ledger.db, { windowDays: ledger.windowDays });
      out(outcome.alreadyLoaded ? `The demo incidents are already in ${database.description}.` : `Loaded ${outcome.loaded} demo incidents into ${database.description}.`);
    });
  },

  async import(args, config) {
    const [format, ...rest] = args;
    const { values, positionals } = parse('import', rest);
    if (positionals.length === 0 || !['veris', 'csv', ...FEED_KINDS].includes(format ?? '')) {
      throw new UsageError(`usage: ${COMMANDS.import.usage.join(' | ')}`);
    }
    if (format !== 'veris' && positionals.length > 1) throw new UsageError(`import ${format} takes one FILE.`);
    if (values['new-incident'] && format !== 'veris') throw new UsageError('--new-incident is for import veris.');
    const marking = values.tlp === undefined ? config.TLP_DEFAULT : tlpOption(values.tlp);
    // Read or looked at before the ledger opens: a mistyped path is one line, not a half-run import.
    const text = format !== 'veris' ? await readTextFile(positionals[0]!) : undefined;
    if (format === 'veris') await Promise.all(positionals.map(mustExist));
    await withLedger({ ...config, TLP_DEFAULT: marking }, false, async ({ ledger }) => {
      const progress = progressBar(`importing ${format}`, values.json);
      const started = Date.now();
      const options = { alerts: values.alerts, onProgress: progress };
      const summary = format === 'veris'
        ? await (await import('./interop/veris-import.js')).importVeris(ledger, positionals, { ...options, newIncidents: values['new-incident'] })
        : format === 'csv'
          ? await (await import('./interop/csv.js')).importCsv(ledger, text!, options)
          : await (await import('./interop/feeds/feed-kinds.js')).FEED_SOURCES[format as FeedKind].importBody(ledger, text!, options);
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
    const { values, positionals } = parse('export', rest);
    if (!['csv', 'stix'].includes(format ?? '') || positionals.length > 0) throw new UsageError(`usage: ${COMMANDS.export.usage.join(' | ')}`);
    if (format === 'csv' && (values.victim !== undefined || values.since !== undefined)) throw new UsageError('--victim and --since are for export stix.');
    const upTo = values.tlp === undefined ? undefined : tlpOption(values.tlp);
    await withLedger(config, false, async ({ ledger }) => {
      const { aboveGreen, bundleMarkings } = await import('./interop/export-markings.js');
      let markings: MarkingCounts;
      if (format === 'csv') {
        const exported = await (await import('./interop/csv.js')).exportCsvMarked(ledger.db, { upTo });
        write(exported.csv);
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
    const { values, positionals } = parse('retract', args);
    if (positionals.length !== 1 || !values.reason?.trim()) throw new UsageError('usage: breachdesk retract INC-2020-0001 --reason "reported twice"');
    await withLedger(config, false, async ({ ledger }) => {
      const { retractIncident } = await import('./incidents/revision.js');
      const incident = await retractIncident(ledger.db, positionals[0]!, operator(config), values.reason!);
      out(`Retracted ${incident.reference} (revision ${incident.revision}); the previous version is kept.`);
    });
  },

  async merge(args, config) {
    const { values, positionals } = parse('merge', args);
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
    const { values, positionals } = parse('split', args);
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

  async feeds(args, config) {
    const { values, positionals } = parse('feeds', args);
    await withLedger(config, false, async ({ ledger }) => {
      const { feedsCommand } = await import('./cli-feeds.js');
      await feedsCommand(ledger, positionals, values, { by: config.USER ?? 'cli', allowPrivate: config.FEEDS_ALLOW_PRIVATE }, out);
    });
  },

  async audit(args, config) {
    const { values } = parse('audit', args);
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
    const { values, positionals } = parse('alerts', args);
    if (positionals[0] !== 'status' || positionals.length > 1) throw new UsageError('usage: breachdesk alerts status [--json]');
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

  async backup(args, config) {
    const { values, positionals } = parse('backup', args);
    if (positionals.length > 1) throw new UsageError('backup takes one FILE, e.g. `breachdesk backup ledger.jsonl.gz`.');
    const file = positionals[0] ?? `breachdesk-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl.gz`;
    const location = await ledgerLocation(config, 'back up');
    const { takeBackup } = await import('./ops/backup/take-backup.js');
    const { rowCounts, totalRows } = await import('./ops/backup/backup-text.js');
    // Written beside the file and renamed when whole: a failed backup never leaves a FILE that looks like one.
    const partial = `${file}.partial`;
    await open(partial, 'w', 0o600).then((handle) => handle.close(), (error: unknown) => {
      throw pathError(file, error, 'no such folder for');
    });
    const database = await openDatabase(location);
    try {
      const output = createWriteStream(partial, { mode: 0o600 });
      output.on('error', () => undefined);
      const summary = await takeBackup(database.pool, { kind: location.kind, description: database.description }, output);
      await rename(partial, file);
      if (values.json) return out(JSON.stringify({ file, database: database.description, ...summary }, null, 2));
      out([`Backed up ${database.description} (schema ${summary.schemaVersion}) to ${file}: ${totalRows(summary.rows)} rows.`, ...rowCounts(summary.rows)].join('\n'));
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    } finally {
      await database.close();
    }
  },

  async restore(args, config) {
    const { values, positionals } = parse('restore', args);
    if (positionals.length !== 1) throw new UsageError('restore takes one FILE, e.g. `breachdesk restore ledger.jsonl.gz`.');
    const file = positionals[0]!;
    await mustExist(file);
    const { checkRestorable, restoreBackup } = await import('./ops/backup/restore-backup.js');
    const { rowCounts, totalRows } = await import('./ops/backup/backup-text.js');
    const read = () => createReadStream(file);
    // The file is checked before the database is opened: a bad file leaves not even an empty embedded folder.
    await checkRestorable(read, file);
    const location = databaseLocation(config.DATABASE_URL, config.DATABASE_PREPARED_STATEMENTS);
    if (location.kind === 'pglite' && !location.dir) throw new UsageError('restore into pglite:memory keeps nothing; set DATABASE_URL to a folder (pglite:./data/pglite) or a PostgreSQL database.');
    if (location.kind === 'pglite') await (await import('./ops/backup/embedded-in-use.js')).mustNotBeInUse(location.dir!);
    // A folder this restore creates is removed again if it fails: nothing is left that looks like a ledger.
    const created = location.kind === 'pglite' && !(await stat(location.dir!).then(() => true, () => false));
    const database = await openDatabase(location);
    let restored = false;
    try {
      const summary = await restoreBackup(database, read, file, { replace: values.replace ?? false });
      restored = true;
      if (values.json) return out(JSON.stringify({ file, database: database.description, ...summary }, null, 2));
      out([
        `Restored ${file} (schema ${summary.schemaVersion}) into ${database.description}: ${totalRows(summary.rows)} rows, every table checked against the backup's checksums.`,
        ...rowCounts(summary.rows),
        ...(summary.migratedForward.length ? [`Then applied ${summary.migratedForward.join(', ')}.`] : []),
        ...(summary.handedOverAlerts ? [`${summary.handedOverAlerts} alert(s) pending at the backup will be checked with the platform before they are posted, in case the original ledger posted them since.`] : []),
      ].join('\n'));
    } finally {
      await database.close();
      if (created && !restored) await rm(location.dir!, { recursive: true, force: true });
    }
  },

  async move(args, config) {
    const { values } = parse('move', args);
    if (!values.to) throw new UsageError('move needs --to postgres://user@host/database, the empty PostgreSQL database to move to.');
    if (!/^postgres(ql)?:\/\/./.test(values.to) || !URL.canParse(values.to)) throw new UsageError('--to must be a PostgreSQL URL such as postgres://breachdesk@db.internal/breachdesk.');
    if (values.to === config.DATABASE_URL) throw new UsageError('--to names the database the ledger is already in (DATABASE_URL).');
    const from = await ledgerLocation(config, 'move');
    const { moveLedger } = await import('./ops/backup/move-ledger.js');
    const { databaseUrlLine, rowCounts, totalRows } = await import('./ops/backup/backup-text.js');
    const source = await openDatabase(from);
    try {
      const target = await openDatabase(databaseLocation(values.to, config.DATABASE_PREPARED_STATEMENTS));
      try {
        const moved = await moveLedger({ ...source, kind: from.kind }, target, { discardIncomplete: values['discard-incomplete'] ?? false });
        if (values.json) {
          const { schemaVersion, rows, tableSha256, handedOverAlerts } = moved.restored;
          return out(JSON.stringify({ from: source.description, to: target.description, schemaVersion, rows, tableSha256, handedOverAlerts, setting: databaseUrlLine(values.to) }, null, 2));
        }
        out([
          `Moved the ledger from ${source.description} to ${target.description} (schema ${moved.snapshot.schemaVersion}): ${totalRows(moved.restored.rows)} rows; every table there matches the source's row count and checksum.`,
          ...rowCounts(moved.restored.rows, true),
          ...(moved.restored.handedOverAlerts ? [`${moved.restored.handedOverAlerts} pending alert(s) go out once, from whichever side runs next (the other finds the post and does not repeat it).`] : []),
          ...(moved.handedOverAtSource === null ? [`The pending alerts of ${source.description} could not be marked as handed over: do not start the bot on it again.`] : []),
          'Now change this one setting (.env, /etc/breachdesk/breachdesk.env) and restart the bot:',
          databaseUrlLine(values.to),
        ].join('\n'));
      } finally {
        await target.close();
      }
    } finally {
      await source.close();
    }
  },

  async 'register-commands'(args, config) {
    parse('register-commands', args);
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
    const { values } = parse('start', args);
    const { start } = await import('./bot.js');
    await start(config, { forceShell: values.shell ?? false });
  },
};

/** The ledger DATABASE_URL names, for backup and move: an embedded one must already be there (opening it would create it). */
async function ledgerLocation(config: Config, what: string): Promise<DatabaseLocation> {
  const location = databaseLocation(config.DATABASE_URL, config.DATABASE_PREPARED_STATEMENTS);
  if (location.kind === 'pglite' && !location.dir) throw new UsageError(`pglite:memory keeps nothing to ${what}.`);
  if (location.kind === 'pglite') {
    await stat(location.dir!).catch(() => {
      throw new UserError(`there is no embedded ledger in ${location.dir} to ${what} (DATABASE_URL).`);
    });
    const { mustNotBeInUse } = await import('./ops/backup/embedded-in-use.js');
    await mustNotBeInUse(location.dir!);
  }
  return location;
}

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

/** `--key`: what a person or script names one submission by. */
function keyOption(text: string): string {
  const key = text.trim();
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (key.length === 0 || key.length > 120 || /[\u0000-\u001f\u007f]/.test(key)) {
    throw new UsageError('--key must be 1 to 120 characters on one line, e.g. --key ticket-4711.');
  }
  return key;
}

/** A file's text; a path that is not there, is a folder or cannot be read is one line naming it. */
async function readTextFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw pathError(path, error, 'no such file');
  }
}

/** A file or folder named on the command line, there before the work begins. */
async function mustExist(path: string): Promise<void> {
  await stat(path).catch((error: unknown) => {
    throw pathError(path, error, 'no such file or folder');
  });
}

function pathError(path: string, error: unknown, missing: string): UserError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new UsageError(`${missing}: ${path}`);
  if (code === 'EISDIR') return new UsageError(`${path} is a folder; give a file.`);
  if (code === 'EACCES' || code === 'EPERM') return new UsageError(`cannot read ${path}: permission denied`);
  return new UsageError(`cannot read ${path} (${code ?? 'unknown error'})`);
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--version' || name === '-V') {
    out(`breachdesk ${await programVersion()}`);
    return 0;
  }
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    // `breachdesk help search` is `breachdesk search --help`.
    const topic = name === 'help' ? args[0] : undefined;
    if (topic !== undefined && isCommandName(topic)) {
      out(commandHelp(topic));
      return 0;
    }
    if (topic !== undefined) {
      fail(`unknown command "${topic}"; \`breachdesk --help\` lists them.`);
      return 2;
    }
    // Called with nothing, the help is the answer to a mistake: standard error, exit 2.
    if (!name) {
      process.stderr.write(`${programHelp()}\n`);
      return 2;
    }
    out(programHelp());
    return 0;
  }
  if (!isCommandName(name)) {
    fail(`unknown command "${name}"; \`breachdesk --help\` lists them.`);
    return 2;
  }
  // Before the configuration is read: help works even when the environment is wrong.
  if (wantsHelp(args)) {
    out(commandHelp(name));
    return 0;
  }
  let config: Config | undefined;
  try {
    config = loadConfig();
    await commands[name](args, config);
    return 0;
  } catch (error) {
    return report(error, args.includes('--json'), config?.LOG_LEVEL === 'debug');
  }
}

/** `-h` or `--help` anywhere before a `--`. */
function wantsHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/** The version in package.json, found upwards from this file (src/ or a compiled dist/src/). */
async function programVersion(): Promise<string> {
  for (let dir = new URL('./', import.meta.url); ; dir = new URL('../', dir)) {
    const text = await readFile(new URL('package.json', dir), 'utf8').catch(() => null);
    const manifest = text === null ? null : JSON.parse(text) as { name?: string; version?: string };
    if (manifest?.name === 'breachdesk' && manifest.version) return manifest.version;
    if (dir.pathname === '/') return 'unknown';
  }
}

/** Errors reach people as one clear message, never a stack trace. */
function report(error: unknown, json: boolean, withStack: boolean): number {
  if (json && error instanceof UserError) {
    const fields = error instanceof ValidationError ? error.fieldErrors : undefined;
    const candidates = error instanceof VictimNeedsConfirmation ? error.candidates : undefined;
    process.stderr.write(`${JSON.stringify({ error: { code: error.code, message: error.message, fields, candidates } })}\n`);
    return exitCodeOf(error);
  }
  if (error instanceof ValidationError) {
    fail(`the incident was not recorded:\n${error.fieldErrors.map((e) => `  ${e.field}: ${e.message}`).join('\n')}`);
    return 1;
  }
  if (error instanceof UserError) {
    fail(error.message);
    return exitCodeOf(error);
  }
  if (error instanceof ConfigError) {
    for (const problem of error.problems) fail(problem);
    return 1;
  }
  if (error instanceof DatabaseUnavailableError) {
    fail(error.message);
    return 1;
  }
  const id = randomUUID().slice(0, 8);
  // A driver's message can quote a connection string or a token: scrubbed like the logs.
  fail(`unexpected error ${id}: ${scrubText(error instanceof Error ? error.message : String(error))}`);
  if (withStack && error instanceof Error) process.stderr.write(`${scrubText(error.stack ?? '')}\n`);
  return 1;
}

/** 2 for a command line called wrongly (whoever found out: the parser, a handler, an exporter), 1 for any other refusal. */
function exitCodeOf(error: UserError): number {
  return error.code === 'usage' ? 2 : 1;
}

async function withLedger(config: Config, migrate: boolean, work: (opened: OpenedLedger) => Promise<void>): Promise<void> {
  const opened = await openLedger(config, { migrate });
  try {
    await work(opened);
  } finally {
    await opened.close();
  }
}

/** The arguments of one command, by its synopsis (src/cli-commands.ts); a mistake is a usage error that says what to do. */
function parse<N extends CommandName>(name: N, args: string[]) {
  const synopsis = COMMANDS[name];
  const options: (typeof COMMANDS)[N]['options'] = synopsis.options;
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(parseMistake(name, error as Error & { code?: string }));
  }
  if (!synopsis.positionals && parsed.positionals.length > 0) {
    throw new UsageError(`${name} takes no argument "${parsed.positionals[0]!.slice(0, 40)}"; \`breachdesk ${name} --help\` shows what it takes.`);
  }
  return parsed;
}

/** Node's parser speaks of itself ("To specify a positional argument…"); this speaks of the command. */
function parseMistake(name: CommandName, error: Error & { code?: string }): string {
  const flag = /'(-[^' ]*)/.exec(error.message)?.[1] ?? '';
  const option = (COMMANDS[name].options as Record<string, { type: string; value?: string }>)[flag.replace(/^--?/, '').replace(/=.*$/, '')];
  const help = `\`breachdesk ${name} --help\` lists its options`;
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || !option) return `${name} has no option ${flag.slice(0, 40) || 'like that'}; ${help}.`;
  if (option.type === 'boolean') return `${flag} takes no value; ${help}.`;
  return `${flag} needs a value, as in ${flag} ${option.value ?? 'VALUE'} (one that begins with "-" as ${flag}=-…).`;
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

/**
 * Progress on standard error: a bar on a terminal; elsewhere (a log, a CI job) a line
 * every 5 seconds, so a long import is seen to move. None with --json.
 */
function progressBar(label: string, quiet = false) {
  const tty = process.stderr.isTTY;
  let last = 0;
  let lastLine = Date.now();
  const update = (done: number, total: number) => {
    if (quiet) return;
    if (!tty) {
      if (Date.now() - lastLine < 5_000 || done === total) return;
      lastLine = Date.now();
      process.stderr.write(`${label}: ${done}/${total} (${Math.floor((done / Math.max(total, 1)) * 100)}%)\n`);
      return;
    }
    if (Date.now() - last < 100 && done < total) return;
    last = Date.now();
    const width = 30;
    const filled = Math.round((done / Math.max(total, 1)) * width);
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  };
  return Object.assign(update, { done: () => tty && !quiet && process.stderr.write('\n') });
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
  write(`${text}\n`);
}

/**
 * Standard output went away (`breachdesk export csv | head -1`): the reader has what
 * it wanted, so the command finishes quietly, writing nothing more.
 */
let stdoutClosed = false;
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') {
    stdoutClosed = true;
    return;
  }
  fail(`cannot write to standard output (${error.code ?? error.message})`);
  process.exit(1);
});

function write(text: string): void {
  if (!stdoutClosed) process.stdout.write(text);
}

function fail(message: string): void {
  process.stderr.write(`breachdesk: ${message}\n`);
}

process.exitCode = await main(process.argv.slice(2));
