import { createHash } from 'node:crypto';

// A submission run twice (a script re-run, a modal submitted twice) must record one
// incident. Chat surfaces key a submission by its form; a file or a pipe has no form,
// so its content is the key: the same JSON, whatever its key order or spacing, is the
// same submission.

/** A key of at most 80 characters for a submission, from its content. */
export function contentKey(submission: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(submission)).digest('hex')}`;
}

/** JSON with object keys sorted at every depth, so that equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : v));
}
