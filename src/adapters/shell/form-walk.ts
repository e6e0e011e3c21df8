import type { Actor, ChannelRef } from '../../identity.js';
import type { Dispatcher } from '../../chat/dispatcher.js';
import type { Form, FormField, FormValues } from '../../chat/form.js';
import type { TerminalIO } from './terminal-io.js';

/** The person ended the form (`.cancel`, or the input ended). */
export class FormCancelled extends Error {}

const MAX_TRIES = 5;

/**
 * Walks a form one field at a time: shows choices for selects, re-asks a field whose
 * value is wrong, shows what will be stored and asks to confirm, then answers the
 * "did you mean?" question if there is one. Returns the reply to show.
 */
export async function walkForm(form: Form, io: TerminalIO, dispatcher: Dispatcher, who: { actor: Actor; channel: ChannelRef }) {
  const values: FormValues = {};
  io.print(`${form.title} — one field at a time. Enter keeps the value in [brackets] or skips an optional field; .cancel stops.`);
  for (const field of form.fields) await askField(field, form, values, io, dispatcher);

  for (;;) {
    io.question(summary(form, values));
    const confirm = (await io.ask(`${form.submitLabel}? [Y/n] `))?.trim().toLowerCase();
    if (confirm === undefined) throw new FormCancelled();
    if (confirm === 'n' || confirm === 'no' || confirm === '.cancel') throw new FormCancelled();

    let outcome = await dispatcher.submit({ formId: form.id, values, state: form.state, ...who });
    while (outcome.kind === 'question') {
      io.question(outcome.question);
      outcome.choices.forEach((c, i) => io.question(`  ${i + 1}) ${c.label}`));
      const answer = await askChoice(io, outcome.choices.length);
      values[outcome.answerField] = outcome.choices[answer]!.value;
      outcome = await dispatcher.submit({ formId: form.id, values, state: form.state, ...who });
    }
    if (outcome.kind === 'done') return outcome.reply;
    io.print('Some fields need another look:');
    for (const [id, message] of Object.entries(outcome.errors)) {
      const field = form.fields.find((f) => f.id === id);
      io.print(`  ${field?.label ?? id}: ${message}`);
    }
    for (const id of Object.keys(outcome.errors)) {
      const field = form.fields.find((f) => f.id === id);
      if (field) await askField(field, form, values, io, dispatcher, true);
    }
  }
}

async function askField(field: FormField, form: Form, values: FormValues, io: TerminalIO, dispatcher: Dispatcher, again = false) {
  const current = values[field.id] ?? field.initial;
  const shown = Array.isArray(current) ? current.join(', ') : current;
  io.question([
    `${field.label}${field.required ? ' (required)' : ''}${field.hint ? ` — ${field.hint}` : ''}`,
    ...(field.options ?? []).map((o, i) => `  ${i + 1}) ${o.label}`),
  ].join('\n'));
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const line = await io.ask(`${field.label}${shown ? ` [${shown}]` : ''}: `);
    if (line === null || line.trim() === '.cancel') throw new FormCancelled();
    const typed = line.trim();
    if (typed === '') {
      if (current !== undefined && current !== '' && !(Array.isArray(current) && current.length === 0)) {
        values[field.id] = current;
      } else if (field.required) {
        io.print(`  ${field.label} is required.`);
        continue;
      } else if (!again) {
        values[field.id] = undefined;
        return;
      }
    } else {
      const value = field.options ? pickOptions(field, typed) : typed;
      if (value === null) {
        io.print(`  Choose by number or name: ${field.options!.map((o, i) => `${i + 1}) ${o.value}`).join(', ')}.`);
        continue;
      }
      values[field.id] = value;
    }
    const error = dispatcher.checkField(form.id, field.id, values, form.state);
    if (!error) return;
    io.print(`  ${error}`);
  }
  throw new FormCancelled(`${field.label}: too many tries`);
}

/** "1,3" or "financial espionage" → the chosen option values; null when a choice is unknown. */
function pickOptions(field: FormField, typed: string): string | string[] | null {
  const options = field.options ?? [];
  const picked: string[] = [];
  for (const token of typed.split(/[\s,]+/).filter(Boolean)) {
    const byNumber = /^\d+$/.test(token) ? options[Number(token) - 1] : undefined;
    const option = byNumber ?? options.find((o) => o.value.toLowerCase() === token.toLowerCase() || o.label.toLowerCase() === token.toLowerCase());
    if (!option) return null;
    if (!picked.includes(option.value)) picked.push(option.value);
  }
  return field.kind === 'select' ? (picked[0] ?? null) : picked;
}

async function askChoice(io: TerminalIO, count: number): Promise<number> {
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const line = await io.ask(`Choose 1–${count}: `);
    if (line === null || line.trim() === '.cancel') throw new FormCancelled();
    const n = Number(line.trim());
    if (Number.isInteger(n) && n >= 1 && n <= count) return n - 1;
    io.print(`  Type a number from 1 to ${count}.`);
  }
  throw new FormCancelled('too many tries');
}

function summary(form: Form, values: FormValues): string {
  const rows = form.fields.flatMap((f) => {
    const v = values[f.id];
    const text = Array.isArray(v) ? v.join(', ') : v;
    return text ? [`  ${f.label}: ${text.replace(/\n/g, ' ')}`] : [];
  });
  return ['', 'About to record:', ...rows].join('\n');
}
