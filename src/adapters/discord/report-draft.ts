import type { Form, FormField, FormValues } from '../../chat/form.js';
import { cutText, fitText } from '../../chat/text.js';
import type { DraftStore } from '../../drafts/draft-store.js';

/**
 * Discord modals hold five fields, so the report form is filled in pages: the
 * first page has what a report needs (victim, start, summary, vendor, impact); the
 * others are optional and can be skipped with "Record now". Fields a page list does
 * not name follow in pages of their own.
 */
const PAGE_LAYOUT = [
  ['victim', 'startDate', 'summary', 'vendor', 'impact'],
  ['country', 'region', 'city', 'endDate', 'disclosedDate'],
  ['title', 'description', 'motives', 'techniques', 'sources'],
  ['discoveredDate', 'threatActors', 'recordsAffected', 'tlp'],
];
const PER_MODAL = 5;

export const FORM_PREFIX = 'bd-form:';

/** A report being filled in across modals, kept between the member's clicks. */
export interface Draft {
  id: string;
  form: Form;
  values: FormValues;
  pages: FormField[][];
  /** Question being asked ("Did you mean …?"), waiting for the member's choice. */
  answerField?: string;
}

export function pagesOf(form: Form): FormField[][] {
  const byId = new Map(form.fields.map((f) => [f.id, f]));
  const pages = PAGE_LAYOUT.map((ids) => ids.flatMap((id) => byId.get(id) ?? [])).filter((p) => p.length > 0);
  const placed = new Set(pages.flat().map((f) => f.id));
  const rest = form.fields.filter((f) => !placed.has(f.id));
  for (let i = 0; i < rest.length; i += PER_MODAL) pages.push(rest.slice(i, i + PER_MODAL));
  return pages;
}

/** A draft of the form as it opens: its initial values filled in. */
export function newDraft(id: string, form: Form): Draft {
  const values: FormValues = Object.fromEntries(form.fields.filter((f) => f.initial !== undefined).map((f) => [f.id, f.initial]));
  return { id, form, values, pages: pagesOf(form) };
}

/** The report drafts of Discord, kept in a `DraftStore` shared by every process (see src/drafts). */
export interface ReportDrafts {
  create(form: Form): Promise<Draft>;
  /** The draft, or undefined when it has expired, was recorded or cancelled. */
  get(id: string): Promise<Draft | undefined>;
  /** Keeps what the member filled in and the question asked, for the next click, whichever process takes it. */
  save(draft: Draft): Promise<void>;
  delete(id: string): Promise<void>;
}

export function reportDrafts(store: DraftStore): ReportDrafts {
  const content = (draft: Pick<Draft, 'form' | 'values' | 'answerField'>) => ({
    form: draft.form, values: draft.values, ...(draft.answerField ? { answerField: draft.answerField } : {}),
  });
  return {
    async create(form) {
      const draft = newDraft('', form);
      return { ...draft, id: await store.create('discord', content(draft)) };
    },
    async get(id) {
      const stored = await store.get('discord', id);
      // Written by an earlier version, perhaps: a shape this one cannot carry on with is as good as expired.
      if (!isStoredDraft(stored)) return undefined;
      return { id, form: stored.form, values: stored.values, pages: pagesOf(stored.form), ...(stored.answerField ? { answerField: stored.answerField } : {}) };
    },
    async save(draft) {
      await store.save('discord', draft.id, content(draft));
    },
    delete: (id) => store.remove('discord', id),
  };
}

function isStoredDraft(value: unknown): value is Pick<Draft, 'form' | 'values' | 'answerField'> {
  if (typeof value !== 'object' || value === null) return false;
  const { form, values, answerField } = value as Record<string, unknown>;
  const f = form as Partial<Form> | null | undefined;
  return typeof f === 'object' && f !== null && typeof f.id === 'string' && typeof f.title === 'string' && Array.isArray(f.fields)
    && typeof values === 'object' && values !== null && !Array.isArray(values)
    && (answerField === undefined || typeof answerField === 'string');
}

/** A page of the form as a Discord modal (label components, type 18, each holding one field). */
export function pageModal(draft: Draft, page: number) {
  const fields = draft.pages[page] ?? [];
  return {
    custom_id: `${FORM_PREFIX}${draft.id}:modal:${page}`,
    title: fitText(`${draft.form.title} (${page + 1}/${draft.pages.length})`, 45),
    components: fields.map((field) => ({
      type: 18,
      label: fitText(field.label, 45),
      ...(field.hint ? { description: fitText(field.hint, 100) } : {}),
      component: fieldComponent(field, draft.values[field.id]),
    })),
  };
}

function fieldComponent(field: FormField, value: string | string[] | undefined) {
  const many = Array.isArray(value) ? value : value ? [value] : [];
  if (field.options && (field.kind === 'checkboxes' || field.kind === 'multiselect' || field.kind === 'select')) {
    const options = field.options.slice(0, 25).map((o) => ({ label: fitText(o.label, 100), value: o.value, default: many.includes(o.value) }));
    if (field.kind === 'checkboxes' && options.length <= 10) {
      return { type: 22, custom_id: field.id, options, min_values: 0, max_values: options.length, required: false };
    }
    return { type: 3, custom_id: field.id, options, min_values: field.required ? 1 : 0, max_values: field.kind === 'select' ? 1 : options.length, required: field.required };
  }
  // Dates, type-ahead fields and text: a text input (dates may be partial: 2020-04).
  const text = many.join(field.kind === 'multiselect' ? ', ' : '\n');
  // Discord refuses a modal whose value is longer than its own max_length.
  const max = Math.min(field.maxLength ?? 4000, 4000);
  return {
    type: 4,
    custom_id: field.id,
    style: field.kind === 'long' ? 2 : 1,
    required: field.required,
    max_length: max,
    ...(field.placeholder || field.kind === 'date' ? { placeholder: fitText(field.placeholder ?? '2020-04 or 2020-04-15', 100) } : {}),
    ...(text ? { value: cutText(text, max) } : {}),
  };
}

/** What one modal submit said, by field id. */
export function valuesFromModal(fields: Iterable<{ customId?: string; value?: unknown; values?: readonly string[] }>): FormValues {
  const values: FormValues = {};
  for (const f of fields) {
    if (!f.customId) continue;
    values[f.customId] = f.values ? [...f.values] : typeof f.value === 'string' ? f.value : undefined;
  }
  return values;
}
