import { z } from 'zod';
import { defineCommand, privately } from '../src/chat/command.js';
import { incidentSummary, victimSummary } from '../src/chat/incident-blocks.js';
import { message, textMessage } from '../src/chat/message.js';
import { editForm, editedReference, errorsByField, fieldError, submissionFromForm } from '../src/chat/report-form.js';
import { ValidationError } from '../src/errors.js';
import { loadVictims } from '../src/incidents/incident-view.js';
import { editIncident } from '../src/incidents/revision.js';
import { OPEN_POLICY, REFUSALS, mayChange } from '../src/trust/permissions.js';
import { changeableIncident, changer } from '../src/chat/incident-change.js';

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
    const incident = await changeableIncident(services, options.reference, viewer);
    if (!incident) return privately(textMessage(`There is no incident ${options.reference.toUpperCase()}.`));
    if (!mayChange(actor, incident, services.trust ?? OPEN_POLICY)) return privately(textMessage(REFUSALS.change));
    const [victim] = await loadVictims(services.ledger.db, [incident.victimId]);
    return { kind: 'form', form: editForm(incident, victim!) };
  },

  checkField: fieldError,

  async submit({ options: values, state, actor, channel, services, viewer }) {
    const reference = editedReference(state);
    const incident = reference ? await changeableIncident(services, reference, viewer) : null;
    if (!incident) return { kind: 'done', reply: privately(textMessage('This incident can no longer be edited.')) };
    // Checked again on submit: the form can arrive without the command that opened it.
    if (!mayChange(actor, incident, services.trust ?? OPEN_POLICY)) return { kind: 'done', reply: privately(textMessage(REFUSALS.change)) };
    let after;
    try {
      after = await editIncident(services.ledger.db, incident.reference, submissionFromForm(values, state), changer(actor, channel));
    } catch (error) {
      if (error instanceof ValidationError) return { kind: 'errors', errors: errorsByField(error.fieldErrors) };
      throw error;
    }
    const [victim] = await loadVictims(services.ledger.db, [after.victimId]);
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
