import { z } from 'zod';
import { defineCommand } from '../src/chat/command.js';
import { privately } from '../src/chat/reply.js';
import { incidentSummary, victimSummary } from '../src/presentation/incident-blocks.js';
import { message, textMessage } from '../src/presentation/message.js';
import { editForm, editedReference, errorsByField, fieldError, submissionFromForm } from '../src/chat/report-form.js';
import { ValidationError } from '../src/errors.js';
import { changer, incidentToChange } from '../src/chat/incident-change.js';

/** `/incident edit INC-2020-0001`: the report form, filled in; saving keeps the previous version. */
export default defineCommand({
  name: 'edit',
  description: 'Correct an incident you reported (admins: any incident)',
  usage: '/incident edit <reference>',
  examples: ['/incident edit INC-2020-0001'],
  reports: true,
  argument: { name: 'reference', description: 'The incident, such as INC-2020-0001', required: true },
  parse: (text) => ({ reference: text.trim() }),
  options: z.object({ reference: z.string().regex(/^INC-\d{4}-\d{4,9}$/i, { error: 'Give the incident reference, such as INC-2020-0001.' }) }),

  async run({ options, actor, services, viewer }) {
    const found = await incidentToChange(services, actor, options.reference, viewer);
    if ('refusal' in found) return privately(textMessage(found.refusal));
    const { incident } = found;
    const [victim] = await services.ledger.victims([incident.victimId]);
    return { kind: 'form', form: editForm(incident, victim!) };
  },

  checkField: fieldError,

  async submit({ options: values, state, actor, channel, services, viewer }) {
    // Checked again on submit: the form can arrive without the command that opened it.
    const reference = editedReference(state);
    if (!reference) return { kind: 'done', reply: privately(textMessage('This incident can no longer be edited.')) };
    const found = await incidentToChange(services, actor, reference, viewer);
    if ('refusal' in found) return { kind: 'done', reply: privately(textMessage(found.refusal)) };
    const { incident } = found;
    let after;
    try {
      after = await services.ledger.edit(incident.reference, submissionFromForm(values, state), changer(actor, channel), viewer);
    } catch (error) {
      if (error instanceof ValidationError) return { kind: 'errors', errors: errorsByField(error.fieldErrors) };
      throw error;
    }
    const [victim] = await services.ledger.victims([after.victimId]);
    return {
      kind: 'done',
      reply: privately(message(
        `Saved ${after.reference}, revision ${after.revision}.`,
        { type: 'heading', text: `Saved ${after.reference} (revision ${after.revision})` },
        { type: 'victim', victim: victimSummary(victim!), incidents: [incidentSummary(after)], totalIncidents: null },
        { type: 'context', text: 'The previous version is kept; breachdesk audit shows who changed what.' },
      )),
    };
  },
});
