import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAlertDispatcher } from '../../src/alerts/alert-dispatcher.js';
import { deliveryStatus } from '../../src/alerts/delivery-status.js';
import { ALERTS_CHANNEL, nextDigestAt } from '../../src/alerts/outbox.js';
import { openDatabase } from '../../src/db/database.js';
import type { LedgerDatabase } from '../../src/db/database.js';
import { backends } from '../support/databases.js';
import { chatHarness, person, room, textOf } from '../support/chat.js';
import { analyst, submission } from '../support/submissions.js';
import { eventually } from '../support/slack-requests.js';

const channel = (id: string) => ({ ...room, channelId: id });
const odessa = (startDate: string, extra: Record<string, unknown> = {}) => submission({ victim: { name: 'City of Odessa', id: 1 }, startDate, newIncident: true, ...extra });

describe.each(backends)('the alert outbox on %s', (backend) => {
  let chat: Awaited<ReturnType<typeof chatHarness>>;
  beforeEach(async () => (chat = await chatHarness(backend)));
  afterEach(() => chat.close());

  const deliveries = () => chat.ledger.db.selectFrom('alert_deliveries').selectAll().orderBy('id').execute();

  it('GIVEN a subscribed channel WHEN a repeat breach is recorded THEN its alert is queued with the incident, delivered once, and never again', async () => {
    await chat.say('/incident alerts on', person, channel('alerts'));
    const outcome = await chat.ledger.report(odessa('2020-06-01'), analyst);
    const queued = await deliveries();
    expect(queued).toMatchObject([{ incident_id: outcome.incident.id, channel_id: 'alerts', reason: 'repeat', status: 'pending', attempts: 0 }]);
    expect(await chat.deliver()).toBe(1);
    expect(await chat.deliver()).toBe(0);
    expect(chat.posted).toHaveLength(1);
    expect(textOf(chat.posted[0]!.message)).toMatch(/Repeat breach: City of Odessa — 3rd incident within 365 days/);
    expect(textOf(chat.posted[0]!.message)).toMatch(/Click2Gov: \d+ other victims? since 20\d\d/);
    expect((await deliveries())[0]).toMatchObject({ status: 'sent', attempts: 1, platform_message_id: 'shell-1' });
    expect(await deliveryStatus(chat.ledger.db, channel('alerts'))).toMatchObject([{ pending: 0, sent: 1, failed: 0 }]);
  });

  it('GIVEN a listener on the alerts channel THEN a report that queues alerts notifies it once, with its commit, and one that queues none does not', async () => {
    let heard = 0;
    const stop = await chat.database.listen(ALERTS_CHANNEL, () => (heard += 1));
    try {
      await chat.ledger.report(odessa('2020-06-01'), analyst);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(heard).toBe(0);
      await chat.say('/incident alerts on', person, channel('alerts'));
      await chat.ledger.report(odessa('2020-07-01'), analyst);
      await eventually(() => heard === 1, 'the NOTIFY of the queued alert', 5_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(heard).toBe(1);
    } finally {
      await stop();
    }
  });

  it('GIVEN a report that is refused THEN no alert is queued', async () => {
    await chat.say('/incident alerts on', person, channel('alerts'));
    await expect(chat.ledger.report(submission({ victim: { name: 'Odessa' }, startDate: '2020-09' }), analyst)).rejects.toThrow(/close to/);
    await expect(chat.ledger.report(odessa('2999-01'), analyst)).rejects.toThrow(/future/);
    expect(await deliveries()).toEqual([]);
  });

  it('GIVEN a subscription and a watch in one channel THEN one alert for the incident there', async () => {
    await chat.say('/incident alerts on', person, channel('both'));
    await chat.say('/incident watch City of Odessa', person, channel('both'));
    await chat.ledger.report(odessa('2020-09-01'), analyst);
    expect((await deliveries()).map((d) => [d.channel_id, d.reason])).toEqual([['both', 'repeat']]);
  });

  it('GIVEN filters and thresholds THEN only matching channels hear of it', async () => {
    await chat.say('/incident alerts on from:3', person, channel('third'));
    await chat.say('/incident alerts on within:90', person, channel('quarter'));
    await chat.say('/incident alerts on country:UA', person, channel('ukraine'));
    await chat.say('/incident alerts on region:Texas kind:city', person, channel('texas-cities'));
    await chat.say('/incident alerts on sector:"water utility"', person, channel('water'));
    // Odessa's 2nd incident within 365 days (2019-08-27), but not within 90 days of it.
    await chat.ledger.report(odessa('2020-09-01'), analyst);
    expect((await deliveries()).map((d) => d.channel_id).sort()).toEqual(['texas-cities']);
    // A 3rd within 365 days, 10 days after the last: now 'third' and 'quarter' hear too.
    const { incident } = await chat.ledger.report(odessa('2020-09-11'), analyst);
    const third = (await deliveries()).filter((d) => d.incident_id === incident.id).map((d) => d.channel_id).sort();
    expect(third).toEqual(['quarter', 'texas-cities', 'third']);
  });

  it('GIVEN watches on a vendor, technique, actor, sector and region THEN each hears of a matching incident, repeat or not', async () => {
    await chat.say('/incident watch vendor click2gov', person, channel('vendor'));
    await chat.say('/incident watch technique T1486', person, channel('technique'));
    await chat.say('/incident watch actor RobbinHood', person, channel('actor'));
    await chat.say('/incident watch sector transportation', person, channel('sector'));
    await chat.say('/incident watch region Maryland', person, channel('region'));
    await chat.ledger.report(submission({ victim: { name: 'City of Springfield', country: 'US', region: 'IL' }, startDate: '2021-01', vendor: 'Click2Gov', techniques: ['T1486'] }), analyst);
    await chat.ledger.report(submission({ victim: { name: 'City of Baltimore', country: 'US', region: 'MD' }, startDate: '2021-06', vendor: 'Other', techniques: [], threatActors: ['RobbinHood'] }), analyst);
    await chat.ledger.report(submission({ victim: { name: 'Odesa International Airport', country: 'UA', region: 'Odesa Oblast' }, startDate: '2021-07', vendor: 'Other', techniques: [] }), analyst);
    expect((await deliveries()).map((d) => `${d.channel_id}:${d.reason}`).sort()).toEqual(['actor:watch', 'region:watch', 'sector:watch', 'technique:watch', 'vendor:watch']);
  });

  it('GIVEN a daily digest channel THEN alerts wait for the digest hour and go out as one message', async () => {
    await chat.say('/incident alerts on daily', person, channel('digest'));
    await chat.ledger.report(odessa('2020-09-01'), analyst);
    await chat.ledger.report(odessa('2020-09-20'), analyst);
    const queued = await deliveries();
    expect(queued.every((d) => d.digest && d.next_attempt_at.getUTCHours() === 9 && d.next_attempt_at > new Date())).toBe(true);
    expect(await chat.deliver()).toBe(0);
    await chat.ledger.db.updateTable('alert_deliveries').set({ next_attempt_at: new Date(Date.now() - 1000) }).execute();
    expect(await chat.deliver()).toBe(2);
    expect(chat.posted).toHaveLength(1);
    expect(textOf(chat.posted[0]!.message)).toMatch(/Daily digest: 2 new incidents/);
  });

  it('GIVEN later alerts about the same victim THEN they go into the thread of its first alert in that channel', async () => {
    await chat.say('/incident alerts on', person, channel('story'));
    await chat.ledger.report(odessa('2020-09-01'), analyst);
    await chat.deliver();
    await chat.ledger.report(odessa('2020-09-15'), analyst);
    await chat.deliver();
    expect(chat.posted.map((p) => p.threadOf)).toEqual([null, 'shell-1']);
  });

  it('GIVEN two dispatchers racing on one database THEN every alert is delivered exactly once', async () => {
    for (let n = 0; n < 12; n++) await chat.say('/incident alerts on', person, channel(`race-${n}`));
    await chat.ledger.report(odessa('2020-09-01'), analyst);
    await chat.ledger.report(odessa('2020-09-15'), analyst);
    // The second dispatcher works through its own connection to the same database where it can.
    const second: LedgerDatabase = backend === 'postgres' ? await openDatabase(chat.database.location) : chat.database;
    const sent: string[] = [];
    const slowSender = (who: string) => ({
      async send(c: { channelId: string }, _m: unknown, o: { nonce: string }) {
        await new Promise((r) => setTimeout(r, 5));
        sent.push(`${c.channelId}:${o.nonce}:${who}`);
        return { messageId: null };
      },
    });
    const log = { debug() {}, info() {}, warn() {}, error() {} };
    const a = createAlertDispatcher({ db: chat.database.db, log, batchSize: 3 });
    const b = createAlertDispatcher({ db: second.db, log, batchSize: 3 });
    a.register('shell', slowSender('a'));
    b.register('shell', slowSender('b'));
    await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);
    const nonces = sent.map((s) => s.split(':')[1]);
    expect(nonces).toHaveLength(24);
    expect(new Set(nonces).size).toBe(24);
    if (backend === 'postgres') {
      expect(new Set(sent.map((s) => s.split(':')[2]))).toEqual(new Set(['a', 'b']));
      await second.close();
    }
    expect((await deliveries()).every((d) => d.status === 'sent')).toBe(true);
  });

  it('GIVEN a claim whose lease ran out (its process died) THEN another dispatcher takes it over, asking the platform first', async () => {
    await chat.say('/incident alerts on', person, channel('crash'));
    await chat.ledger.report(odessa('2020-09-01'), analyst);
    await sql`update alert_deliveries set status = 'sending', attempts = 1, claimed_until = now() - interval '1 second'`.execute(chat.ledger.db);
    const asked: string[] = [];
    const recovering = createAlertDispatcher({ db: chat.ledger.db, log: { debug() {}, info() {}, warn() {}, error() {} } });
    recovering.register('shell', {
      send: () => Promise.reject(new Error('must not post again')),
      findSent: (_c, nonce) => {
        asked.push(nonce);
        return Promise.resolve('already-there');
      },
    });
    expect(await recovering.drain()).toBe(1);
    expect(asked).toHaveLength(1);
    expect((await deliveries())[0]).toMatchObject({ status: 'sent', platform_message_id: 'already-there', attempts: 2 });
  });
});

describe('the digest hour', () => {
  it.each([
    ['2026-11-27T08:00:00Z', '2026-11-27T09:00:00.000Z'],
    ['2026-11-27T09:00:00Z', '2026-11-28T09:00:00.000Z'],
    ['2026-12-31T23:30:00Z', '2027-01-01T09:00:00.000Z'],
  ])('GIVEN %s THEN the next digest is at %s', (now, next) => {
    expect(nextDigestAt(new Date(now), 9).toISOString()).toBe(next);
  });
});
