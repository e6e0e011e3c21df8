import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, ChannelRef } from '../../src/identity.js';
import type { FormValues } from '../../src/chat/form.js';
import { readAudit } from '../../src/trust/audit.js';
import { REFUSALS } from '../../src/trust/permissions.js';
import type { TrustPolicy } from '../../src/trust/permissions.js';
import { chatHarness, messageOf, textOf } from '../support/chat.js';
import { backends } from '../support/databases.js';

// Reporting is limited to Ana, the SOC user group (Bea is in it) and Eve in another
// workspace; Boss is an admin. Carl may only look things up.
const policy: TrustPolicy = {
  reporters: { slack: ['UANA', 'SSOC', 'UEVE'], discord: ['4242424242'] },
  admins: { slack: ['UBOSS'], discord: [] },
};
const slack = (userId: string, workspace = 'T1', groups: string[] = []): Actor => ({ platform: 'slack', workspace, userId, displayName: userId.slice(1).toLowerCase(), groups });
const ana = slack('UANA');
const bea = slack('UBEA', 'T1', ['SSOC']);
const carl = slack('UCARL');
const boss = slack('UBOSS');
const eve = slack('UEVE', 'T2');
const channel = (channelId: string, workspace = 'T1'): ChannelRef => ({ platform: 'slack', workspace, channelId });
const soc = channel('CSOC');

const report = (values: FormValues): FormValues => ({
  summary: 'Card data skimmed from the payment portal.', vendor: 'Click2Gov', impact: ['confidentiality'], sources: 'https://example.org/report', ...values,
});

describe.each(backends)('who may do what, and who sees what (TLP), on %s', (backend) => {
  let chat: Awaited<ReturnType<typeof chatHarness>>;
  const submit = async (actor: Actor, values: FormValues, formId = 'report', state?: string, where = soc) =>
    chat.dispatcher.submit({ formId, values, state, actor, channel: where });
  // A new victim's name is confirmed as new, as a person answers "did you mean…?"; these
  // reports read alike on purpose, and each is said to be an incident of its own.
  const recorded = async (actor: Actor, values: FormValues) => {
    const outcome = await submit(actor, report({ ...(String(values.victim).startsWith('#') ? {} : { victimChoice: 'new' }), eventChoice: 'new', ...values }));
    const text = outcome.kind === 'done' ? textOf(outcome.reply) : JSON.stringify(outcome);
    const reference = /Recorded (INC-\d{4}-\d{4})/.exec(text)?.[1];
    if (!reference) throw new Error(`not recorded: ${text}`);
    return reference;
  };
  const incidentCount = async () => Number((await chat.database.db.selectFrom('incidents').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => (chat = await chatHarness(backend, { trust: policy })));
  afterAll(() => chat.close());

  it('GIVEN reporting limited THEN Carl is refused the form and a forged submission stores nothing; Bea reports through her user group', async () => {
    expect(textOf(await chat.say('/incident report', carl, soc))).toBe(REFUSALS.report);
    const before = await incidentCount();
    const forged = await submit(carl, report({ victim: 'City of Forgery', startDate: '2024-01' }));
    expect(forged.kind === 'done' && textOf(forged.reply)).toBe(REFUSALS.report);
    expect(await incidentCount()).toBe(before);
    expect(textOf(await chat.say('/incident odessa', carl, soc))).toMatch(/City of Odessa/);
    await recorded(bea, { victim: 'Bea Test Water District', startDate: '2024-02' });
  });

  it('GIVEN SLACK_ADMINS THEN only an admin manages a channel\'s alerts; anyone may read its status', async () => {
    expect(textOf(await chat.say('/incident alerts on', ana, channel('CGREEN')))).toBe(REFUSALS.manageAlerts);
    expect(textOf(await chat.say('/incident alerts status', carl, channel('CGREEN')))).toMatch(/alerts are off/);
    expect(textOf(await chat.say('/incident alerts on', boss, channel('CGREEN')))).toMatch(/on/);
  });

  it('GIVEN an AMBER incident from workspace T1 THEN T1 reporters see it privately; Carl, workspace T2 and a share in a GREEN channel do not, until the channel is cleared for AMBER', async () => {
    const reference = await recorded(ana, { victim: 'Springfield Water Authority', startDate: '2024-03', tlp: 'amber' });
    const seen = async (actor: Actor, where = soc, shared = false) => textOf(await chat.say('/incident springfield water', actor, where, shared)).includes(reference);
    expect(await seen(ana)).toBe(true);
    const shown = messageOf(await chat.say('/incident springfield water', ana, soc)).blocks.find((b) => b.type === 'victim');
    expect(shown?.type === 'victim' && shown.incidents[0]).toMatchObject({ reference, marking: 'TLP:AMBER' });
    expect(await seen(bea)).toBe(true);
    expect(await seen(boss)).toBe(true);
    expect(await seen(carl)).toBe(false);
    expect(await seen(eve, channel('CEVE', 'T2'))).toBe(false);
    // Type-ahead, which anyone sees, does not spell out the victim of an AMBER incident.
    expect((await chat.dispatcher.suggest('victims', 'springfield water')).map((c) => c.label).join()).not.toContain('Springfield Water Authority');
    expect((await chat.dispatcher.suggest('victims', 'odessa')).map((c) => c.label).join()).toContain('City of Odessa');
    expect(textOf(await chat.say(`/incident ${reference}`, carl, soc))).toMatch(/Nothing found/);
    expect(await seen(ana, soc, true)).toBe(false);
    expect(textOf(await chat.say('/incident clearance amber', ana, soc))).toBe(REFUSALS.manageAlerts);
    expect(textOf(await chat.say('/incident clearance amber', boss, soc))).toMatch(/up to TLP:AMBER/);
    expect(textOf(await chat.say('/incident clearance', carl, soc))).toMatch(/up to TLP:AMBER/);
    expect(await seen(ana, soc, true)).toBe(true);
    // What a person shares is what both they and the channel may see.
    expect(await seen(carl, soc, true)).toBe(false);
  });

  it('GIVEN the AMBER victim of workspace T1 THEN a reporter of T2 is never told of it: a near name asks nothing about it, #id is no victim, and /incident report and watch by its name know nothing', async () => {
    const { id } = await chat.database.db.selectFrom('victims').select('id').where('name', '=', 'Springfield Water Authority').executeTakeFirstOrThrow();
    const nearName = report({ victim: 'Springfield Water Authoritie', startDate: '2024-06' });
    // In T1, where its incident may be seen, the near name is asked about.
    const asked = await submit(ana, nearName);
    expect(asked.kind === 'question' && asked.question).toContain('Springfield Water Authority');

    const before = await incidentCount();
    const guessed = await submit(eve, report({ victim: `#${id}`, startDate: '2024-06' }), 'report', undefined, channel('CEVE', 'T2'));
    expect(guessed.kind === 'errors' ? JSON.stringify(guessed.errors) : JSON.stringify(guessed)).toContain(`There is no victim #${id}.`);
    expect(await incidentCount()).toBe(before);
    const opened = await chat.say('/incident report Springfield Water Authority', eve, channel('CEVE', 'T2'));
    expect(opened.kind === 'form' && opened.form.fields.find((f) => f.id === 'region')?.initial).toBeUndefined();
    // An admin of T2 is still of T2.
    expect(textOf(await chat.say('/incident watch Springfield Water Authority', slack('UBOSS', 'T2'), channel('CEVE', 'T2')))).toMatch(/No victim called/);

    const stored = await submit(eve, nearName, 'report', undefined, channel('CEVE', 'T2'));
    expect(JSON.stringify(stored)).not.toContain('Springfield Water Authority');
    expect(stored.kind === 'done' && textOf(stored.reply)).toMatch(/^Recorded INC-2024-\d{4} \(new victim\)[\s\S]*Springfield Water Authoritie/);
  });

  it('GIVEN a RED incident THEN only its reporter and admins see it, and no channel clearance can show it', async () => {
    const reference = await recorded(ana, { victim: 'Shelbyville Clinic', startDate: '2024-04', tlp: 'TLP:RED' });
    const seen = async (actor: Actor, shared = false) => textOf(await chat.say('/incident shelbyville clinic', actor, soc, shared)).includes(reference);
    expect([await seen(ana), await seen(boss), await seen(bea), await seen(carl)]).toEqual([true, true, false, false]);
    expect(await seen(ana, true)).toBe(false);
    expect(textOf(await chat.say('/incident clearance red', boss, soc))).toMatch(/RED is never posted in a channel/);
  });

  it('GIVEN channels of different clearances THEN an AMBER repeat breach alerts only the one cleared for it in its workspace, and each channel counts only what it may see', async () => {
    await chat.say('/incident alerts on', boss, channel('CAMBER'));
    await chat.say('/incident clearance amber', boss, channel('CAMBER'));
    await chat.say('/incident alerts on', slack('UBOSS', 'T2'), channel('CT2', 'T2'));
    await chat.say('/incident clearance amber', slack('UBOSS', 'T2'), channel('CT2', 'T2'));
    await chat.deliver();
    chat.posted.length = 0;
    await recorded(ana, { victim: '#1', startDate: '2020-09', tlp: 'amber' });
    await chat.deliver();
    expect(chat.posted.map((p) => p.channel.channelId)).toEqual(['CAMBER']);
    expect(textOf(chat.posted[0]!.message)).toMatch(/2nd incident within 365 days/);

    chat.posted.length = 0;
    await recorded(ana, { victim: '#1', startDate: '2020-11', tlp: 'green' });
    await chat.deliver();
    const heard = Object.fromEntries(chat.posted.map((p) => [p.channel.channelId, /(\d+\w\w) incident within/.exec(textOf(p.message))?.[1]]));
    // The GREEN channel does not count the AMBER incident of 2020-09; the AMBER ones do, where it was reported.
    expect(heard).toEqual({ CGREEN: '2nd', CAMBER: '3rd', CT2: '2nd' });
  });

  it('GIVEN /incident edit THEN only the reporter or an admin gets the prefilled form; saving keeps the previous version and audits the change', async () => {
    const reference = await recorded(ana, { victim: 'Capital City Schools', startDate: '2024-05', summary: 'Ransomware encrypted the student records.' });
    expect(textOf(await chat.say(`/incident edit ${reference}`, bea, soc))).toBe(REFUSALS.change);
    expect(textOf(await chat.say(`/incident edit ${reference}`, carl, soc))).toBe(REFUSALS.report);
    const opened = await chat.say(`/incident edit ${reference}`, ana, soc);
    if (opened.kind !== 'form') throw new Error('expected the edit form');
    const initial = Object.fromEntries(opened.form.fields.map((f) => [f.id, f.initial]));
    expect(initial).toMatchObject({ victim: 'Capital City Schools', startDate: '2024-05', summary: 'Ransomware encrypted the student records.', vendor: 'Click2Gov', tlp: 'green' });

    // A forged submission of that form by someone else changes nothing.
    const forged = await submit(bea, { ...initial, summary: 'Overwritten by Bea.' }, 'edit', opened.form.state);
    expect(forged.kind === 'done' && textOf(forged.reply)).toBe(REFUSALS.change);
    const saved = await submit(ana, { ...initial, summary: 'Ransomware encrypted student and staff records.' }, 'edit', opened.form.state);
    expect(saved.kind === 'done' && textOf(saved.reply)).toMatch(new RegExp(`Saved ${reference} \\(revision 2\\)`));

    const row = await chat.database.db.selectFrom('incidents').select(['id', 'summary', 'revision']).where('reference', '=', reference).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ summary: 'Ransomware encrypted student and staff records.', revision: 2 });
    const kept = await chat.database.db.selectFrom('incident_revisions').selectAll().where('incident_id', '=', row.id).execute();
    expect(kept.map((k) => [k.revision, k.change, (k.content as { summary: string }).summary])).toEqual([[1, 'edit', 'Ransomware encrypted the student records.']]);
    const audit = (await readAudit(chat.database.db)).filter((e) => e.subject === reference);
    expect(audit.map((e) => [e.action, e.who.userId, e.who.channelId])).toEqual([['incident.report', 'UANA', 'CSOC'], ['incident.edit', 'UANA', 'CSOC']]);
    expect(audit[1]!.detail).toMatchObject({ revision: 2, changed: ['summary'] });

    // An admin may correct anyone's incident; a wrong field is named and nothing changes.
    const wrong = await submit(boss, { ...initial, startDate: '2999-01' }, 'edit', opened.form.state);
    expect(wrong.kind === 'errors' && Object.keys(wrong.errors)).toEqual(['startDate']);
    const byAdmin = await submit(boss, { ...initial, tlp: 'amber' }, 'edit', opened.form.state);
    expect(byAdmin.kind === 'done' && textOf(byAdmin.reply)).toMatch(/revision 3/);
  });

  it('GIVEN /incident retract THEN the incident leaves lookups and repeat counts, is kept with the reason, and cannot change again', async () => {
    const reference = await recorded(ana, { victim: 'Ogdenville Library', startDate: '2024-06' });
    expect(textOf(await chat.say(`/incident retract ${reference}`, ana, soc))).toMatch(/Say why/);
    expect(textOf(await chat.say(`/incident retract ${reference} entered by mistake`, bea, soc))).toBe(REFUSALS.change);
    expect(textOf(await chat.say(`/incident retract ${reference} entered by mistake`, ana, soc))).toMatch(new RegExp(`Retracted ${reference}`));
    expect(textOf(await chat.say('/incident ogdenville', ana, soc))).toMatch(/Nothing found/);
    expect(textOf(await chat.say(`/incident edit ${reference}`, boss, soc))).toMatch(/There is no incident/);
    const again = await submit(ana, report({ victim: 'Ogdenville Library', startDate: '2024-08' }));
    expect(again.kind).toBe('done');
    // The same victim as before (not a new one), and no repeat: the retracted incident does not count.
    expect(again.kind === 'done' && textOf(again.reply)).toMatch(/^Recorded INC-2024-\d{4}\nOgdenville Library/);
    expect(again.kind === 'done' && textOf(again.reply)).not.toMatch(/Repeat breach/);
    const row = await chat.database.db.selectFrom('incidents').select(['retracted_by', 'retraction_reason', 'revision']).where('reference', '=', reference).executeTakeFirstOrThrow();
    expect(row).toEqual({ retracted_by: 'ana', retraction_reason: 'entered by mistake', revision: 2 });
  });

  it('GIVEN subscriptions, watches and clearances changed THEN the audit log says who, what and from which channel', async () => {
    await chat.say('/incident watch vendor Click2Gov', boss, channel('CWATCH'));
    await chat.say('/incident unwatch vendor Click2Gov', boss, channel('CWATCH'));
    await chat.say('/incident alerts off', boss, channel('CGREEN'));
    const entries = await readAudit(chat.database.db);
    const of = (action: string) => entries.filter((e) => e.action === action).map((e) => `${e.who.platform}/${e.who.workspace}/${e.who.userId}@${e.who.channelId} ${e.subject}`);
    expect(of('alerts.subscribe')).toEqual(['slack/T1/UBOSS@CGREEN slack:CGREEN', 'slack/T1/UBOSS@CAMBER slack:CAMBER', 'slack/T2/UBOSS@CT2 slack:CT2']);
    expect(of('alerts.unsubscribe')).toEqual(['slack/T1/UBOSS@CGREEN slack:CGREEN']);
    expect(of('watch.add')).toEqual(['slack/T1/UBOSS@CWATCH slack:CWATCH']);
    expect(of('watch.remove')).toEqual(['slack/T1/UBOSS@CWATCH slack:CWATCH']);
    expect(of('channel.clearance')).toEqual(['slack/T1/UBOSS@CSOC slack:CSOC', 'slack/T1/UBOSS@CAMBER slack:CAMBER', 'slack/T2/UBOSS@CT2 slack:CT2']);
    expect(entries.every((e) => e.at instanceof Date)).toBe(true);
  });
});
