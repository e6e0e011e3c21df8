import type { Choice, Form, FormValues } from './form.js';
import type { Message } from '../presentation/message.js';

/** What a command answers: a message (private by default) or a form to open. */
export type Reply =
  | { kind: 'message'; message: Message; visibility: 'private' | 'public' }
  | { kind: 'form'; form: Form };

/** The answer to a submitted form. */
export type FormOutcome =
  /** Some fields are wrong: field id → message. Show them on the fields, keep the values. */
  | { kind: 'errors'; errors: Record<string, string> }
  /**
   * A question before storing, such as "Did you mean City of Odessa (Odessa, TX, US)?".
   * Submit the same values again with `answerField` set to the chosen value.
   */
  | { kind: 'question'; question: string; answerField: string; choices: Choice[]; values: FormValues; form: Form; questionLabel?: string }
  /** Stored; show the reply. */
  | { kind: 'done'; reply: Reply };

/** A private reply of one message. */
export function privately(message: Message): Reply {
  return { kind: 'message', message, visibility: 'private' };
}

/** A reply the whole channel sees. */
export function publicly(message: Message): Reply {
  return { kind: 'message', message, visibility: 'public' };
}
