import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAlertDispatcher } from '../../src/alerts/alert-dispatcher.js';
import type { AlertChannel, ChannelRef } from '../../src/identity.js';
import type { Reply } from '../../src/chat/reply.js';
import { createDispatcher } from '../../src/chat/dispatcher.js';
import type { Message } from '../../src/presentation/message.js';
import { loadCommands } from '../../src/chat/registry.js';
import type { LedgerDatabase } from '../../src/db/database.js';
import { createLedger } from '../../src/ledger.js';
import type { Ledger } from '../../src/ledger.js';
import type { IncidentSubmissionInput } from '../../src/incidents/submission.js';
import { createLogger } from '../../src/log.js';
import { backends, freshDatabase } from '../support/databases.js';
import type { Backend } from '../support/databases.js';
import { person, room, textOf } from '../support/chat.js';
import { analyst } from '../support/submissions.js';

// Certain and possible repeats through the real alert path: a report, its outbox rows,
// the dispatcher. An empty ledger (no demo seed), so every incident is the test's own.

const odessa = { name: 'City of Odessa', kind: 'city', sector: 'local government', country: 'US', region: 'Texas', city: 'Odessa' } as const;

const odessa2019: IncidentSubmissionInput = {
  victim: { ...odessa },
  title: 'Click2Gov utility-payment portal card breach (2019)',
  summary: "Card data of customers who made one-time online utility payments through the city's Click2Gov portal between Aug 27 and Oct 14, 2019 was compromised.",
  startDate: '2019-08-27', endDate: '2019-10-14', vendor: 'Click2Gov', impact: ['confidentiality'], motives: ['financial'],
  sources: ['https://databreaches.net/2019/12/13/tx-city-of-odessa-notifies-residents-of-click2gov-breach'],
};

const odessa2020: IncidentSubmissionInput = {
  victim: { ...odessa },
  title: 'Click2Gov utility-payment portal breach (2020)',
  summary: "Card data of customers who made one-time payments on Odessa's Click2Gov utility-payment portal between mid-April and late June 2020 was exposed; made public in October 2020 by the press, not the city.",
  startDate: '2020-04', endDate: '2020-06', vendor: 'Click2Gov', impact: ['confidentiality'], motives: ['financial'],
  sources: ['https://www.csidb.net/csidb/incidents/fd148a81-1c3a-4384-a34b-f12bffdd8b4a/'],
};

/** Another article about the very same 2020 breach. */
const odessa2020Again: IncidentSubmissionInput = {
  ...odessa2020,
  title: 'Odessa Click2Gov portal exposed card data of one-time payers',
  summary: "Card data of customers who made one-time payments on the Click2Gov utility-payment portal of Odessa between mid-April and late June 2020 was exposed, the press reported in October 2020.",
  sources: ['https://example.org/news/odessa-click2gov-2020'],
};

const odessa2021: IncidentSubmissionInput = {
  victim: { ...odessa },
  title: 'Ransomware on city servers',
  summary: 'Ransomware encrypted city file servers and took the permit office offline for a week.',
  startDate: '2021-03-02', impact: ['availability'], motives: ['financial'], techniques: ['T1486'],
  sources: ['https://example.org/news/odessa-ransomware-2021'],
};

/** An incident of a small water district, on its own story and source. */
const district = (startDate: string, story: string): IncidentSubmissionInput => ({
  victim: { name: 'Pecos Valley Water District', kind: 'government', sector: 'water utility', country: 'US', region: 'Texas' },
  summary: story, startDate, sources: [`https://example.org/news/pecos-${startDate}`],
});

const channel = (id: string): ChannelRef => ({ ...room, channelId: id });

describe.each(backends)('certain and possible repeats in alerts, on %s', (backend: Backend) => {
  let database: LedgerDatabase;
  let ledger: Ledger;
  let alerts: ReturnType<typeof createAlertDispatcher>;
  let say: (text: string, where: ChannelRef) => Promise<Reply>;
  let posted: { channel: AlertChannel; message: Message }[];

  beforeEach(async () => {
    database = await freshDatabase(backend);
    ledger = createLedger(database.db, { windowDays: 365 });
    const commands = await loadCommands();
    const log = createLogger('error', () => undefined);
    const dispatcher = createDispatcher(commands, { ledger, wakeAlerts: () => undefined, log });
    say = (text, where) => dispatcher.invoke({ text, actor: person, channel: where, shared: false });
    posted = [];
    alerts = createAlertDispatcher({ db: database.db, log, backoffMs: 50 });
    alerts.register('shell', {
      send(to, message) {
        posted.push({ channel: to, message });
        return Promise.resolve({ messageId: `shell-${posted.length}` });
      },
    });
  });
  afterEach(async () => {
    await alerts.stop();
    await database.close();
  });

  const deliveries = () => database.db.selectFrom('alert_deliveries').select(['incident_id', 'channel_id', 'reason']).orderBy('id').execute();

  it('GIVEN Odessa 2019 and a subscribed channel WHEN 2020 is reported, then reported again from another article, then a 2021 ransomware THEN one alert each for 2020 and 2021 and none for the second article', async () => {
    await say('/incident alerts on', channel('alerts'));
    const earliest = await ledger.report(odessa2019, analyst);
    expect(await deliveries()).toEqual([]);

    const first = await ledger.report(odessa2020, analyst);
    expect(first.joined).toBeNull();
    expect(first.verdict).toMatchObject({ certainty: 'certain', ordinal: 2 });
    expect(await deliveries()).toEqual([{ incident_id: first.incident.id, channel_id: 'alerts', reason: 'repeat' }]);
    expect(await alerts.drain()).toBe(1);

    // The same story from another paper joins INC-2020-… and wakes nobody.
    const again = await ledger.report(odessa2020Again, analyst);
    expect(again.joined).not.toBeNull();
    expect(again.incident.reference).toBe(first.incident.reference);
    expect(again.incident.reference).toMatch(/^INC-2020-/);
    expect(again.incident.sources).toContain('https://example.org/news/odessa-click2gov-2020');
    expect(await deliveries()).toHaveLength(1);
    expect(await alerts.drain()).toBe(0);
    const listed = (await ledger.repeats()).filter((r) => r.victim.name === 'City of Odessa');
    expect(listed).toHaveLength(1);
    expect(listed[0]!.incidents.map((i) => i.reference)).toEqual([first.incident.reference, earliest.incident.reference]);

    const ransomware = await ledger.report(odessa2021, analyst);
    expect(ransomware.joined).toBeNull();
    expect((await deliveries()).filter((d) => d.incident_id === ransomware.incident.id)).toEqual([{ incident_id: ransomware.incident.id, channel_id: 'alerts', reason: 'repeat' }]);

    expect(await alerts.drain()).toBe(1);
    expect(posted.map((p) => textOf(p.message).split('\n')[0])).toEqual([
      'Repeat breach: City of Odessa — 2nd incident within 365 days',
      'Repeat breach: City of Odessa — 2nd incident within 365 days',
    ]);
  });

  it('GIVEN an earlier incident dated only "2014" WHEN one on 2015-03-02 is reported THEN a possible:no channel hears nothing and a possible:yes channel hears of a possible repeat', async () => {
    await say('/incident alerts on', channel('certain-only'));
    await say('/incident alerts on possible:yes', channel('possible-too'));
    await ledger.report(district('2014', 'Payroll records of the district were stolen from a contractor laptop.'), analyst);
    // Some day of 2014 is within 365 days of 2015-03-02, but not every day: possible.
    const { incident, verdict } = await ledger.report(district('2015-03-02', 'Ransomware encrypted the billing server of the district.'), analyst);
    expect(verdict).toMatchObject({ certainty: 'possible', possibleBecause: 'dates known only to the year' });
    expect(await deliveries()).toEqual([{ incident_id: incident.id, channel_id: 'possible-too', reason: 'repeat' }]);

    expect(await alerts.drain()).toBe(1);
    expect(posted.map((p) => p.channel.channelId)).toEqual(['possible-too']);
    expect(textOf(posted[0]!.message)).toMatch(/^Possible repeat breach: Pecos Valley Water District — 2nd incident within 365 days \(dates known only to the year\)/);
  });

  it('GIVEN an earlier incident dated only "2014" WHEN one on 2014-10-03 is reported THEN it is certain (every day of 2014 lies within 365 days of it) and a possible:no channel hears of it', async () => {
    await say('/incident alerts on', channel('certain-only'));
    await ledger.report(district('2014', 'Payroll records of the district were stolen from a contractor laptop.'), analyst);
    const { incident, verdict } = await ledger.report(district('2014-10-03', 'Ransomware encrypted the billing server of the district.'), analyst);
    expect(verdict.certainty).toBe('certain');
    expect(await deliveries()).toEqual([{ incident_id: incident.id, channel_id: 'certain-only', reason: 'repeat' }]);
  });

  it('GIVEN channels from the 3rd incident WHEN a 3rd comes whose 1st is only possibly within the window THEN the possible:no channel counts it 2nd and hears nothing; the possible:yes digest counts it 3rd', async () => {
    await say('/incident alerts on', channel('second'));
    await say('/incident alerts on from:3', channel('third'));
    await say('/incident alerts on from:3 possible:yes daily', channel('third-digest'));
    await ledger.report(district('2013', 'Payroll records of the district were stolen from a contractor laptop.'), analyst);
    // 2014-06-01 is only possibly within 365 days of "2013": nobody hears of it but the digest, which waits for the 3rd.
    await ledger.report(district('2014-06-01', 'A phishing email took over the mailbox of the district manager.'), analyst);
    expect(await deliveries()).toEqual([]);

    // 2014-10-03: certainly within 365 days of 2014-06-01, only possibly of "2013".
    const { incident } = await ledger.report(district('2014-10-03', 'Ransomware encrypted the billing server of the district.'), analyst);
    const queued = await deliveries();
    expect(queued.map((d) => d.channel_id).sort()).toEqual(['second', 'third-digest']);
    expect(queued.every((d) => d.incident_id === incident.id)).toBe(true);

    await database.db.updateTable('alert_deliveries').set({ next_attempt_at: new Date(Date.now() - 1000) }).execute();
    expect(await alerts.drain()).toBe(2);
    const digest = posted.find((p) => p.channel.channelId === 'third-digest')!;
    expect(textOf(digest.message)).toMatch(/Daily digest: 1 new incident[\s\S]*Pecos Valley Water District — 3rd incident within 365 days/);
  });

  it('GIVEN possible:yes, possible:no and possible:maybe THEN the first two are said back and stored, the third is refused naming the filter', async () => {
    expect(textOf(await say('/incident alerts on possible:yes', channel('p')))).toMatch(/as they happen; possible repeats too/);
    expect(await database.db.selectFrom('alert_subscriptions').select('possible').where('channel_id', '=', 'p').executeTakeFirst()).toEqual({ possible: true });
    expect(textOf(await say('/incident alerts status', channel('p')))).toMatch(/possible repeats too/);
    expect(textOf(await say('/incident alerts on possible:NO', channel('p')))).toMatch(/as they happen; certain repeats only — possible:yes adds/);
    expect(await database.db.selectFrom('alert_subscriptions').select('possible').where('channel_id', '=', 'p').executeTakeFirst()).toEqual({ possible: false });
    expect(textOf(await say('/incident alerts on possible:maybe', channel('p')))).toMatch(/possible: must be yes or no, not "maybe"/);
  });
});
