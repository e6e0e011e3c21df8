import { MessageFlags } from 'discord.js';
import type { ButtonInteraction, Interaction, ModalSubmitInteraction, StringSelectMenuInteraction } from 'discord.js';
import type { Dispatcher } from '../../chat/dispatcher.js';
import { fitText } from '../../chat/text.js';
import type { Actor, ChannelRef } from '../../identity.js';
import type { DiscordMessage } from './embeds.js';
import { renderDiscord } from './embeds.js';
import { escapeDiscord } from './markdown.js';
import { FORM_PREFIX, pageModal, valuesFromModal } from './report-draft.js';
import type { Draft, ReportDrafts } from './report-draft.js';

export interface ReportDraftFlowOptions {
  dispatcher: Dispatcher;
  drafts: ReportDrafts;
  actorOf: (i: Interaction) => Actor;
  channelOf: (i: Interaction) => ChannelRef;
  toDiscord: (m: DiscordMessage) => object;
}

/**
 * The report form on Discord, where a modal holds at most five fields: its pages as
 * modals, a step message between them (what is filled in, what to fix), the ledger's
 * question ("Did you mean …?", "Same incident?") as a select, and the record.
 */
export function createReportDraftFlow({ dispatcher, drafts, actorOf, channelOf, toDiscord }: ReportDraftFlowOptions) {
  // The report form across modals: "bd-form:<draft>:page:<n>" opens page n,
  // ":record" stores it, ":cancel" drops it, ":answer" answers the question.
  async function onButton(i: ButtonInteraction) {
    const [draftId = '', action = '', arg] = i.customId.slice(FORM_PREFIX.length).split(':');
    const draft = await drafts.get(draftId);
    if (!draft) return i.reply({ content: 'This report form has expired; start again with /incident report.', flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    if (action === 'page') return i.showModal(pageModal(draft, Number(arg)));
    if (action === 'cancel') {
      await drafts.delete(draft.id);
      return i.update({ content: 'Not recorded.', embeds: [], components: [], allowedMentions: { parse: [] } });
    }
    if (action === 'record') return record(i, draft);
  }

  async function onModal(i: ModalSubmitInteraction) {
    if (!i.customId.startsWith(FORM_PREFIX)) return;
    const [draftId = '', , pageText] = i.customId.slice(FORM_PREFIX.length).split(':');
    const draft = await drafts.get(draftId);
    if (!draft) return i.reply({ content: 'This report form has expired; start again with /incident report.', flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    const page = Number(pageText);
    Object.assign(draft.values, valuesFromModal(i.fields.fields.values()));
    await drafts.save(draft);
    // Each field of this page checked now, so a mistake is fixed while it is in mind.
    const problems = (draft.pages[page] ?? []).flatMap((f) => {
      const error = dispatcher.checkField(draft.form.id, f.id, draft.values, draft.form.state);
      return error ? [`**${f.label}**: ${escapeDiscord(error)}`] : [];
    });
    const step = stepMessage(draft, page, problems);
    if (i.isFromMessage()) await i.update(step as never);
    else await i.reply({ ...step, flags: MessageFlags.Ephemeral } as never);
  }

  async function onSelect(i: StringSelectMenuInteraction) {
    if (!i.customId.startsWith(FORM_PREFIX)) return;
    const [draftId = ''] = i.customId.slice(FORM_PREFIX.length).split(':');
    const draft = await drafts.get(draftId);
    if (!draft?.answerField) return i.reply({ content: 'This report form has expired; start again with /incident report.', flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    draft.values[draft.answerField] = i.values[0];
    return record(i, draft);
  }

  async function record(i: ButtonInteraction | StringSelectMenuInteraction, draft: Draft) {
    const outcome = await dispatcher.submit({
      formId: draft.form.id, values: draft.values, state: draft.form.state, actor: actorOf(i), channel: channelOf(i),
      // Pressed twice, or delivered twice: one incident.
      submissionKey: `discord:${draft.id}`,
    });
    if (outcome.kind === 'errors') {
      const problems = Object.entries(outcome.errors).map(([id, message]) => `**${draft.form.fields.find((f) => f.id === id)?.label ?? id}**: ${escapeDiscord(message)}`);
      const pages = [...new Set(Object.keys(outcome.errors).map((id) => draft.pages.findIndex((p) => p.some((f) => f.id === id))).filter((n) => n >= 0))];
      return i.update({
        content: fitText(`Not recorded yet — please fix:\n${problems.join('\n')}`, 2000),
        embeds: [],
        components: [{ type: 1, components: [
          ...pages.slice(0, 4).map((n) => ({ type: 2, style: 1, label: `Fix page ${n + 1}`, custom_id: `${FORM_PREFIX}${draft.id}:page:${n}` })),
          { type: 2, style: 2, label: 'Cancel', custom_id: `${FORM_PREFIX}${draft.id}:cancel` },
        ] }],
        allowedMentions: { parse: [] },
      } as never);
    }
    if (outcome.kind === 'question') {
      draft.answerField = outcome.answerField;
      Object.assign(draft.values, outcome.values);
      await drafts.save(draft);
      return i.update({
        content: fitText(escapeDiscord(outcome.question), 2000),
        embeds: [],
        components: [
          { type: 1, components: [{ type: 3, custom_id: `${FORM_PREFIX}${draft.id}:answer`, placeholder: fitText(outcome.questionLabel ?? 'Choose the victim', 150),
            options: outcome.choices.slice(0, 25).map((c) => ({ label: fitText(c.label, 100), value: c.value })) }] },
          { type: 1, components: [{ type: 2, style: 2, label: 'Cancel', custom_id: `${FORM_PREFIX}${draft.id}:cancel` }] },
        ],
        allowedMentions: { parse: [] },
      } as never);
    }
    await drafts.delete(draft.id);
    if (outcome.reply.kind !== 'message') return;
    return i.update({ content: '', ...toDiscord(renderDiscord(outcome.reply.message)) });
  }

  function stepMessage(draft: Draft, page: number, problems: string[]): { content: string; embeds: []; components: object[]; allowedMentions: { parse: [] } } {
    const last = page >= draft.pages.length - 1;
    const next = Math.min(page + 1, draft.pages.length - 1);
    const filled = draft.form.fields.flatMap((f) => {
      const v = draft.values[f.id];
      const text = Array.isArray(v) ? v.join(', ') : v;
      return text ? [`**${f.label}**: ${escapeDiscord(fitText(text.replace(/\n/g, ' '), 120))}`] : [];
    });
    const lines = [
      `**${draft.form.title}** — page ${page + 1} of ${draft.pages.length} done.`,
      ...(problems.length ? ['', 'Please fix:', ...problems] : []),
      '', ...filled,
    ];
    const buttons = [
      ...(problems.length ? [{ type: 2, style: 1, label: `Fix page ${page + 1}`, custom_id: `${FORM_PREFIX}${draft.id}:page:${page}` }] : []),
      ...(!last ? [{ type: 2, style: problems.length ? 2 : 1, label: `Continue (page ${next + 1})`, custom_id: `${FORM_PREFIX}${draft.id}:page:${next}` }] : []),
      { type: 2, style: last && !problems.length ? 1 : 2, label: last ? 'Record' : 'Record now', custom_id: `${FORM_PREFIX}${draft.id}:record` },
      { type: 2, style: 2, label: 'Cancel', custom_id: `${FORM_PREFIX}${draft.id}:cancel` },
    ];
    return { content: fitText(lines.join('\n'), 2000), embeds: [], components: [{ type: 1, components: buttons }], allowedMentions: { parse: [] } };
  }

  return { onButton, onModal, onSelect };
}
