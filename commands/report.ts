import { z } from 'zod';
import { defineCommand } from '../src/chat/command.js';
import { privately } from '../src/chat/reply.js';
import { incidentSummary, verdictBlocks, victimSummary } from '../src/presentation/incident-blocks.js';
import { actions, message } from '../src/presentation/message.js';
import { EVENT_CHOICE, VICTIM_CHOICE, errorsByField, fieldError, reportForm, submissionFromForm, victimChoice } from '../src/chat/report-form.js';
import { lookUpVictim } from '../src/chat/victim-lookup.js';
import { ValidationError } from '../src/errors.js';
import { SameEventNeedsConfirmation, VictimNeedsConfirmation } from '../src/incidents/report.js';
import { candidateLabel } from '../src/incidents/same-event-match.js';
import { isolate } from '../src/presentation/bidi-isolation.js';

export default defineCommand({
  name: 'report',
  suggests: 'victims',
  description: 'Record a new incident through a form',
  usage: '/incident report [victim]',
  examples: ['/incident report', '/incident report City of Odessa'],
  reports: true,
  parse: (text) => ({ victim: text.trim() || undefined }),
  options: z.object({ victim: z.string().max(200, { error: 'The victim name is too long (at most 200 characters).' }).optional() }),

  async run({ options, services, viewer }) {
    const tlp = services.ledger.tlpDefault;
    if (!options.victim) return { kind: 'form', form: reportForm({ tlp }) };
    const found = await lookUpVictim(services, options.victim, viewer);
    if (found.kind === 'one') return { kind: 'form', form: reportForm({ victim: found.victim, tlp }) };
    // An unknown or ambiguous name is prefilled as typed; the form resolves it on submit.
    return { kind: 'form', form: reportForm({ name: options.victim.replace(/^#\d+$/, ''), tlp }) };
  },

  checkField: fieldError,

  async submit({ options: values, state, submissionKey, actor, channel, services, viewer }) {
    let outcome;
    try {
      outcome = await services.ledger.report(submissionFromForm(values, state), {
        platform: actor.platform, workspace: actor.workspace, user: actor.displayName ?? actor.userId, userId: actor.userId, channelId: channel.channelId,
      }, { submissionKey, viewer, sameEvent: 'ask' });
    } catch (error) {
      if (error instanceof ValidationError) return { kind: 'errors', errors: errorsByField(error.fieldErrors) };
      if (error instanceof VictimNeedsConfirmation) {
        return {
          kind: 'question',
          question: `Did you mean ${error.candidates.map((c) => victimChoice(c).label).join(' or ')}?`,
          answerField: VICTIM_CHOICE,
          choices: [...error.candidates.map(victimChoice), { value: 'new', label: `No: “${error.typedName}” is a new victim` }],
          values,
          form: reportForm({ tlp: services.ledger.tlpDefault }),
        };
      }
      if (error instanceof SameEventNeedsConfirmation) {
        // Like "did you mean" for victims: the person knows whether two stories tell one breach.
        return {
          kind: 'question',
          question: `Is this ${error.candidates.map((c) => candidateLabel(c.incident, error.victimName)).join(' or ')}? It looks alike: ${error.candidates[0]!.judgement.reasons.join(', ')}.`,
          questionLabel: 'Same incident?',
          answerField: EVENT_CHOICE,
          choices: [
            ...error.candidates.map((c) => ({ value: c.incident.reference, label: `Same incident — add my report to ${c.incident.reference}` })),
            { value: 'new', label: 'A different incident' },
          ],
          values,
          form: reportForm({ tlp: services.ledger.tlpDefault }),
        };
      }
      throw error;
    }
    if (!outcome.duplicate) services.wakeAlerts();
    const { incident, victim, verdict } = outcome;
    if (outcome.joined) {
      return {
        kind: 'done',
        reply: privately(message(
          `Added your report to ${incident.reference} for ${isolate(victim.name)}: the same incident. No new incident, no repeat alert.`,
          { type: 'heading', text: `Added your report to ${incident.reference}` },
          { type: 'victim', victim: victimSummary(victim), incidents: [incidentSummary(incident)], totalIncidents: null },
          { type: 'context', text: `Same incident: ${outcome.joined.reason}. Your report is ${outcome.joined.report}; /incident split ${incident.reference} ${outcome.joined.report} undoes it.` },
          actions({ label: 'Show all incidents', command: `victim #${victim.id}` }),
        )),
      };
    }
    return {
      kind: 'done',
      reply: privately(message(
        `Recorded ${incident.reference} for ${isolate(victim.name)}. ${verdict.isRepeat ? `Repeat breach: ${verdict.headline}.` : ''}`.trim(),
        { type: 'heading', text: `Recorded ${incident.reference}${outcome.victimCreated ? ' (new victim)' : ''}` },
        { type: 'victim', victim: victimSummary(victim), incidents: [incidentSummary(incident)], totalIncidents: null },
        ...verdictBlocks(incident, verdict),
        actions(
          { label: 'Show all incidents', command: `victim #${victim.id}` },
          { label: 'Report another incident for this victim', command: `report #${victim.id}` },
        ),
      )),
    };
  },
});

