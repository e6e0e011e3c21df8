import { randomBytes } from 'node:crypto';
import type { Form, FormField, FormValues } from '../../chat/form.js';
import { cutText, fitText } from '../../chat/text.js';

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

/**
 * Drafts live in this process for 30 minutes (a guild's interactions always reach
 * the same shard, so the same process). Bounded, so memory stays flat.
 */
export class DraftStore {
  private readonly drafts = new Map<string, { draft: Draft; expires: number }>();
  constructor(private readonly ttlMs = 30 * 60_000, private readonly max = 5_000) {}

  create(form: Form): Draft {
    this.sweep();
    const initial: FormValues = Object.fromEntries(form.fields.filter((f) => f.initial !== undefined).map((f) => [f.id, f.initial]));
    const draft: Draft = { id: randomBytes(6).toString('base64url'), form, values: initial, pages: pagesOf(form) };
    this.drafts.set(draft.id, { draft, expires: Date.now() + this.ttlMs });
    return draft;
  }

  get(id: string): Draft | undefined {
    const entry = this.drafts.get(id);
    if (!entry || entry.expires < Date.now()) return undefined;
    entry.expires = Date.now() + this.ttlMs;
    return entry.draft;
  }

  delete(id: string): void {
    this.drafts.delete(id);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, entry] of this.drafts) if (entry.expires < now) this.drafts.delete(id);
    while (this.drafts.size >= this.max) this.drafts.delete(this.drafts.keys().next().value!);
  }
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
