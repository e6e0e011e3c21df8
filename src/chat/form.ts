/**
 * The neutral form model: what `/incident report` opens. Slack shows it as a modal,
 * Discord as a modal plus a step of selects, the shell asks one field at a time.
 */
export interface Form {
  /** Which command's `submit` receives it: 'report'. */
  id: string;
  title: string;
  submitLabel: string;
  fields: FormField[];
  /** Opaque state carried through the platform and back on submit (≤ 200 characters). */
  state?: string;
}

export type FormFieldKind = 'short' | 'long' | 'date' | 'select' | 'multiselect' | 'checkboxes';

export interface FormField {
  id: string;
  label: string;
  kind: FormFieldKind;
  required: boolean;
  maxLength?: number;
  placeholder?: string;
  hint?: string;
  /** A string, or for multiselect and checkboxes the chosen values. */
  initial?: string | string[];
  /** Fixed choices for select, multiselect and checkboxes. */
  options?: Choice[];
  /** Choices looked up as the person types: victim names, ATT&CK techniques. */
  suggest?: 'victims' | 'techniques';
}

export interface Choice {
  value: string;
  label: string;
}

/** What a form comes back as: field id → text, or chosen values. */
export type FormValues = Record<string, string | string[] | undefined>;
