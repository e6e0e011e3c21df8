import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { ListenLog } from '../db/database.js';
import type { AlertDeliveryTable, ChatPlatform, Database } from '../db/schema.js';
import { DatabaseUnavailableError } from '../errors.js';
import { loadIncidents, loadVictims } from '../incidents/incident-view.js';
import { repeatVerdict } from '../incidents/repeat-breach.js';
import { clearanceOf } from '../trust/clearance.js';
import type { Clearance } from '../trust/clearance.js';
import { channelViewer } from '../trust/permissions.js';
import { mayView } from '../trust/tlp.js';
import type { Logger } from '../log.js';
import type { Selectable } from 'kysely';
import { alertMessage, digestMessage, vendorPeers } from './alert-message.js';
import { countedVerdict } from './counted-verdict.js';
import type { AlertSubject } from './alert-message.js';
import { DeliveryError } from './alert-sender.js';
import type { AlertSender } from './alert-sender.js';
import { ALERTS_CHANNEL } from './outbox.js';
import { markChannelBroken } from './subscriptions.js';
import type { AlertChannel } from '../identity.js';

type Delivery = Selectable<AlertDeliveryTable>;

/** One claim of due deliveries: its token, the rows not yet done, and those another process took over. */
interface Claim {
  token: string;
  held: Set<string>;
  lost: Set<string>;
}

export interface AlertDispatcherOptions {
  db: Kysely<Database>;
  log: Logger;
  /** LISTEN for new alerts (the report's NOTIFY); without it, polling alone. */
  listen?: (channel: string, onNotify: () => void, log?: ListenLog) => Promise<() => Promise<void>>;
  /** How long a claimed delivery is this process's before another may take it over; renewed while it sends. */
  leaseMs?: number;
  /** How often to look for retries and digests that came due. */
  pollMs?: number;
  maxAttempts?: number;
  /** Back-off base for 5xx and network errors: base, 2×base, 4×base… at most 5 minutes. */
  backoffMs?: number;
  batchSize?: number;
  /** A channel's clearance until it sets one (CHANNEL_CLEARANCE_DEFAULT). */
  clearanceDefault?: Clearance;
}

export interface AlertDispatcher {
  register(platform: ChatPlatform, sender: AlertSender): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Delivers everything due now; resolves when nothing is left. For tests and shutdown. */
  drain(): Promise<number>;
  /** Asks for a drain soon (after a report in this process). */
  wake(): void;
}

/**
 * Delivers the outbox. Each delivery is claimed with a row lock (SKIP LOCKED), a lease
 * and a claim token, so several processes on one database deliver it once. The lease
 * is renewed while the process waits for the platform, however slow; a send is
 * recorded only under the token that claimed it, and a process that lost its claim
 * neither records nor repeats it. A claim whose lease ran out (the process died
 * mid-send) is taken over, and the platform is asked first whether the message
 * already went out (Discord's nonce, Slack's metadata). 5xx and
 * network errors back off and retry, 429 waits for Retry-After, and a channel that is
 * gone is marked broken and its owners told: no endless loop, no stuck queue.
 */
export function createAlertDispatcher(options: AlertDispatcherOptions): AlertDispatcher {
  const { db, log } = options;
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 5_000;
  const maxAttempts = options.maxAttempts ?? 10;
  const backoffMs = options.backoffMs ?? 1_000;
  const batchSize = options.batchSize ?? 20;
  const senders = new Map<ChatPlatform, AlertSender>();
  let timer: NodeJS.Timeout | undefined;
  let unlisten: (() => Promise<void>) | undefined;
  let running: Promise<number> | null = null;
  let again = false;
  let stopped = false;

  async function claimDue(token: string): Promise<Delivery[]> {
    const platforms = [...senders.keys()];
    if (platforms.length === 0) return [];
    const { rows } = await sql<Delivery>`
      update alert_deliveries as d
         set status = 'sending', attempts = d.attempts + 1, claimed_until = now() + ${leaseMs} * interval '1 millisecond', claim_token = ${token}
        from (select id from alert_deliveries
               where ((status = 'pending' and next_attempt_at <= now()) or (status = 'sending' and claimed_until < now()))
                 and platform in (${sql.join(platforms)})
               order by next_attempt_at, id
               limit ${batchSize}
               for update skip locked) as due
       where d.id = due.id
   returning d.*`.execute(db);
    return rows;
  }

  async function subjectOf(d: Delivery): Promise<AlertSubject | null> {
    const [incident] = await loadIncidents(db, [d.incident_id]);
    const [victim] = await loadVictims(db, [d.victim_id]);
    if (!incident || !victim) return null;
    // Checked again at send time: the incident may have been retracted or marked higher since it was queued.
    const channel = channelOf(d);
    const viewer = channelViewer(channel, await clearanceOf(db, channel, options.clearanceDefault ?? 'green'));
    if (!mayView(viewer, incident)) {
      log.info('alert withheld: the incident was retracted or is above the channel\'s clearance', { incident: incident.reference, channel: d.channel_id });
      return null;
    }
    const certainty = d.possible ? 'possible' : 'certain';
    // The ordinal as of the report's commit (rows queued before counts were kept: as of now).
    const verdict = d.counted_incident_ids === null
      ? await repeatVerdict(db, incident, d.window_days, viewer, certainty)
      : await countedVerdict(db, incident, d.counted_incident_ids, d.window_days, viewer, certainty);
    return { incident, victim, verdict, vendorPeers: await vendorPeers(db, incident, d.window_days, viewer) };
  }

  const channelOf = (d: Delivery): AlertChannel => ({ platform: d.platform, workspace: d.workspace === '' ? null : d.workspace, channelId: d.channel_id });

  /** The victim's first alert in this channel: later ones go into its thread. */
  async function threadOf(d: Delivery): Promise<string | null> {
    const first = await db.selectFrom('alert_deliveries').select('platform_message_id')
      .where('platform', '=', d.platform).where('workspace', '=', d.workspace).where('channel_id', '=', d.channel_id)
      .where('victim_id', '=', d.victim_id).where('status', '=', 'sent').where('platform_message_id', 'is not', null)
      .where('id', '<>', d.id)
      .orderBy('sent_at').orderBy('id').limit(1).executeTakeFirst();
    return first?.platform_message_id ?? null;
  }

  /** Rows still claimed under `claim`'s token; a row another process took over is not touched. */
  const ours = (claim: Claim, ids: string[]) => db.updateTable('alert_deliveries')
    .where('id', 'in', ids).where('status', '=', 'sending').where('claim_token', '=', claim.token);

  async function markSent(claim: Claim, ids: string[], messageId: string | null) {
    const { numUpdatedRows } = await ours(claim, ids)
      .set({ status: 'sent', sent_at: new Date(), platform_message_id: messageId, claimed_until: null, last_error: null })
      .executeTakeFirst();
    if (Number(numUpdatedRows) < ids.length) lostClaim(claim, ids, 'was sent');
  }

  function lostClaim(claim: Claim, ids: string[], what: string) {
    for (const id of ids) claim.lost.add(id);
    log.warn(`an alert delivery ${what} after another process had taken it over; this process does not record it`, { deliveries: ids });
  }

  async function deliver(batch: Delivery[], claim: Claim): Promise<void> {
    const sender = senders.get(batch[0]!.platform)!;
    const channel = channelOf(batch[0]!);
    const ids = batch.map((d) => d.id);
    const nonce = batch[0]!.nonce;
    const stillOurs = () => !ids.some((id) => claim.lost.has(id));
    if (!stillOurs()) return;
    try {
      if (batch.some((d) => d.attempts > 1) && sender.findSent) {
        const found = await sender.findSent(channel, nonce);
        if (found !== undefined && found !== null) {
          log.info('alert was already posted before a restart', { channel: channel.channelId, nonce });
          await markSent(claim, ids, found);
          return;
        }
      }
      const subjects = (await Promise.all(batch.map(async (d) => ({ d, subject: await subjectOf(d) })))).filter((s) => s.subject !== null);
      if (subjects.length === 0) {
        await markSent(claim, ids, null);
        return;
      }
      const message = batch[0]!.digest
        ? digestMessage(subjects.map(({ d, subject }) => ({ subject: subject!, reason: d.reason })))
        : alertMessage(subjects[0]!.subject!, batch[0]!.reason);
      const threadOfFirst = batch[0]!.digest ? null : await threadOf(batch[0]!);
      // Another process holds it now (this one stalled past its lease): it sends, not us.
      if (!stillOurs()) return;
      const { messageId } = await sender.send(channel, message, { nonce, threadOf: threadOfFirst });
      await markSent(claim, ids, messageId);
    } catch (error) {
      // The database went away, not the platform: nothing is marked failed. The claim
      // is taken back when its lease runs out, and the platform is asked first then.
      if (error instanceof DatabaseUnavailableError) throw error;
      await failed(batch, claim, channel, sender, error);
    }
  }

  async function failed(batch: Delivery[], claim: Claim, channel: AlertChannel, sender: AlertSender, error: unknown) {
    const ids = batch.map((d) => d.id);
    const attempts = Math.max(...batch.map((d) => d.attempts));
    const failure = error instanceof DeliveryError ? error.failure : { kind: 'transient' as const };
    const reason = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    if (failure.kind === 'permanent' || attempts >= maxAttempts) {
      const { numUpdatedRows } = await ours(claim, ids).set({ status: 'failed', last_error: reason, claimed_until: null }).executeTakeFirst();
      if (Number(numUpdatedRows) < ids.length) return lostClaim(claim, ids, 'failed');
      log.error('alert not delivered', { channel: channel.channelId, platform: channel.platform, attempts, error: reason });
      if (failure.kind === 'permanent') {
        const owners = await markChannelBroken(db, channel, reason);
        await db.updateTable('alert_deliveries').set({ status: 'failed', last_error: `channel broken: ${reason}`.slice(0, 500) })
          .where('platform', '=', channel.platform).where('workspace', '=', channel.workspace ?? '').where('channel_id', '=', channel.channelId)
          .where('status', '=', 'pending').execute();
        for (const owner of owners) {
          if (!owner.id || !sender.tell) continue;
          await sender.tell(channel, owner.id, `breachdesk can no longer post alerts in the channel you subscribed (${reason}). Alerts there are stopped; fix access and run /incident alerts on again.`)
            .catch((e: unknown) => log.warn('could not tell the subscriber', { error: e }));
        }
      }
      return;
    }
    const wait = failure.kind === 'rate-limited' ? failure.retryAfterMs : Math.min(backoffMs * 2 ** (attempts - 1), 300_000) * (0.8 + Math.random() * 0.4);
    const { numUpdatedRows } = await ours(claim, ids)
      .set({ status: 'pending', last_error: reason, claimed_until: null, next_attempt_at: new Date(Date.now() + wait) })
      .executeTakeFirst();
    if (Number(numUpdatedRows) < ids.length) return lostClaim(claim, ids, 'failed');
    log.warn('alert delivery will be retried', { channel: channel.channelId, attempts, inMs: Math.round(wait), error: reason });
  }

  /**
   * Keeps the claim's unfinished rows this process's while it works through them: the
   * lease is renewed every third of it, so a slow platform never lets another process
   * take a delivery that is still being sent. A row whose renewal finds it taken over
   * (this process stalled past its lease) is lost: it is neither sent nor recorded here.
   */
  function keepClaimed(claim: Claim): () => void {
    let renewing = false;
    const renew = async () => {
      const ids = [...claim.held].filter((id) => !claim.lost.has(id));
      if (renewing || ids.length === 0) return;
      renewing = true;
      try {
        const kept = await db.updateTable('alert_deliveries')
          .set({ claimed_until: sql<Date>`now() + ${leaseMs} * interval '1 millisecond'` })
          .where('id', 'in', ids).where('status', '=', 'sending').where('claim_token', '=', claim.token)
          .returning('id').execute();
        const keptIds = new Set(kept.map((r) => r.id));
        const notKept = ids.filter((id) => !keptIds.has(id));
        // Not renewed because this process finished it meanwhile, or because another claimed it (a new token).
        const taken = notKept.length === 0 ? [] : await db.selectFrom('alert_deliveries').select('id')
          .where('id', 'in', notKept).where((eb) => eb.or([eb('claim_token', 'is', null), eb('claim_token', '<>', claim.token)])).execute();
        if (taken.length > 0) lostClaim(claim, taken.map((r) => r.id), 'was being sent');
      } catch (error) {
        // The database is away: the lease runs out as it would after a crash, and the send is then recorded by token or not at all.
        log.debug('could not renew an alert lease', { error });
      } finally {
        renewing = false;
      }
    };
    const timer = setInterval(() => void renew(), Math.max(50, Math.floor(leaseMs / 3)));
    timer.unref();
    return () => clearInterval(timer);
  }

  async function drainOnce(): Promise<number> {
    let delivered = 0;
    for (;;) {
      const claim: Claim = { token: randomUUID(), held: new Set(), lost: new Set() };
      const claimed = await claimDue(claim.token);
      if (claimed.length === 0) return delivered;
      for (const d of claimed) claim.held.add(d.id);
      // A channel's digest rows go out as one message; everything else one by one.
      const groups = new Map<string, Delivery[]>();
      for (const d of claimed) {
        const key = d.digest ? `digest:${d.platform}:${d.workspace}:${d.channel_id}` : `one:${d.id}`;
        groups.set(key, [...(groups.get(key) ?? []), d]);
      }
      const release = keepClaimed(claim);
      try {
        for (const group of groups.values()) {
          await deliver(group, claim);
          for (const d of group) claim.held.delete(d.id);
        }
      } finally {
        release();
      }
      delivered += claimed.length;
    }
  }

  function drain(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      do {
        again = false;
        total += await drainOnce();
      } while (again && !stopped);
      return total;
    })().finally(() => (running = null));
    return running;
  }

  // An outage is told once when it starts and once when it ends, not every poll.
  let waitingForDatabase = false;
  const wake = () => {
    if (stopped) return;
    drain().then(() => {
      if (!waitingForDatabase) return;
      waitingForDatabase = false;
      log.info('the ledger is back; alert deliveries resume');
    }, (error: unknown) => {
      if (!(error instanceof DatabaseUnavailableError)) {
        log.error('alert dispatcher failed', { error });
      } else if (!waitingForDatabase) {
        waitingForDatabase = true;
        log.warn('the ledger is unavailable; alert deliveries wait for it', { error });
      }
    });
  };

  return {
    register(platform, sender) {
      senders.set(platform, sender);
    },
    async start() {
      stopped = false;
      if (options.listen) unlisten = await options.listen(ALERTS_CHANNEL, wake, log);
      timer = setInterval(wake, pollMs);
      timer.unref();
      wake();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await unlisten?.();
      await running?.catch(() => undefined);
    },
    drain,
    wake,
  };
}
