import type { Choice, Form, FormField, FormValues } from '../../chat/form.js';
import { cutText, fitText } from '../../chat/text.js';
import { fitMrkdwn } from './block-kit.js';
import type { SlackBlock } from './block-kit.js';
import { escapeMrkdwn } from './mrkdwn.js';

/** What a modal carries through Slack and back: the form's state and where it was opened. */
export interface ModalMetadata {
  state?: string;
  channelId: string;
}

/** Slack's date pickers give a day; this select says how much of it is known. */
export const DATE_PRECISION = 'datePrecision';
const NEW_VICTIM = 'new:';

export interface ModalOptions {
  metadata: ModalMetadata;
  /** Values to show again (after a question); otherwise the fields' initial values. */
  values?: FormValues;
  /** A question to answer on top of the form, such as "Did you mean …?". */
  question?: { text: string; answerField: string; choices: Choice[]; label?: string };
}

/**
 * A neutral form as a Slack modal: one input block per field, block and action ids
 * equal to the field id, so `response_action: errors` lands on the right field.
 */
export function formModal(form: Form, options: ModalOptions): Record<string, unknown> {
  const blocks: SlackBlock[] = [];
  if (options.question) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: fitMrkdwn(escapeMrkdwn(options.question.text), 3000) } });
    blocks.push({
      type: 'input', block_id: options.question.answerField, label: plain(options.question.label ?? 'Victim'),
      element: { type: 'radio_buttons', action_id: options.question.answerField, options: options.question.choices.slice(0, 10).map(option) },
    });
  }
  for (const field of form.fields) {
    blocks.push(inputBlock(field, options.values ? options.values[field.id] : field.initial));
    if (field.id === 'startDate') blocks.push(precisionBlock(precisionOf(options.values?.startDate)));
  }
  return {
    type: 'modal',
    callback_id: form.id,
    title: plain(fitText(form.title, 24)),
    submit: plain(fitText(form.submitLabel, 24)),
    close: plain('Cancel'),
    private_metadata: JSON.stringify({ s: options.metadata.state, c: options.metadata.channelId }),
    blocks: blocks.slice(0, 100),
  };
}

export function modalMetadata(privateMetadata: string | undefined): ModalMetadata {
  try {
    const { s, c } = JSON.parse(privateMetadata ?? '{}') as { s?: unknown; c?: unknown };
    return { state: typeof s === 'string' ? s : undefined, channelId: typeof c === 'string' ? c : '' };
  } catch {
    return { channelId: '' };
  }
}

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const text = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);

/**
 * The submitted view's state as form values; dates cut to the precision chosen.
 * The state is read as untrusted JSON: anything not of the shape Slack sends is no value.
 */
export function valuesFromView(state: unknown): FormValues {
  const values: FormValues = {};
  for (const [blockId, actions] of Object.entries(isObject(state) ? state : {})) {
    const v = isObject(actions) ? Object.values(actions)[0] : undefined;
    if (!isObject(v)) continue;
    if (Array.isArray(v.selected_options)) values[blockId] = v.selected_options.flatMap((o) => (isObject(o) && typeof o.value === 'string' ? [o.value] : []));
    else if (v.selected_option !== undefined) values[blockId] = isObject(v.selected_option) ? text(v.selected_option.value) : undefined;
    else if (v.selected_date !== undefined) values[blockId] = text(v.selected_date);
    else values[blockId] = text(v.value);
  }
  // The victim select offers "new victim: <typed name>" as well as known victims.
  if (typeof values.victim === 'string' && values.victim.startsWith(NEW_VICTIM)) values.victim = values.victim.slice(NEW_VICTIM.length);
  const precision = values[DATE_PRECISION];
  for (const id of ['startDate', 'endDate', 'discoveredDate', 'disclosedDate']) {
    const date = values[id];
    if (typeof date === 'string' && precision === 'month') values[id] = date.slice(0, 7);
    if (typeof date === 'string' && precision === 'year') values[id] = date.slice(0, 4);
  }
  delete values[DATE_PRECISION];
  return values;
}

/** The option a victim select offers for a name that is not in the ledger yet. */
export function newVictimOption(typed: string): Choice {
  const name = cutText(typed.trim(), 140);
  return { value: `${NEW_VICTIM}${name}`, label: `New victim: “${name}”` };
}

function inputBlock(field: FormField, value: string | string[] | undefined): SlackBlock {
  return {
    type: 'input',
    block_id: field.id,
    optional: !field.required,
    label: plain(fitText(field.label, 2000)),
    ...(field.hint ? { hint: plain(fitText(field.hint, 2000)) } : {}),
    element: element(field, value),
  };
}

function element(field: FormField, value: string | string[] | undefined): Record<string, unknown> {
  const base = { action_id: field.id, ...(field.placeholder ? { placeholder: plain(fitText(field.placeholder, 150)) } : {}) };
  const many = Array.isArray(value) ? value : value ? [value] : [];
  const one = Array.isArray(value) ? value[0] : value;
  if (field.suggest === 'victims') {
    return { ...base, type: 'external_select', min_query_length: 1,
      ...(one ? { initial_option: option({ value: /^#\d+$/.test(one) ? one : `${NEW_VICTIM}${one}`, label: one }) } : {}) };
  }
  if (field.suggest === 'techniques') {
    return { ...base, type: 'multi_external_select', min_query_length: 1, ...(many.length ? { initial_options: many.map((v) => option({ value: v, label: v })) } : {}) };
  }
  switch (field.kind) {
    case 'short':
    case 'long': {
      // Slack refuses a modal whose initial value is longer than its own max_length.
      const max = Math.min(field.maxLength ?? 3000, 3000);
      return { ...base, type: 'plain_text_input', multiline: field.kind === 'long', max_length: max, ...(one ? { initial_value: cutText(one, max) } : {}) };
    }
    case 'date':
      return { ...base, type: 'datepicker', ...(one && /^\d{4}(-\d{2}){0,2}$/.test(one) ? { initial_date: `${one}-01-01`.slice(0, 10) } : {}) };
    case 'select':
      return { ...base, type: 'static_select', options: (field.options ?? []).map(option),
        ...(one ? { initial_option: option(field.options?.find((o) => o.value === one) ?? { value: one, label: one }) } : {}) };
    case 'multiselect':
    case 'checkboxes': {
      const chosen = (field.options ?? []).filter((o) => many.includes(o.value)).map(option);
      return { action_id: field.id, type: field.kind === 'checkboxes' ? 'checkboxes' : 'multi_static_select',
        options: (field.options ?? []).map(option), ...(chosen.length ? { initial_options: chosen } : {}),
        ...(field.kind === 'multiselect' && field.placeholder ? { placeholder: plain(fitText(field.placeholder, 150)) } : {}) };
    }
  }
}

/** 'YYYY' → year, 'YYYY-MM' → month, anything else → day. */
function precisionOf(date: string | string[] | undefined): string | undefined {
  if (typeof date !== 'string') return undefined;
  return date.length === 4 ? 'year' : date.length === 7 ? 'month' : 'day';
}

function precisionBlock(value: string | undefined): SlackBlock {
  const choices = [{ value: 'day', label: 'The exact day' }, { value: 'month', label: 'The month only' }, { value: 'year', label: 'The year only' }];
  const chosen = choices.find((c) => c.value === value) ?? choices[0]!;
  return {
    type: 'input', block_id: DATE_PRECISION, label: plain('The dates are known to'),
    hint: plain('Reporting often says only "April 2020" or "2019": pick any day in it and say so here.'),
    element: { type: 'static_select', action_id: DATE_PRECISION, options: choices.map(option), initial_option: option(chosen) },
  };
}

export function option(choice: Choice): Record<string, unknown> {
  return { text: plain(fitText(choice.label, 75)), value: cutText(choice.value, 150) };
}

function plain(text: string) {
  return { type: 'plain_text', text, emoji: true };
}
