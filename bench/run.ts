import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { createDiscordSurface } from '../src/adapters/discord/discord-surface.js';
import { databaseDrafts } from '../src/drafts/database-drafts.js';
import { renderBlockKit } from '../src/adapters/slack/block-kit.js';
import { createSlackSurface } from '../src/adapters/slack/slack-surface.js';
import { createAlertDispatcher } from '../src/alerts/alert-dispatcher.js';
import { subscribe } from '../src/alerts/subscriptions.js';
import type { Actor, ChannelRef } from '../src/identity.js';
import { createDispatcher } from '../src/chat/dispatcher.js';
import { loadCommands } from '../src/chat/registry.js';
import { databaseLocation, openDatabase } from '../src/db/database.js';
import type { LedgerDatabase } from '../src/db/database.js';
import type { Database } from '../src/db/schema.js';
import { statementName } from '../src/db/named-statements.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createLedger } from '../src/ledger.js';
import { importVeris } from '../src/interop/veris-import.js';
import { importHibp } from '../src/interop/hibp.js';
import { VictimNeedsConfirmation } from '../src/incidents/report.js';
import { createLogger } from '../src/log.js';
import { FakeDiscord } from '../test/fakes/fake-discord.js';
import { FakeSlack } from '../test/fakes/fake-slack.js';
import { scratchPostgresDatabase } from '../test/support/scratch-database.js';
import { freePort } from '../test/support/net.js';
import { SIGNING_SECRET, interaction, slashCommand } from '../test/support/slack-requests.js';
import { percentiles, round, timed } from './stats.js';
import type { Percentiles } from './stats.js';
import { generateLedger } from './synthetic-ledger.js';
import { syntheticHibpBreaches } from './synthetic-feed.js';
import { writeSyntheticVeris } from './synthetic-veris.js';
import { importFloor } from './import-floor.js';
import { benchTimelineIncidents } from './timeline-victim.js';
import { renderTimelinePng } from '../src/presentation/timeline-png.js';
import { victimTimeline } from '../src/presentation/victim-timeline.js';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '100k' }, quick: { type: 'boolean', default: false }, seed: { type: 'string', default: '20201013' }, profile: { type: 'boolean', default: false }, veris: { type: 'string', default: '10000' } } });
const scales: Record<string, { incidents: number; victims: number }> = { quick: { incidents: 3_000, victims: 900 }, '100k': { incidents: 100_000, victims: 30_000 }, '1m': { incidents: 1_000_000, victims: 300_000 } };
const scaleName = values.quick ? 'quick' : values.scale;
const scale = scales[scaleName] ?? { incidents: Number(scaleName), victims: Math.round(Number(scaleName) * 0.3) };
if (!Number.isFinite(scale.incidents) || scale.incidents < 100) throw new Error(`--scale ${scaleName}: use quick, 100k, 1m or a number of incidents`);
const rounds = values.quick ? { search: 40, report: 20, platform: 20, alerts: 5, loadSeconds: 2, timeline: 40, feedRecords: 500, verisRecords: 500 }
  : { search: 400, report: 200, platform: 200, alerts: 40, loadSeconds: 10, timeline: 200, feedRecords: 10_000, verisRecords: Number(values.veris) };
if (!Number.isInteger(rounds.verisRecords) || rounds.verisRecords < 1) throw new Error(`--veris ${values.veris}: the number of synthetic VERIS files to import, e.g. 10000`);
const log = createLogger('error');
const room: ChannelRef = { platform: 'shell', workspace: null, channelId: 'bench' };
// Searches run as a Slack member, so that the TLP visibility rule is in every statement measured.
const analyst: Actor = { platform: 'slack', workspace: 'T-BENCH', userId: 'U-BENCH', displayName: 'bench' };
const analystRoom: ChannelRef = { platform: 'slack', workspace: 'T-BENCH', channelId: 'C-BENCH' };

const results: Record<string, unknown> = { scale: scaleName, ...scale, node: process.version, date: new Date().toISOString() };
const rows: [string, Percentiles | string][] = [];
const say = (line: string) => process.stderr.write(`${line}\n`);

// The ledger: PostgreSQL when DATABASE_URL names one (a scratch database beside it), else embedded PGlite on disk.
const url = process.env.DATABASE_URL;
let database: LedgerDatabase;
let cleanup: () => Promise<void>;
let pgliteDir = '';
const captured: { sql: string; parameters: readonly unknown[] }[] = [];
let capturing = false;
const logEvent = (e: { level: string; query: { sql: string; parameters: readonly unknown[] } }) => {
  if (capturing && e.level === 'query') captured.push({ sql: e.query.sql, parameters: e.query.parameters });
};
if (url?.startsWith('postgres')) {
  const scratch = await scratchPostgresDatabase(url, 'breachdesk_bench');
  database = await openDatabase(databaseLocation(scratch.url));
  cleanup = async () => {
    await database.close();
    await scratch.drop();
  };
  results.backend = 'postgres';
} else {
  const dir = await mkdtemp(path.join(tmpdir(), 'breachdesk-bench-'));
  pgliteDir = dir;
  database = await openDatabase({ kind: 'pglite', dir });
  cleanup = async () => {
    await database.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  results.backend = 'pglite';
}
say(`breachdesk bench: ${scale.incidents} incidents over ${scale.victims} victims on ${String(results.backend)}`);

try {
  await migrateToLatest(database.db);
  const [genMs, synthetic] = await timed(() => generateLedger(database.db, { ...scale, seed: Number(values.seed), onProgress: (n) => n % 100_000 < 2000 && say(`  generated ${n}`) }));
  // As autovacuum leaves a ledger in use: GIN pending lists merged, visibility map set (a bulk load without it made the alias trigram scan read 8× the pages).
  await database.pool.query('vacuum analyze');
  results.generateSeconds = round(genMs / 1000);
  say(`  generated in ${round(genMs / 1000)} s`);

  // The bot's parts, as `breachdesk start` wires them.
  const ledger = createLedger(database.db, { windowDays: 365 });
  const capturingDb = new Kysely<Database>({ dialect: new PostgresDialect({ pool: database.pool }), log: logEvent });
  const capturingLedger = createLedger(capturingDb, { windowDays: 365 });
  const alerts = createAlertDispatcher({ db: database.db, log, listen: database.listen });
  const commands = await loadCommands();
  const dispatcher = createDispatcher(commands, { ledger, wakeAlerts: () => alerts.wake(), log });

  // 1. Search through the command path, and the same SQL sent raw through pg.
  const mix = [...synthetic.queries.exact.slice(0, 20), ...synthetic.queries.fuzzy.slice(0, 20), ...synthetic.queries.prefix.slice(0, 20), ...synthetic.queries.vendor, ...synthetic.queries.reference.slice(0, 20)];
  const statementsOf = async (work: () => Promise<unknown>) => {
    captured.length = 0;
    capturing = true;
    await work();
    capturing = false;
    return [...captured];
  };
  // The floor sends a statement as the bot does: on a PostgreSQL server named, so it is
  // planned once per connection (src/db/named-statements.ts); on PGlite unnamed, and the
  // database's thread names it (src/db/pglite-prepared.ts).
  const asTheBotSends = (text: string, values: readonly unknown[]): pg.QueryConfig =>
    (results.backend === 'postgres' && values.length > 0 ? { name: statementName(text), text, values: [...values] } : { text, values: [...values] });
  const floorOf = new Map<string, { sql: string; parameters: readonly unknown[] }[]>();
  // Every statement the lookup sends, its timelines' included: the floor is the same SQL without the bot around it.
  const capturingDispatcher = createDispatcher(commands, { ledger: capturingLedger, wakeAlerts: () => undefined, log });
  for (const q of mix) floorOf.set(q, await statementsOf(() => capturingDispatcher.invoke({ text: q, actor: analyst, channel: analystRoom })));
  const writes = [...floorOf.values()].flat().filter((s) => !/^\s*(select|with)\b/i.test(s.sql));
  if (writes.length > 0) throw new Error(`a lookup's floor would replay a write: ${writes[0]!.sql.slice(0, 80)}`);
  results.lookupStatements = round([...floorOf.values()].reduce((n, s) => n + s.length, 0) / floorOf.size);
  say(`  a lookup sends ${String(results.lookupStatements)} statements on average`);
  const searchMs: number[] = [];
  const searchFloorMs: number[] = [];
  for (let i = 0; i < rounds.search; i++) {
    const q = mix[i % mix.length]!;
    const [ms] = await timed(async () => {
      const reply = await dispatcher.invoke({ text: q, actor: analyst, channel: analystRoom });
      if (reply.kind === 'message') renderBlockKit(reply.message);
    });
    searchMs.push(ms);
    const [floor] = await timed(async () => {
      for (const s of floorOf.get(q)!) await database.pool.query(asTheBotSends(s.sql, s.parameters));
    });
    searchFloorMs.push(floor);
  }
  const search = percentiles(searchMs);
  const searchFloor = percentiles(searchFloorMs);
  rows.push(['search, command path (handler to rendered Block Kit)', search], ['search, raw SQL floor (pg)', searchFloor]);
  results.search = search;
  results.searchFloor = searchFloor;

  // 1a. A victim's timeline picture with 50 incidents: built and drawn to PNG each time
  // (a new revision each round, so nothing comes from the cache). Target p95 ≤ 50 ms.
  const timelineMs: number[] = [];
  for (let i = 0; i < rounds.timeline; i++) {
    const incidents = benchTimelineIncidents(50, i);
    const [ms] = await timed(() => renderTimelinePng(victimTimeline({ id: 1, name: 'Bench County Utilities' }, incidents, 365), i % 2 ? 'dark' : 'light'));
    timelineMs.push(ms);
  }
  results.timeline = percentiles(timelineMs);
  rows.push(["timeline picture: a victim's 50 incidents to PNG (uncached)", percentiles(timelineMs)]);

  // 1b. The ceiling: the same statements as 50 people's lookups, 50 at a time through
  // the pool, for as long as the bot is loaded below — lookups per second beside the bot's.
  const floorLoad: number[] = [];
  const floorUntil = Date.now() + rounds.loadSeconds * 1000;
  await Promise.all(Array.from({ length: 50 }, async (_, w) => {
    for (let i = 0; Date.now() < floorUntil; i++) {
      const [ms] = await timed(async () => {
        for (const s of floorOf.get(mix[(w * 3 + i) % mix.length]!)!) await database.pool.query(asTheBotSends(s.sql, s.parameters));
      });
      floorLoad.push(ms);
    }
  }));
  results.floorLoad = { lookups: floorLoad.length, lookupsPerSecond: round(floorLoad.length / rounds.loadSeconds), lookup: percentiles(floorLoad) };
  rows.push(['raw SQL floor under load: 50 lookups at a time (pg pool)', percentiles(floorLoad)]);
  results.searchRatioP95 = round(search.p95 / Math.max(searchFloor.p95, 0.01));

  // 1b. Victim type-ahead (the report form's victim field), as a name is typed letter by letter.
  const typed = synthetic.queries.exact.slice(0, 20).flatMap((name) => [3, 6, 10, name.length].map((n) => name.slice(0, n)))
    .concat(synthetic.queries.fuzzy.slice(0, 20));
  const typeAheadMs: number[] = [];
  for (let i = 0; i < rounds.search; i++) {
    typeAheadMs.push((await timed(() => dispatcher.suggest('victims', typed[i % typed.length]!)))[0]);
  }
  results.typeAhead = percentiles(typeAheadMs);
  rows.push(['victim type-ahead, as a name is typed (suggest)', results.typeAhead as Percentiles]);

  // 2. Report with repeat detection, and its statements replayed raw (rolled back).
  const victimIds = (await database.db.selectFrom('victims').select('id').orderBy('id').limit(500).execute()).map((v) => v.id);
  // Each a new incident of a known victim: the same-event check runs in full and finds it is
  // another incident ("another … incident"), so every round takes the path of a new incident.
  const submission = (i: number) => ({ victim: { name: 'x', id: victimIds[i % victimIds.length]! }, startDate: `2024-${String((i % 12) + 1).padStart(2, '0')}`, summary: 'Benchmark report: another skimming incident on the payment portal.', vendor: 'Click2Gov', techniques: ['T1190'], sources: [`https://bench.example.org/${i}`] });
  let capturedIncident = 0;
  const reportStatements = (await statementsOf(async () => {
    capturedIncident = (await capturingLedger.report(submission(0), { platform: 'cli', workspace: null, user: 'bench' })).incident.id;
  })).filter((s) => !['begin', 'commit'].includes(s.sql));
  // The replays reuse its reference: remove the captured incident so they can.
  await database.db.deleteFrom('incidents').where('id', '=', capturedIncident).execute();
  /** The report's statements sent raw in a transaction, rolled back; the time until the last answered. */
  const replayReport = async () => {
    const client = await database.pool.connect();
    try {
      const [ms] = await timed(async () => {
        await client.query('begin');
        // The same statements; where the application passed the new incident's id on, so does the replay.
        let newId: unknown = capturedIncident;
        for (const s of reportStatements) {
          const result = await client.query(asTheBotSends(s.sql, s.parameters.map((p) => (p === capturedIncident ? newId : p))));
          if (s.sql.includes('insert into "incidents"')) newId = (result.rows[0] as { id: number }).id;
        }
      });
      await client.query('rollback');
      return ms;
    } finally {
      client.release();
    }
  };
  const reportMs: number[] = [];
  const reportFloorMs: number[] = [];
  for (let i = 1; i <= rounds.report; i++) {
    reportMs.push((await timed(() => ledger.report(submission(i), { platform: 'cli', workspace: null, user: 'bench' })))[0]);
    reportFloorMs.push(await replayReport());
  }
  results.report = percentiles(reportMs);
  results.reportFloor = percentiles(reportFloorMs);
  rows.push(['report with repeat detection, command path', results.report as Percentiles], ['report, raw SQL floor (pg, rolled back)', results.reportFloor as Percentiles]);

  // 2a. The ceiling under the bot's whole load: 1b's 50 lookups, and beside them 5 people
  // reporting back to back, each report's statements replayed in a transaction rolled back.
  const mixedLoad: number[] = [];
  let mixedReports = 0;
  const mixedUntil = Date.now() + rounds.loadSeconds * 1000;
  await Promise.all([
    ...Array.from({ length: 50 }, async (_, w) => {
      for (let i = 0; Date.now() < mixedUntil; i++) {
        const [ms] = await timed(async () => {
          for (const s of floorOf.get(mix[(w * 3 + i) % mix.length]!)!) await database.pool.query(asTheBotSends(s.sql, s.parameters));
        });
        mixedLoad.push(ms);
      }
    }),
    ...Array.from({ length: 5 }, async () => {
      while (Date.now() < mixedUntil) {
        await replayReport();
        mixedReports += 1;
      }
    }),
  ]);
  results.floorMixedLoad = { lookups: mixedLoad.length, lookupsPerSecond: round(mixedLoad.length / rounds.loadSeconds), reportsPerSecond: round(mixedReports / rounds.loadSeconds), lookup: percentiles(mixedLoad) };
  rows.push(['raw SQL floor under load: the same with 5 reporting (pg pool)', percentiles(mixedLoad)]);

  // 2b. A report that names its victim as a person types it (resolution by name, as every
  // import and typed chat report does). A name several victims share asks "did you mean
  // …?" (VictimNeedsConfirmation) and stores nothing: the resolution is what is timed.
  const byNameMs: number[] = [];
  for (let i = 0; i < rounds.report; i++) {
    const name = synthetic.queries.exact[i % synthetic.queries.exact.length]!;
    byNameMs.push((await timed(() => ledger.report({ ...submission(i), victim: { name } }, { platform: 'cli', workspace: null, user: 'bench' }, { alerts: false })
      .catch((error: unknown) => { if (!(error instanceof VictimNeedsConfirmation)) throw error; })))[0]);
  }
  results.reportByName = percentiles(byNameMs);
  rows.push(['report naming its victim (resolution by name)', results.reportByName as Percentiles]);

  // 3. Slack ack over HTTP through Bolt, Discord interaction response through discord.js, against the fakes.
  const fakeSlack = await new FakeSlack().start();
  const slack = createSlackSurface({ dispatcher, log, botToken: 'xoxb-bench', signingSecret: SIGNING_SECRET, apiUrl: fakeSlack.apiUrl, port: 0 });
  const server = await slack.start();
  const slackBase = `http://127.0.0.1:${(server!.address() as { port: number }).port}`;
  const fakeDiscord = await new FakeDiscord().start();
  const discord = createDiscordSurface({ dispatcher, log, token: 'bench-discord-token-0123456789', apiUrl: fakeDiscord.apiUrl, drafts: databaseDrafts(database.db) });
  await discord.start();
  const ack = async (q: string) => (await timed(() => slashCommand(slackBase, q, { responseUrl: fakeSlack.responseUrl('bench') })))[0];
  const discordReply = async (q: string) => {
    const started = process.hrtime.bigint();
    const id = fakeDiscord.interact({ type: 2, data: { id: '1', name: 'incident', type: 1, options: [{ type: 3, name: 'query', value: q }] } });
    await fakeDiscord.nextCallback(id);
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  const slackMs: number[] = [];
  const discordMs: number[] = [];
  for (let i = 0; i < rounds.platform; i++) {
    slackMs.push(await ack(mix[i % mix.length]!));
    discordMs.push(await discordReply(mix[i % mix.length]!));
  }
  results.slackAck = percentiles(slackMs);
  results.discordResponse = percentiles(discordMs);
  rows.push(['Slack slash-command ack (HTTP, Bolt)', results.slackAck as Percentiles], ['Discord interaction response (gateway to callback)', results.discordResponse as Percentiles]);

  // 4. Alert latency: from the report's commit to the platform call (one process, NOTIFY wake-up).
  await subscribe(database.db, room, { name: 'bench', id: null });
  let sentAt: ((t: bigint) => void) | null = null;
  alerts.register('shell', { send: () => (sentAt?.(process.hrtime.bigint()), Promise.resolve({ messageId: null })) });
  await alerts.start();
  const alertMs: number[] = [];
  let errorsBefore = 0;
  for (let i = 0; i < rounds.alerts; i++) {
    const delivered = new Promise<bigint>((resolve) => (sentAt = resolve));
    // Two incidents of one victim within the window, five months apart: the second is a
    // repeat breach (a month apart, the same account would read as one event).
    const victim = victimIds[(i * 7) % victimIds.length]!;
    await ledger.report({ ...submission(i), victim: { name: 'x', id: victim }, startDate: '2025-01' }, { platform: 'cli', workspace: null, user: 'bench' }, { alerts: false });
    await ledger.report({ ...submission(i + 1), victim: { name: 'x', id: victim }, startDate: '2025-06' }, { platform: 'cli', workspace: null, user: 'bench' });
    // report() resolves just after its commit; a delivery already under way by then counts as 0.
    const committedAt = process.hrtime.bigint();
    const at = await Promise.race([delivered, new Promise<bigint>((r) => setTimeout(() => r(-1n), 5_000))]);
    if (at > 0n) alertMs.push(Math.max(0, Number(at - committedAt) / 1e6));
    else errorsBefore += 1;
  }
  await alerts.stop();
  results.alertLatency = percentiles(alertMs);
  results.alertsLost = errorsBefore;
  rows.push(['alert latency, commit to platform call', results.alertLatency as Percentiles]);

  await slack.stop();
  await discord.stop();

  // 5. The real bot process, with Slack, Discord and the shell running: its memory idle,
  // then under load — 50 people each typing a lookup and reading the answer, and 5
  // reporting through the Slack modal — for a while.
  if (results.backend === 'pglite') await database.close(); // one process at a time opens an embedded database
  const botPort = await freePort();
  // --profile: the bot writes a V8 CPU profile of its whole run to bench/profiles/ (open it in Chrome DevTools or speedscope).
  const profileFlags = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${fileURLToPath(new URL('./profiles/', import.meta.url))}`] : [];
  // Started as `npm start`, the Dockerfile and the systemd unit start it (--max-semi-space-size, --liftoff-only).
  const bot = spawn(process.execPath, [...profileFlags, '--max-semi-space-size=8', '--liftoff-only', fileURLToPath(new URL('../bin/breachdesk.js', import.meta.url)), 'start', '--shell'], {
    env: {
      PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', PORT: String(botPort),
      DATABASE_URL: results.backend === 'pglite' ? `pglite:${pgliteDir}` : database.location.kind === 'postgres' ? database.location.url : '',
      SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fakeSlack.apiUrl,
      DISCORD_TOKEN: 'bench-discord-token-0123456789', DISCORD_API_URL: fakeDiscord.apiUrl,
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let botOut = '';
  bot.stdout.on('data', (d: Buffer) => (botOut += d.toString()));
  const botExited = new Promise<void>((resolve) => bot.on('close', () => resolve()));
  while (!botOut.includes('Type /incident help')) {
    if (bot.exitCode !== null) throw new Error(`the bot exited: ${botOut}`);
    await sleep(100);
  }
  const botBase = `http://127.0.0.1:${botPort}`;
  /** The mix's `i`th lookup, answered (or given up after 10 s), before the load. */
  const warmLookup = async (i: number) => {
    const answered = fakeSlack.nextResponse(`warm-${i}`);
    await slashCommand(botBase, mix[i % mix.length]!, { responseUrl: fakeSlack.responseUrl(`warm-${i}`) });
    await Promise.race([answered, sleep(10_000)]);
  };
  // Warm it up as a day's first users would (caches, the ATT&CK catalogue, Bolt), then let it idle.
  for (let i = 0; i < 20; i++) await warmLookup(i);
  for (let i = 0; i < 3; i++) await interaction(botBase, reportModal(`V-warm-${i}`, victimIds[i]!));
  await sleep(2_000);
  const rss = () => {
    const status = readFileSync(`/proc/${bot.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  };
  const rssIdle = rss();
  let rssPeak = rssIdle;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rss())), 200);
  // Then the rest of the mix once, so that the load measures answers, not each victim's
  // first picture: a timeline is drawn and uploaded once per revision (timeline-upload.ts).
  // With only twenty warm, 68 pictures were drawn and uploaded in the load's ten seconds at
  // 100k (9–14 ms of CPU each to draw), and the bot answered 42–53 lookups a second
  // against 58–61 with the whole mix warm. Idle memory is still read after the first
  // twenty, as every run before this measured it.
  for (let i = 20; i < mix.length; i++) await warmLookup(i);
  /**
   * 50 people looking up and 5 reporting, for the load's seconds: what they saw. `window`
   * names the round, so that its requests are its own.
   */
  const underLoad = async (window: string) => {
    const uploadsBefore = fakeSlack.callsTo('files.getUploadURLExternal').length;
    const loadAck: number[] = [];
    const loadAckAfterBurst: number[] = [];
    const loadAnswer: number[] = [];
    const loadReport: number[] = [];
    let errors = 0;
    // The bot's own event-loop delay over the load, from its /metrics (prom-client's monitor,
    // which each scrape resets): tells the bot's thread from the load generator's.
    await botEventLoopDelay(botBase);
    const loadStart = process.hrtime.bigint();
    const until = Date.now() + rounds.loadSeconds * 1000;
    const lookups = Array.from({ length: 50 }, async (_, w) => {
      for (let i = 0; Date.now() < until; i++) {
        const id = `${window}-${w}-${i}`;
        const answered = fakeSlack.nextResponse(id);
        const started = process.hrtime.bigint();
        const [ms, response] = await timed(() => slashCommand(botBase, mix[(w * 3 + i) % mix.length]!, { responseUrl: fakeSlack.responseUrl(id) }).catch(() => ({ status: 0 })));
        if (response.status !== 200) {
          errors += 1;
          continue;
        }
        loadAck.push(ms);
        // All 50 press enter in the same instant first; after that second, requests come as answers arrive.
        if (started - loadStart >= 1_000_000_000n) loadAckAfterBurst.push(ms);
        await Promise.race([answered, sleep(10_000)]);
        loadAnswer.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    });
    const reports = Array.from({ length: 5 }, async (_, w) => {
      for (let i = 0; Date.now() < until; i++) {
        const [ms, response] = await timed(() => interaction(botBase, reportModal(`V-${window}-${w}-${i}`, victimIds[(w * 31 + i) % victimIds.length]!)).catch(() => ({ status: 0 })));
        if (response.status !== 200) errors += 1;
        else loadReport.push(ms);
      }
    });
    await Promise.all([...lookups, ...reports]);
    return {
      seconds: rounds.loadSeconds, lookups: loadAnswer.length, lookupsPerSecond: round(loadAnswer.length / rounds.loadSeconds),
      reports: loadReport.length, reportsPerSecond: round(loadReport.length / rounds.loadSeconds), errors,
      slackAck: percentiles(loadAck), slackAckAfterFirstSecond: percentiles(loadAckAfterBurst), lookupAnswered: percentiles(loadAnswer), reportModal: percentiles(loadReport),
      botEventLoopDelayMs: await botEventLoopDelay(botBase),
      // Pictures drawn and uploaded during the load: victims whose timelines the reports changed.
      pictureUploads: fakeSlack.callsTo('files.getUploadURLExternal').length - uploadsBefore,
    };
  };
  // The first ten seconds of a busy channel, then the next ten, the same load going on: a bot
  // just started (or just deployed) gets faster under load for a while, V8 compiling its hot
  // code and the load generator's, by a fifth to a third at 1M (bench/README.md).
  const load = await underLoad('load');
  const steady = await underLoad('steady');
  clearInterval(sampler);
  bot.stdin.end();
  await botExited;
  results.load = load;
  results.loadSteady = steady;
  // What the bot adds to the statements' own wait under the same load: its answers' p95
  // over the floor's beside reports (a figure that moves less with the machine than either).
  const floorP95 = (results.floorMixedLoad as { lookup: Percentiles }).lookup.p95;
  results.answeredOverFloorP95 = { first: round(load.lookupAnswered.p95 / floorP95), next: round(steady.lookupAnswered.p95 / floorP95) };
  rows.push(['bot under load: Slack ack (50 people looking up)', load.slackAck], ['bot under load: Slack ack after the first second', load.slackAckAfterFirstSecond],
    ['bot under load: lookup answered (response_url)', load.lookupAnswered],
    ['bot under load: report modal submitted and stored (5 people)', load.reportModal],
    ['the next ten seconds of that load: Slack ack', steady.slackAck],
    ['the next ten seconds: lookup answered (response_url)', steady.lookupAnswered],
    ['the next ten seconds: report modal submitted and stored', steady.reportModal]);
  results.memory = { botRssIdleMb: round(rssIdle), botRssPeakMb: round(rssPeak) };
  await fakeSlack.close();
  await fakeDiscord.close();

  // 6. Imports, each into an empty, migrated ledger of the bench's kind: the VCDB sample's
  // VERIS files (when they are here), synthetic VERIS files beside their floor, and a
  // feed's worth of new Have I Been Pwned breaches.
  const emptyLedger = async () => {
    const made = results.backend === 'pglite' ? null : await scratchPostgresDatabase(url, 'breachdesk_bench_import');
    const scratch = await openDatabase(made ? databaseLocation(made.url) : { kind: 'pglite', dir: null });
    await migrateToLatest(scratch.db);
    return { scratch, drop: async () => { await scratch.close(); await made?.drop(); } };
  };
  const vcdb = fileURLToPath(new URL('../../shared/data/vcdb/incidents', import.meta.url));
  if (existsSync(vcdb) && !values.quick) {
    // Three times, each into an empty ledger: the first as a fresh `breachdesk import`
    // runs it (the import's own code not yet compiled, `perSecond`), the three the
    // machine's noise; and beside them the floor of the same files (import-floor.ts).
    const runs: { ms: number; summary: Awaited<ReturnType<typeof importVeris>> }[] = [];
    for (let n = 0; n < 3; n++) {
      const { scratch, drop } = await emptyLedger();
      const [ms, summary] = await timed(() => importVeris(createLedger(scratch.db, { windowDays: 365 }), [vcdb]));
      runs.push({ ms, summary });
      await drop();
    }
    const floor = await emptyLedger();
    const [floorMs, written] = await timed(() => importFloor(floor.scratch.pool, vcdb));
    await floor.drop();
    const perSecond = runs.map(({ ms, summary }) => round((summary.imported / ms) * 1000));
    const { summary } = runs[0]!;
    const floorPerSecond = round((written / floorMs) * 1000);
    results.verisImport = {
      files: summary.imported + summary.invalid.length, seconds: round(runs[0]!.ms / 1000), perSecond: perSecond[0],
      runsPerSecond: perSecond, floorPerSecond, ofFloor: round(perSecond[0]! / floorPerSecond),
    };
  }
  // A synthetic VERIS import (10,000 files, `--veris N` for more), and beside it the
  // database's own speed: the same files written by multi-row inserts (import-floor.ts).
  {
    const veris = await writeSyntheticVeris(rounds.verisRecords, Number(values.seed));
    try {
      const { scratch, drop } = await emptyLedger();
      let shown = Date.now();
      const onProgress = (done: number, total: number) => {
        if (Date.now() - shown < 10_000) return;
        shown = Date.now();
        say(`  synthetic VERIS import: ${done}/${total}`);
      };
      const [ms, summary] = await timed(() => importVeris(createLedger(scratch.db, { windowDays: 365 }), [veris.dir], { onProgress }));
      await drop();
      const floor = await emptyLedger();
      const [floorMs, written] = await timed(() => importFloor(floor.scratch.pool, veris.dir));
      await floor.drop();
      const perSecond = round((summary.imported / ms) * 1000);
      const floorPerSecond = round((written / floorMs) * 1000);
      results.syntheticVerisImport = {
        files: veris.files, imported: summary.imported, joined: summary.doubleEntries, invalid: summary.invalid.length,
        seconds: round(ms / 1000), perSecond, floorSeconds: round(floorMs / 1000), floorPerSecond, ofFloor: round(perSecond / floorPerSecond),
      };
    } finally {
      await rm(veris.dir, { recursive: true, force: true });
    }
  }
  {
    const { scratch, drop } = await emptyLedger();
    const breaches = syntheticHibpBreaches(rounds.feedRecords, Number(values.seed));
    const [ms, summary] = await timed(() => importHibp(createLedger(scratch.db, { windowDays: 365 }), JSON.stringify(breaches)));
    results.hibpImport = { records: summary.imported, nearMatches: summary.nearMatches.length, seconds: round(ms / 1000), perSecond: round((summary.imported / ms) * 1000) };
    await drop();
  }
} finally {
  await cleanup();
}


/**
 * The bot's event-loop delay since the last call, in ms, from its /metrics: prom-client's
 * monitor samples every 10 ms and each scrape resets it, so a value is that interval plus
 * the delay (an idle loop reads about 10).
 */
async function botEventLoopDelay(base: string): Promise<{ p50: number; p99: number; max: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const ms = (name: string) => round(Number(new RegExp(`^breachdesk_nodejs_eventloop_lag_${name}_seconds (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) * 1000);
  return { p50: ms('p50'), p99: ms('p99'), max: ms('max') };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A report modal for a known victim, as Slack submits it. */
function reportModal(viewId: string, victimId: number) {
  const input = (id: string, value: Record<string, unknown>): [string, Record<string, unknown>] => [id, { [id]: value }];
  return {
    type: 'view_submission', team: { id: 'T1' }, user: { id: 'U-BENCH', username: 'bench', name: 'bench', team_id: 'T1' }, api_app_id: 'A1', token: 'x', trigger_id: '1.2.3',
    view: { id: viewId, team_id: 'T1', type: 'modal', callback_id: 'report', private_metadata: JSON.stringify({ c: 'C-BENCH' }), hash: 'h', blocks: [],
      state: { values: Object.fromEntries([
        input('victim', { type: 'external_select', selected_option: { value: `#${victimId}` } }),
        input('startDate', { type: 'datepicker', selected_date: '2025-03-14' }),
        input('summary', { type: 'plain_text_input', value: 'Benchmark: card data skimmed from the payment portal.' }),
        input('vendor', { type: 'plain_text_input', value: 'Click2Gov' }),
      ]) } },
  };
}

// One table, and the same figures as JSON.
const fmt = (p: Percentiles | string) => (typeof p === 'string' ? p : `${p.p50.toFixed(1).padStart(8)} ${p.p95.toFixed(1).padStart(8)} ${p.p99.toFixed(1).padStart(8)} ${String(p.n).padStart(6)} ${p.spread.toFixed(2).padStart(7)}`);
const table = [
  `breachdesk bench — ${scale.incidents.toLocaleString('en')} incidents, ${String(results.backend)}, ${String(results.date)}`,
  `${'measure (ms)'.padEnd(56)}      p50      p95      p99      n  spread`,
  ...rows.map(([name, p]) => `${name.padEnd(56)} ${fmt(p)}`),
  `search p95 / floor p95: ${String(results.searchRatioP95)}×`,
  `load: ${JSON.stringify({ ...(results.load as object), slackAck: undefined, report: undefined })}`,
  `lookups per second under load: bot ${String((results.load as { lookupsPerSecond?: number } | undefined)?.lookupsPerSecond)}, raw SQL floor ${String((results.floorLoad as { lookupsPerSecond: number }).lookupsPerSecond)} (same statements, 50 at a time)`,
  `with 5 reporting beside them, lookups / reports per second: bot ${String((results.load as { lookupsPerSecond?: number } | undefined)?.lookupsPerSecond)} / ${String((results.load as { reportsPerSecond?: number } | undefined)?.reportsPerSecond)}, raw SQL floor ${String((results.floorMixedLoad as { lookupsPerSecond: number }).lookupsPerSecond)} / ${String((results.floorMixedLoad as { reportsPerSecond: number }).reportsPerSecond)}`,
  `lookup answered p95 / the raw SQL floor's p95 beside reports: ${String((results.answeredOverFloorP95 as { first: number }).first)}× (the next ten seconds ${String((results.answeredOverFloorP95 as { next: number }).next)}×)`,
  `the next ten seconds of the same load, lookups / reports per second: bot ${String((results.loadSteady as { lookupsPerSecond?: number } | undefined)?.lookupsPerSecond)} / ${String((results.loadSteady as { reportsPerSecond?: number } | undefined)?.reportsPerSecond)}`,
  `memory: ${JSON.stringify(results.memory)}`,
  ...(results.verisImport ? [`VCDB's VERIS import (three times; beside multi-row inserts of the same files): ${JSON.stringify(results.verisImport)}`] : []),
  `synthetic VERIS import (beside multi-row inserts of the same files): ${JSON.stringify(results.syntheticVerisImport)}`,
  `HIBP feed import (new breaches): ${JSON.stringify(results.hibpImport)}`,
].join('\n');
process.stdout.write(`${table}\n`);
const dir = fileURLToPath(new URL('./results/', import.meta.url));
await mkdir(dir, { recursive: true });
// A second run the same day is written beside the first (…-2.json), never over it.
const stem = `${String(results.date).slice(0, 10)}-${String(results.backend)}-${scaleName}`;
let file = path.join(dir, `${stem}.json`);
for (let n = 2; existsSync(file); n++) file = path.join(dir, `${stem}-${n}.json`);
await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
say(`wrote ${path.relative(process.cwd(), file)}`);
